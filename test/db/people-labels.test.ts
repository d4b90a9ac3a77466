import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_LABELS } from '../../admin/audit-labels';
import { PLAN_INDICATORS } from '../../worker/domain/plan';
import * as vocabulary from '../../worker/domain/vocabulary';
import { VERDICTS } from '../../worker/public/verdict';
import { generateApiToken, hashApiToken } from '../../admin/secrets';
import { createToken } from '../../worker/db/users-and-tokens';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, postForm, sessionFor } from './admin-support';

// What officials read and file (the audit log, the reports, the CSVs meant for people) shows
// words, never the machine keys the database and the JSON API use (issue 12): no
// `certificate.revoke`, no `food_safety_violation`, no "certificate #10".

const NOW = new Date('2026-03-10T03:00:00Z');
let ctx: TestContext;
let admin: string;
let auditor: string;

/** Every closed vocabulary of vocabulary.ts (each an `as const` tuple), the scan verdicts, plan indicators and audit actions. */
const KEYS: string[] = [
  ...(Object.values(vocabulary) as unknown[]).filter((v): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')).flat(),
  ...VERDICTS,
  ...PLAN_INDICATORS,
  ...Object.keys(ACTION_LABELS),
];
/** Keys no Vietnamese or English word looks like (an underscore or a dot): checked in every piece of text. */
const COMPOSITE = KEYS.filter((k) => /[_.]/.test(k));
/** One-word keys (`active`, `other`, `district`): checked in the cells and files that carry values, case-sensitively. */
const SIMPLE = KEYS.filter((k) => !/[_.]/.test(k));

function visible(html: string): string {
  return html
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

/** The text of each table cell (<td>), where the values of records are shown. */
function cells(html: string): string[] {
  return [...html.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => visible(m[1]!).trim());
}

function rawKeysIn(text: string, keys: string[]): string[] {
  return keys.filter((k) => new RegExp(`(^|[^\\p{L}\\p{N}_.])${k.replace(/\./g, '\\.')}($|[^\\p{L}\\p{N}_])`, 'u').test(text));
}

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
  auditor = await sessionFor(ctx, DEMO_EMAILS.auditor);
  // More kinds of entries: the daily job records expiries (reason written by the system).
  expect((await postForm(ctx, '/admin/jobs/daily', admin)).status).toBe(303);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the audit log in words', () => {
  it('names actions, records, grounds and changes in Vietnamese, with no raw key or internal id', async () => {
    // The seed revoked a certificate for a ground stored as a key; the log must name it.
    const revoke = await ctx.db.selectFrom('audit_log').select(['reason', 'entity_id']).where('action', '=', 'certificate.revoke').executeTakeFirstOrThrow();
    expect(revoke.reason).toMatch(/[a-z]+_[a-z_]+/);
    const html = await (await get(ctx, '/admin/audit', auditor)).text();
    const text = visible(html);
    expect(rawKeysIn(text, COMPOSITE)).toEqual([]);
    const found = cells(html).filter((c) => rawKeysIn(c, SIMPLE).length > 0);
    expect(found).toEqual([]);
    expect(text).not.toMatch(/#\d+/);
    expect(text).toContain('Thu hồi giấy chứng nhận');
    expect(text).toContain('Ghi nhận giấy chứng nhận hết hạn');
    expect(text).toContain('Hết thời hạn hiệu lực');
    const cert = await ctx.db.selectFrom('certificates as c').innerJoin('products as p', 'p.id', 'c.product_id').select(['c.number', 'p.name']).where('c.id', '=', Number(revoke.entity_id)).executeTakeFirstOrThrow();
    expect(text).toContain(`Giấy chứng nhận ${cert.number} (${cert.name})`);
    // The record column never falls back to a bare number.
    const rows = [...html.matchAll(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) expect(r).not.toMatch(/^[\p{L} ]+ \d+$/u);
    // The filters offer words too.
    expect(html).toContain('<option value="certificate.revoke">Thu hồi giấy chứng nhận</option>');
    expect(html).toContain('<option value="package_batch">Lô mã</option>');
  });

  it('exports the same words as CSV for people, while the JSON API keeps its machine keys', async () => {
    const csv = (await (await get(ctx, '/admin/audit.csv', auditor)).text()).replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')[0]).toBe('Thời điểm,Người thực hiện,Hành động,Đối tượng,Lý do,Thay đổi');
    expect(rawKeysIn(csv, COMPOSITE)).toEqual([]);
    expect(rawKeysIn(csv, SIMPLE)).toEqual([]);
    expect(csv).not.toMatch(/#\d+/);
    const ground = await ctx.db.selectFrom('certificates').select('revocation_ground').where('status', '=', 'revoked').executeTakeFirstOrThrow();
    expect(csv).toContain(vocabulary.REVOCATION_GROUND_LABELS[ground.revocation_ground!].vi);
    // Other systems read the API's CSV by its documented machine columns.
    const token = generateApiToken();
    await createToken(ctx.db, { userId: null, label: 'test' }, { name: 'audit csv', role: 'auditor', areaUnitId: null, producerId: null }, await hashApiToken(token));
    const api = (await (await ctx.app.request('/api/v1/admin/audit.csv?action=certificate.revoke', { headers: { authorization: `Bearer ${token}` } })).text()).replace(/^\uFEFF/, '');
    expect(api.split('\r\n')[0]).toBe('id,at,actor_user_id,actor,action,entity,entity_id,reason,before,after');
    expect(api).toContain(',certificate.revoke,certificate,');
  });
});

describe('reports and people-facing CSVs in words', () => {
  it('the report page names events, grounds and scan verdicts in Vietnamese', async () => {
    for (const period of ['2025', '2026-H1']) {
      const html = await (await get(ctx, `/admin/reports?period=${period}&compare=2024`, auditor)).text();
      expect(rawKeysIn(visible(html), COMPOSITE), period).toEqual([]);
      expect(rawKeysIn(cells(html).join('\n'), SIMPLE), period).toEqual([]);
      expect(visible(html)).not.toMatch(/#\d+/);
    }
    const h1 = visible(await (await get(ctx, '/admin/reports?period=2026-H1', auditor)).text()).replace(/\s+/g, ' ');
    expect(h1).toMatch(/lý do: Ngừng sản xuất 1/);
    expect(h1).toMatch(/kết quả: Chính hãng \d+/);
  });

  it('the report CSV, the print view and the expiry notices carry no machine key', async () => {
    for (const path of ['/admin/reports.csv?period=2026-H1&compare=2025-H2', '/admin/reports.csv?period=2025', '/admin/notices.csv']) {
      const body = (await (await get(ctx, path, admin)).text()).replace(/^\uFEFF/, '');
      expect(rawKeysIn(body, COMPOSITE), path).toEqual([]);
      expect(rawKeysIn(body, SIMPLE), path).toEqual([]);
      expect(body, path).not.toMatch(/#\d+/);
    }
    const print = await (await get(ctx, '/admin/reports/print?period=2026-H1', auditor)).text();
    expect(rawKeysIn(visible(print), COMPOSITE)).toEqual([]);
    expect(rawKeysIn(cells(print).join('\n'), SIMPLE)).toEqual([]);
  });
});
