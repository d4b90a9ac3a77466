// Scan summaries (issue 14): what the summaries say equals what the raw rows say, before
// and after folding; reads do not wait for cache refreshes; bulk verification reads the
// states of all batches of a request in a fixed number of queries; retention changes
// nothing anyone sees.
import fc from 'fast-check';
import type { KyselyPlugin } from 'kysely';
import { ScanService } from '../../worker/public/scan-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyItems } from '../../worker/api/results';
import { signPackageCode } from '../../worker/codes/sign';
import { loadPackageStates, PackageStateCache } from '../../worker/db/batches';
import { periodReport } from '../../worker/db/reports';
import {
  foldScans, insertScans, packageKey, packageScanStats, scanHistories, scansByVerdict, scanSummary, scanTotals, type ScanRecord,
} from '../../worker/db/scans';
import { addDays, addMonthsClamped, todayInVietnam, vietnamDayStart } from '../../worker/domain/dates';
import { runDailyJob } from '../../worker/jobs/daily';
import { looksCopied } from '../../worker/public/scan-service';
import { createTestContext, type TestContext } from '../helpers/app';
import { DEMO_EMAILS, get, sessionFor, text } from './admin-support';

let ctx: TestContext;
const NOW = new Date('2026-11-30T05:00:00Z');
let certificateId: number;
let lots = 0;

beforeAll(async () => {
  ctx = await createTestContext({ seed: true, now: NOW });
  const cert = await ctx.db
    .selectFrom('package_batches as b')
    .innerJoin('certificates as c', 'c.id', 'b.certificate_id')
    .select('c.id')
    .where('b.lot_code', '=', 'HM-RM-01')
    .executeTakeFirstOrThrow();
  certificateId = cert.id;
});

afterAll(async () => {
  await ctx.close();
});

