import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { AppDeps } from '../app-env';
import { TtlCache } from '../cache';
import { verifyPackageCode, type CodeVerdict } from '../codes/verify';
import type { PackageState } from '../db/batches';
import { refreshKeyStatuses } from '../db/keys';
import { type ScanHistory, ScanLog } from '../db/scans';
import { todayInVietnam } from '../domain/dates';
import { packageVerdict, type VerdictResult } from './verdict';

// Per-app state of the public side, kept beside the deps it belongs to so that every app
// built by createApp (tests build many) has its own.
interface PublicState {
  scanLog: ScanLog | null;
  /** Signature outcomes of codes this service signed, by input text: a repeated scan skips the Ed25519 check. */
  verified: TtlCache<string, CodeVerdict>;
  keysCheckedAt: number;
  keysRefresh: Promise<void> | null;
}

const states = new WeakMap<AppDeps, PublicState>();

function stateOf(deps: AppDeps): PublicState {
  let s = states.get(deps);
  if (!s) {
    s = { scanLog: null, verified: new TtlCache(3_600_000, 20_000), keysCheckedAt: Date.now(), keysRefresh: null };
    states.set(deps, s);
  }
  return s;
}

/**
 * The scan log of this app. On Node (one shared pool) reads and writes are batched across
 * requests; Workers give each request its own client, so there each call goes straight
 * to the database.
 */
export function scanLogOf(deps: AppDeps, db: Kysely<Database>): ScanLog {
  const s = stateOf(deps);
  s.scanLog ??= new ScanLog(deps.config.runtime === 'workers' ? null : db, deps.config.cacheTtlSeconds * 1000);
  return s.scanLog;
}

/**
 * Key withdrawals made by another process reach this one within the cache TTL (Workers
 * do this in index.ts for every route). The first request after the TTL waits for the
 * refresh, so the bound holds exactly; the others share it.
 */
export async function freshKeys(deps: AppDeps, db: Kysely<Database>): Promise<void> {
  if (deps.config.runtime === 'workers') return;
  const s = stateOf(deps);
  if (Date.now() - s.keysCheckedAt < deps.config.cacheTtlSeconds * 1000) return;
  s.keysRefresh ??= refreshKeyStatuses(db, deps.keys)
    .catch((error: unknown) => deps.log('warn', 'key status refresh failed', { error: String(error) }))
    .finally(() => {
      s.keysCheckedAt = Date.now();
      s.keysRefresh = null;
    });
  await s.keysRefresh;
}

/** verifyPackageCode with a memory of codes already verified; key status is re-read every time. */
export async function checkCode(deps: AppDeps, db: Kysely<Database>, input: string): Promise<CodeVerdict> {
  await freshKeys(deps, db);
  const s = stateOf(deps);
  const hit = s.verified.get(input);
  if (hit && (hit.ok || hit.reason === 'key_withdrawn') && hit.ref && hit.kid && hit.code) {
    const withdrawn = deps.keys.get(hit.ref.keyNumber)?.status === 'withdrawn';
    return withdrawn
      ? { ok: false, reason: 'key_withdrawn', ref: hit.ref, kid: hit.kid, code: hit.code }
      : { ok: true, ref: hit.ref, kid: hit.kid, code: hit.code };
  }
  const result = await verifyPackageCode(deps.keys, input);
  // Only codes this service really signed are remembered: junk must not evict them.
  if (result.ok || result.reason === 'key_withdrawn') s.verified.set(input, result);
  return result;
}

export interface ResolvedPackage {
  check: CodeVerdict;
  state: PackageState | null;
  result: VerdictResult;
}

/** Signature first (no database), then the batch's state from the cache. */
export async function resolvePackage(deps: AppDeps, db: Kysely<Database>, input: string, now: Date): Promise<ResolvedPackage> {
  const check = await checkCode(deps, db, input);
  // Codes signed by a withdrawn key are not looked up: whoever holds that key could have made them.
  const state = check.ok ? await deps.cache.get(db, check.ref.batchId, todayInVietnam(now)) : null;
  return { check, state, result: packageVerdict(check, state, now) };
}

export async function packageHistory(deps: AppDeps, db: Kysely<Database>, batchId: number, serial: number, now: Date): Promise<ScanHistory> {
  return scanLogOf(deps, db).history(db, batchId, serial, now);
}

/**
 * Whether a package's scan history looks like a copied label: many people, or scans from
 * several places, or many people in one day. People, not page loads: one person reloading
 * the page is one person that day. A warning only; the verdict never changes. Counts
 * include the current scan (its person only when the package had none yet: whether this
 * client is new is known once its scan is written).
 */
export function looksCopied(h: ScanHistory): boolean {
  return h.people >= 20 || h.places >= 3 || h.peopleToday >= 10;
}
