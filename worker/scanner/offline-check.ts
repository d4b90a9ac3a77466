// The offline scanner's answer to one scanned code, from the tables it keeps on the phone.
// The signature check (codes/verify.ts), the verdict and its warnings (public/verdict.ts)
// and the words (api/shop-results.ts) are the server's own modules, bundled into the app:
// the phone cannot disagree with the scan page by construction, only by having old data,
// and that is what the data-age rule (data-age.ts) is for.
import type { z } from 'zod';
import type { offlineDatasetSchema } from '../api/schemas';
import { explain, type Explanation } from '../api/shop-results';
import { keyNumberOfKid } from '../codes/format';
import { verifyPackageCode, type VerifyKeys } from '../codes/verify';
import { todayInVietnam } from '../domain/dates';
import type { KeyStatus } from '../domain/vocabulary';
import { packageVerdict, warningsOf, type NotGenuineReason, type Verdict, type Warning } from '../public/verdict';
import { dataAge, type DataAge } from './data-age';

export type OfflineDataset = z.infer<typeof offlineDatasetSchema>;
type CertRow = OfflineDataset['certificates'][number];
type BatchRow = OfflineDataset['batches'][number];

export interface OfflineTables {
  generatedAt: string;
  maxAgeHours: number;
  ring: VerifyKeys;
  certificates: Map<number, CertRow>;
  batches: Map<number, BatchRow>;
}

/** Imports the keys (once per dataset) and indexes the rows by id. */
export async function loadTables(data: OfflineDataset): Promise<OfflineTables> {
  // The keys as verify.ts reads them, imported once. Not KeyRing.fromJwkSet: its zod
  // validation (for key files typed by people) would be most of the app's download.
  const keys = new Map<number, { publicKey: CryptoKey; status: KeyStatus }>();
  for (const k of data.keys) {
    const n = keyNumberOfKid(k.kid);
    if (n === null) continue;
    const publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: k.x }, { name: 'Ed25519' }, false, ['verify']);
    keys.set(n, { publicKey, status: k.status });
  }
  const ring: VerifyKeys = { get: (n) => keys.get(n) };
  return {
    generatedAt: data.generated_at,
    maxAgeHours: data.max_age_hours,
    ring,
    certificates: new Map(data.certificates.map((c) => [c.id, c])),
    batches: new Map(data.batches.map((b) => [b.id, b])),
  };
}

/** The server's verdicts, plus one only the phone needs: its data cannot settle the question. */
export type OfflineVerdict = Verdict | 'unconfirmed';

export interface OfflineResult {
  input: string;
  verdict: OfflineVerdict;
  reason: NotGenuineReason | null;
  warnings: Warning[];
  /** The verdict, its reason, validity and renewal in words (the CSV page's own). */
  words: { vi: Explanation; en: Explanation };
  certificate: { number: string; stars: number; product: string; producer: string; validUntil: string } | null;
  lot: { lotCode: string; serial: number; bestBefore: string | null } | null;
  age: DataAge;
}

const UNCONFIRMED = {
  stale: {
    vi: 'Dữ liệu trên máy đã quá cũ để khẳng định hàng chính hãng. Hãy kết nối mạng để cập nhật rồi quét lại.',
    en: 'The data on this phone is too old to confirm the goods are genuine. Go online to update, then scan again.',
  },
  newer: {
    vi: 'Chữ ký của mã đúng, nhưng lô hàng này chưa có trong dữ liệu trên máy (có thể là lô mới cấp). Hãy kết nối mạng để kiểm tra.',
    en: 'The code’s signature is right, but this batch is not in the data on this phone (it may be newly issued). Go online to check.',
  },
};

/**
 * The verdict on `input` (a package URL or bare code) at `now`. What never changes is said
 * from any data: a bad signature, a withdrawn key, a revocation, an expiry. "Genuine" is
 * only said from data within the age limit; a validly signed code whose batch is not in the
 * tables is "unconfirmed" (issued after the copy was made), never "not genuine".
 */
export async function checkOffline(tables: OfflineTables, input: string, now: Date): Promise<OfflineResult> {
  const age = dataAge(tables.generatedAt, now, tables.maxAgeHours);
  const check = await verifyPackageCode(tables.ring, input);
  const batch = check.ok ? tables.batches.get(check.ref.batchId) : undefined;
  const cert = batch ? tables.certificates.get(batch.certificate_id) : undefined;
  const facts =
    batch && cert
      ? {
          batch: { keyNumber: batch.key_number, quantity: batch.quantity },
          certificate: {
            status: cert.status,
            validFrom: cert.valid_from,
            validUntil: cert.valid_until,
            supersededBy: cert.superseded_by && { number: cert.superseded_by.number, stars: cert.superseded_by.stars, validUntil: cert.superseded_by.valid_until },
            renewalPendingSince: cert.renewal_pending_since,
          },
        }
      : null;
  const result = packageVerdict(check, facts, now);
  const found = check.ok && cert && batch && result.reason === null;
  const today = todayInVietnam(now);
  const item = {
    verdict: result.verdict,
    reason: result.reason,
    days_left: result.daysLeft,
    expiring_soon: result.expiringSoon,
    certificate: found
      ? { status: cert.status, valid_until: cert.valid_until, revocation: null, superseded_by: cert.superseded_by, state: result.state, renewal_pending_since: cert.renewal_pending_since }
      : null,
  };
  const why =
    result.reason === 'unknown_batch'
      ? UNCONFIRMED.newer
      : !age.trusted && (result.verdict === 'genuine' || result.reason === 'unknown_key' || result.reason === 'unknown_package')
        ? UNCONFIRMED.stale
        : null;
  const verdict: OfflineVerdict = why ? 'unconfirmed' : result.verdict;
  const words = why
    ? { vi: { verdict: 'Chưa xác nhận được', reason: why.vi, validity: null, renewal: null }, en: { verdict: 'Cannot confirm', reason: why.en, validity: null, renewal: null } }
    : { vi: explain('vi', item), en: explain('en', item) };
  return {
    input,
    verdict,
    reason: why ? null : result.reason,
    warnings: found ? warningsOf(result, { bestBefore: batch.best_before, today }) : warningsOf(result, null),
    words,
    certificate: found ? { number: cert.number, stars: cert.stars, product: cert.product, producer: cert.producer, validUntil: cert.valid_until } : null,
    lot: found && check.ok ? { lotCode: batch.lot_code, serial: check.ref.serial, bestBefore: batch.best_before } : null,
    age,
  };
}