/** Fresh batches under a seeded certificate, inserted in one statement. */
async function newBatches(n: number, quantity = 100): Promise<number[]> {
  const keyNumber = ctx.keys.signer().keyNumber;
  const rows = Array.from({ length: n }, () => ({
    certificate_id: certificateId, lot_code: `T-${++lots}`, production_date: '2026-01-10', best_before: null, quantity, key_number: keyNumber, created_by: null,
  }));
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await ctx.db.insertInto('package_batches').values(rows.slice(i, i + 1000)).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

// ---------------------------------------------------------------------------------------
// The oracle: summaries computed in plain code from the scans themselves.

interface Expected {
  count: number;
  first: number;
  last: number;
  people: number;
  places: number;
  day: string;
  dayScans: number;
  dayPeople: number;
}

function expectedPackages(scans: ScanRecord[]): Map<string, Expected> {
  const groups = new Map<string, ScanRecord[]>();
  for (const s of scans) {
    const key = packageKey(s.batchId, s.serial);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out = new Map<string, Expected>();
  for (const [key, list] of groups) {
    const days = list.map((s) => todayInVietnam(s.scannedAt));
    const day = days.reduce((a, b) => (a > b ? a : b));
    const onDay = list.filter((_, i) => days[i] === day);
    out.set(key, {
      count: list.length,
      first: Math.min(...list.map((s) => s.scannedAt.getTime())),
      last: Math.max(...list.map((s) => s.scannedAt.getTime())),
      people: new Set(list.flatMap((s, i) => (s.clientHash ? [`${days[i]}|${s.clientHash}`] : []))).size,
      places: new Set(list.flatMap((s) => (s.place ? [s.place] : []))).size,
      day,
      dayScans: onDay.length,
      dayPeople: new Set(onDay.flatMap((s) => (s.clientHash ? [s.clientHash] : []))).size,
    });
  }
  return out;
}

/** Everything the app reads about the given batches, in comparable form. */
async function views(batchIds: number[], packages: { batchId: number; serial: number }[], now: Date) {
  const histories = await scanHistories(ctx.db, packages, now);
  return {
    histories: Object.fromEntries([...histories].sort(([a], [b]) => a.localeCompare(b))),
    totals: await scanTotals(ctx.db, batchIds),
    top: await packageScanStats(ctx.db, batchIds, 50),
    summary: await scanSummary(ctx.db, batchIds),
    listed: (await ctx.db.selectFrom('scan_batches').selectAll().where('batch_id', 'in', batchIds).orderBy('batch_id').execute()),
  };
}

describe('summaries equal what the raw rows say', () => {
  const scanArb = fc.record({
    batch: fc.nat(2),
    serial: fc.integer({ min: 1, max: 6 }),
    // Mostly recent, some older than the 13-month retention period.
    minutesAgo: fc.oneof(fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.integer({ min: 0, max: 500 * 24 * 60 })),
    place: fc.constantFrom(null, null, 'VN-Hà Nội', 'VN-Đồng Nai', 'KH-Phnom Penh'),
    client: fc.option(fc.nat(4), { nil: null }),
    verdict: fc.constantFrom('genuine', 'genuine', 'expired'),
  });

  it('for random scan streams written in random chunks, before and after folding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scanArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
        fc.array(scanArb.map((s) => ({ ...s, minutesAgo: s.minutesAgo % 180 })), { maxLength: 10 }),
        fc.boolean(),
        async (stream, chunkSizes, later, inTimeOrder) => {
          const batchIds = await newBatches(3);
          const toRecord = (s: typeof stream[number]): ScanRecord => ({
            batchId: batchIds[s.batch]!, serial: s.serial, scannedAt: new Date(NOW.getTime() - s.minutesAgo * 60_000),
            place: s.place, clientHash: s.client === null ? null : `c${s.client}`, verdict: s.verdict,
          });
          // In chunks of random size; in time order as the scan page writes them, or in any
          // order (deferred writes of several processes may overtake each other).
          const records = stream.map(toRecord);
          if (inTimeOrder) records.sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime());
          for (let i = 0, c = 0; i < records.length; c++) {
            const size = chunkSizes[c % chunkSizes.length]!;
            await insertScans(ctx.db, records.slice(i, i + size));
            i += size;
          }
          const packages = [...new Set(records.map((r) => packageKey(r.batchId, r.serial)))].map((k) => {
            const [b, s] = k.split(':').map(Number);
            return { batchId: b!, serial: s! };
          });

          // Raw rows as stored say what the stream says; the summaries say the same.
          const raw = await ctx.db.selectFrom('scans').selectAll().where('batch_id', 'in', batchIds).execute();
          expect(raw).toHaveLength(records.length);
          const expected = expectedPackages(records);
          const rows = await ctx.db.selectFrom('scan_packages').selectAll().where('batch_id', 'in', batchIds).execute();
          expect(rows).toHaveLength(expected.size);
          for (const r of rows) {
            const e = expected.get(packageKey(r.batch_id, r.serial))!;
            expect({
              count: r.scans, first: new Date(r.first_scan_at).getTime(), last: new Date(r.last_scan_at).getTime(), people: r.people, places: r.places,
              day: r.day, dayScans: r.day_scans, dayPeople: r.day_people,
            }).toEqual(e);
          }
          const totals = await scanTotals(ctx.db, batchIds);
          expect(totals.total).toBe(records.length);
          expect(totals.packages).toBe(expected.size);
          const verdicts = new Map<string, number>();
          for (const r of records) verdicts.set(r.verdict, (verdicts.get(r.verdict) ?? 0) + 1);
          expect(totals.byVerdict).toEqual([...verdicts].sort(([a], [b]) => a.localeCompare(b)).map(([verdict, scans]) => ({ verdict, scans })));
          const summary = await scanSummary(ctx.db, batchIds);
          expect(summary.places).toBe(new Set(records.flatMap((r) => (r.place ? [r.place] : []))).size);
          expect(summary.last?.getTime()).toBe(Math.max(...records.map((r) => r.scannedAt.getTime())));

          // Folding deletes the old raw rows and changes nothing that is read.
          const before = await views(batchIds, packages, NOW);
          const folded = await foldScans(ctx.db, NOW, 13);
          const cutoff = vietnamDayStart(addMonthsClamped(todayInVietnam(NOW), -13));
          const old = records.filter((r) => r.scannedAt < cutoff).length;
          const left = await ctx.db.selectFrom('scans').select('scanned_at').where('batch_id', 'in', batchIds).execute();
          expect(left).toHaveLength(records.length - old);
          expect(left.every((r) => new Date(r.scanned_at) >= cutoff)).toBe(true);
          expect(folded.deletedScans).toBeGreaterThanOrEqual(old);
          expect(await views(batchIds, packages, NOW)).toEqual(before);

          // Scans written after folding still add up to everything ever scanned.
          const more = later.map(toRecord).map((r) => ({ ...r, scannedAt: new Date(NOW.getTime() + (NOW.getTime() - r.scannedAt.getTime())) }));
          await insertScans(ctx.db, more);
          const all = expectedPackages([...records, ...more]);
          const after = await ctx.db.selectFrom('scan_packages').selectAll().where('batch_id', 'in', batchIds).execute();
          expect(after).toHaveLength(all.size);
          for (const r of after) {
            const e = all.get(packageKey(r.batch_id, r.serial))!;
            expect([r.scans, r.people, r.places, r.day, r.day_scans, r.day_people]).toEqual([e.count, e.people, e.places, e.day, e.dayScans, e.dayPeople]);
          }
          expect((await scanTotals(ctx.db, batchIds)).total).toBe(records.length + more.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts people, not page loads: 50 reloads by one client are one person and no copy warning', async () => {
    const [batchId] = await newBatches(1);
    const at = (m: number) => new Date(NOW.getTime() - m * 60_000);
    await insertScans(ctx.db, Array.from({ length: 50 }, (_, i) => ({ batchId: batchId!, serial: 1, scannedAt: at(50 - i), place: null, clientHash: 'same', verdict: 'genuine' })));
    // Many distinct clients over several days: a copied label.
    await insertScans(ctx.db, Array.from({ length: 24 }, (_, i) => ({ batchId: batchId!, serial: 2, scannedAt: at(60 * 24 * (i % 4) + i), place: null, clientHash: `p${i}`, verdict: 'genuine' })));
    const h = await scanHistories(ctx.db, [{ batchId: batchId!, serial: 1 }, { batchId: batchId!, serial: 2 }], NOW);
    const one = h.get(packageKey(batchId!, 1))!;
    expect(one).toMatchObject({ count: 50, people: 1, scansToday: 50, peopleToday: 1 });
    expect(looksCopied(one)).toBe(false);
    const many = h.get(packageKey(batchId!, 2))!;
    expect(many).toMatchObject({ count: 24, people: 24, peopleToday: 6 });
    expect(looksCopied(many)).toBe(true);
  });
});

describe('retention', () => {
  it('the daily job deletes raw scans past SCAN_RETENTION_MONTHS and the scan page, copy rule, admin pages and reports show the same', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    const longAgo = (days: number, i: number) => new Date(NOW.getTime() - days * 86_400_000 - i * 60_000);
    // Serial 9: 30 people 15 months ago (a copy warning), then one scan last week.
    await insertScans(ctx.db, [
      ...Array.from({ length: 30 }, (_, i) => ({ batchId: batch.id, serial: 9, scannedAt: longAgo(460, i), place: i % 2 ? 'VN-Hà Nội' : null, clientHash: `old${i}`, verdict: 'genuine' })),
      { batchId: batch.id, serial: 9, scannedAt: longAgo(7, 0), place: null, clientHash: 'recent', verdict: 'genuine' },
    ]);
    const code = await signPackageCode(ctx.keys, batch.id, 9);
    const producer = await sessionFor(ctx, DEMO_EMAILS.producer);
    const admin = await sessionFor(ctx, DEMO_EMAILS.province_admin);
    const product = await ctx.db.selectFrom('certificates').select('product_id').where('id', '=', certificateId).executeTakeFirstOrThrow();
    const bot = { 'user-agent': 'facebookexternalhit/1.1' }; // rendered like a scan, not logged
    const scanText = async () => {
      const html = await (await get(ctx, `/v/${code}`, undefined, bot)).text();
      // The verdict box (where the copy warning is) and the history card.
      return [/<section class="verdict[\s\S]*?<\/section>/.exec(html)?.[0], /<section class="card"><h2>Lịch sử xác thực[\s\S]*?<\/section>/.exec(html)?.[0]].join('\n');
    };
    const seen = async () => ({
      scan: await scanText(),
      batchPage: text(await (await get(ctx, `/admin/batches/${batch.id}`, producer)).text()),
      productPage: text(await (await get(ctx, `/admin/products/${product.product_id}`, admin)).text()),
      report: await periodReport(ctx.db, addDays(todayInVietnam(NOW), -600), todayInVietnam(NOW), todayInVietnam(NOW)),
      reportPage: text(await (await get(ctx, `/admin/reports?period=custom&from=${addDays(todayInVietnam(NOW), -600)}&to=${todayInVietnam(NOW)}`, admin)).text()),
      verdicts: await scansByVerdict(ctx.db, '2020-01-01', todayInVietnam(NOW)),
    });
    const before = await seen();
    expect(before.scan).toContain('nhãn có thể đã bị sao chép');
    expect(before.batchPage).toMatch(/9 31 31 1/); // serial 9: 31 scans by 31 people from 1 place

    const result = await runDailyJob(ctx.db, NOW, { scanRetentionMonths: 13 });
    expect(result.retention.deletedScans).toBeGreaterThanOrEqual(30);
    const rawLeft = await ctx.db.selectFrom('scans').select('scanned_at').where('batch_id', '=', batch.id).where('serial', '=', 9).execute();
    expect(rawLeft).toHaveLength(1);
    ctx.deps.cache.invalidate();
    expect(await seen()).toEqual(before);
  });
});

describe('bulk verification across many batches', () => {
  it('reads the states of all batches of a request in a fixed number of queries', async () => {
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = ctx.db.withPlugin(counting);
    const run = async (batches: number) => {
      const ids = await newBatches(batches, 5);
      const codes = await Promise.all(ids.map((id, i) => signPackageCode(ctx.keys, id, (i % 5) + 1)));
      ctx.deps.cache.invalidate();
      queries = 0;
      const results = await verifyItems(ctx.deps, db, codes, NOW);
      expect(results.map((r) => r.verdict)).toEqual(codes.map(() => 'genuine'));
      expect(results.map((r) => r.package?.batch_id)).toEqual(ids);
      return queries;
    };
    const few = await run(3);
    const many = await run(1500);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(4);
  });
});

describe('cache refreshes never hold a scan', () => {
  it('concurrent scans of a batch that is not cached share one load', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select('id').where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    let loads = 0;
    const cache = new PackageStateCache(30, () => 0, {
      load: async (db, ids, units, today) => {
        loads++;
        return loadPackageStates(db, ids, units, today);
      },
    });
    const states = await Promise.all(Array.from({ length: 20 }, () => cache.get(ctx.db, batch.id, '2026-11-30')));
    expect(loads).toBe(1);
    expect(states.every((s) => s?.batch.id === batch.id)).toBe(true);
  });

  it('past half the TTL a scan gets the current state at once while the reload runs; the reload then takes effect', async () => {
    const batch = await ctx.db.selectFrom('package_batches').select(['id', 'best_before']).where('lot_code', '=', 'HM-RM-01').executeTakeFirstOrThrow();
    let clock = 0;
    let gate: Promise<void> | null = null;
    let open = () => undefined as void;
    const cache = new PackageStateCache(30, () => clock, {
      load: async (db, ids, units, today) => {
        if (gate) await gate;
        return loadPackageStates(db, ids, units, today);
      },
    });
    // The app's scan service reads package states through this cache.
    const original = { cache: ctx.deps.cache, scans: ctx.deps.scans };
    ctx.deps.cache = cache;
    ctx.deps.scans = new ScanService({ keys: ctx.deps.keys, cache, scanLog: ctx.deps.scans.log });
    try {
      const code = await signPackageCode(ctx.keys, batch.id, 4);
      const bot = { 'user-agent': 'facebookexternalhit/1.1' };
      expect((await get(ctx, `/v/${code}`, undefined, bot)).status).toBe(200);

      // The lot changes behind this process's back (another process); then the reload hangs.
      await ctx.db.updateTable('package_batches').set({ best_before: '2029-12-31' }).where('id', '=', batch.id).execute();
      gate = new Promise<void>((resolve) => (open = resolve));
      clock = 20_000; // past half of the 30 s TTL
      const during = await get(ctx, `/v/${code}`, undefined, bot);
      expect(during.status).toBe(200);
      expect(await during.text()).not.toContain('31/12/2029');
      const again = await get(ctx, `/v/${code}`, undefined, bot); // answered while the reload still waits
      expect(again.status).toBe(200);

      open();
      await cache.settled();
      expect(await (await get(ctx, `/v/${code}`, undefined, bot)).text()).toContain('31/12/2029');
    } finally {
      ctx.deps.cache = original.cache;
      ctx.deps.scans = original.scans;
      await ctx.db.updateTable('package_batches').set({ best_before: batch.best_before }).where('id', '=', batch.id).execute();
    }
  });
});
