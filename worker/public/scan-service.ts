import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { TtlCache } from '../cache';
import type { KeyRing } from '../codes/keyring';
import { verifyPackageCode, type CodeVerdict } from '../codes/verify';
import type { PackageState, PackageStateCache } from '../db/batches';
import { type ScanHistory, ScanLog } from '../db/scans';
import { todayInVietnam } from '../domain/dates';
import { packageVerdict, type VerdictResult } from './verdict';

export interface ScanServiceParts {
  keys: KeyRing;
  cache: PackageStateCache;
  /**
   * Where scans are written and histories read: on Node one log batches across requests
   * over the shared pool; on Workers each request has its own client, so the log goes
   * straight to the database of the request. Chosen by the entry, not here.
   */
  scanLog: ScanLog;
}

/** The public side's scan path, one per app: signature check, package state, history, logging. */
export class ScanService {
  /** Signature outcomes of codes this service signed, by input text: a repeated scan skips the Ed25519 check. */
  private readonly verified = new TtlCache<string, CodeVerdict>(3_600_000, 20_000);

  constructor(private readonly parts: ScanServiceParts) {}

  get log(): ScanLog {
    return this.parts.scanLog;
  }

  /**
   * verifyPackageCode with a memory of codes already verified; a remembered code's key status
   * is looked up again every time (the app's middleware keeps the statuses fresh per request).
   */
  async checkCode(input: string): Promise<CodeVerdict> {
    const { keys } = this.parts;
    const hit = this.verified.get(input);
    if (hit && (hit.ok || hit.reason === 'key_withdrawn') && hit.ref && hit.kid && hit.code) {
      const withdrawn = keys.get(hit.ref.keyNumber)?.status === 'withdrawn';
      return withdrawn
        ? { ok: false, reason: 'key_withdrawn', ref: hit.ref, kid: hit.kid, code: hit.code }
        : { ok: true, ref: hit.ref, kid: hit.kid, code: hit.code };
    }
    const result = await verifyPackageCode(keys, input);
    // Only codes this service really signed are remembered: junk must not evict them.
    if (result.ok || result.reason === 'key_withdrawn') this.verified.set(input, result);
    return result;
  }

  /** Signature first (no database), then the batch's state from the cache. */
  async resolvePackage(db: Kysely<Database>, input: string, now: Date): Promise<ResolvedPackage> {
    const check = await this.checkCode(input);
    // Codes signed by a withdrawn key are not looked up: whoever holds that key could have made them.
    const state = check.ok ? await this.parts.cache.get(db, check.ref.batchId, todayInVietnam(now)) : null;
    return { check, state, result: packageVerdict(check, state, now) };
  }

  history(db: Kysely<Database>, batchId: number, serial: number, now: Date): Promise<ScanHistory> {
    return this.parts.scanLog.history(db, batchId, serial, now);
  }
}

export interface ResolvedPackage {
  check: CodeVerdict;
  state: PackageState | null;
  result: VerdictResult;
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
