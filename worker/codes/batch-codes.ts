import type { KeyRing } from './keyring';
import { packageUrl } from './format';
import { signPackageCodesWith } from './sign';

export interface BatchForCodes {
  id: number;
  key_number: number;
  quantity: number;
  lot_code: string;
}

export interface BatchCode {
  serial: number;
  lot: string;
  code: string;
  url: string;
}

/**
 * Every package URL of a batch, in serial order, signed with the key the batch was
 * issued under. Ed25519 is deterministic, so a repeated download yields the same codes.
 * Refuses a batch whose key was withdrawn (its codes no longer verify as genuine) or whose
 * private half is no longer held here.
 */
export async function* batchUrls(ring: KeyRing, batch: BatchForCodes, baseUrl: string, from = 1, count = batch.quantity - from + 1): AsyncGenerator<BatchCode> {
  const key = ring.get(batch.key_number);
  if (!key) throw new Error(`Khóa ocop-${batch.key_number} của lô không có ở đây / the batch's key ocop-${batch.key_number} is not loaded`);
  if (key.status === 'withdrawn') {
    throw new Error(`Khóa ocop-${batch.key_number} đã bị thu hồi: hãy tạo lô mới / key ocop-${batch.key_number} was withdrawn: issue a new batch`);
  }
  if (!key.privateKey) throw new Error(`Không có khóa bí mật ocop-${batch.key_number} / the private half of ocop-${batch.key_number} is not held here`);
  const last = Math.min(batch.quantity, from + count - 1);
  for await (const { serial, code } of signPackageCodesWith(key, batch.id, from, last - from + 1)) {
    yield { serial, lot: batch.lot_code, code, url: packageUrl(baseUrl, code) };
  }
}
