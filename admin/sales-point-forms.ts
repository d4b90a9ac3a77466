// The forms of where to buy and of the units of today's province (issue 12), shared by the
// admin UI and the admin API like every form in admin/forms.ts.
import { z } from 'zod';
import { isSafeShopUrl } from '../worker/domain/sales-points';
import { CURRENT_COMMUNE_TYPES, SALES_POINT_KINDS } from '../worker/domain/vocabulary';
import { blankTo, choice, MULTILINE, optionalDate, optionalId, optionalNumber, optionalText, requiredText, unitId } from './forms';

/** Repeated form fields (ticked boxes) or a JSON array, as a list of distinct ids. */
function idList(max: number, message: string) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number({ error: 'Mã không hợp lệ / Invalid id' }).int('Mã không hợp lệ / Invalid id').positive('Mã không hợp lệ / Invalid id')).max(max, message),
  );
}

export const salesPointForm = z.object({
  kind: choice(SALES_POINT_KINDS),
  name: requiredText(200, 2),
  producerId: optionalId,
  addressLine: optionalText(300),
  unitId,
  formerUnitId: unitId,
  latitude: optionalNumber(-90, 90),
  longitude: optionalNumber(-180, 180),
  openingHours: optionalText(200),
  phone: z
    .preprocess(blankTo(null), z.string().trim().regex(/^[0-9 +().-]{6,20}$/, 'Số điện thoại không hợp lệ / Invalid phone number').nullable())
    .optional()
    .transform((v) => v ?? null),
  url: z
    .preprocess(blankTo(null), z.string().trim().max(500, 'Tối đa 500 ký tự / At most 500 characters').refine(isSafeShopUrl, 'Đường dẫn phải bắt đầu bằng https:// / The link must start with https://').nullable())
    .optional()
    .transform((v) => v ?? null),
  note: optionalText(1000, MULTILINE),
  productIds: idList(500, 'Tối đa 500 sản phẩm / At most 500 products'),
});

export const unitForm = z.object({
  name: requiredText(100, 2),
  unitType: choice(CURRENT_COMMUNE_TYPES),
  gsoCode: z
    .preprocess(blankTo(null), z.string().trim().regex(/^[0-9]{5}$/, 'Mã GSO của xã gồm 5 chữ số / A commune GSO code has 5 digits').nullable())
    .optional()
    .transform((v) => v ?? null),
  parentId: z.preprocess(blankTo(undefined), z.string({ error: 'Bắt buộc / Required' }).trim().regex(/^[a-z0-9-]{1,60}$/, 'Đơn vị không hợp lệ / Invalid unit')),
  validFrom: optionalDate,
  predecessorIds: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().trim().regex(/^[a-z0-9-]{1,60}$/, 'Đơn vị không hợp lệ / Invalid unit')).max(50, 'Tối đa 50 đơn vị / At most 50 units'),
  ),
});
