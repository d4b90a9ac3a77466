// Scans: the scan log the scan page writes and reads (ScanLog), the summaries kept with
// every write, the counts the admin pages and reports show, and retention (foldScans).
//
// Every read here goes through the summary tables by index; none counts raw `scans` rows,
// so their cost does not grow with history. Raw rows are kept for the retention period
// only (details for an investigation); they are counted in the summaries when written.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PackageBatch, ScanPackagesTable } from '../../schema/database';
import { addDays, addMonthsClamped, todayInVietnam, vietnamDayStart } from '../domain/dates';
import { pgErrorCode } from './errors';

/** One scan of a package page. No raw IP: a coarse place and a salted, daily-rotating hash. */
export interface ScanRecord {
  batchId: number;
  serial: number;
  scannedAt: Date;
  place: string | null;
  clientHash: string | null;
  verdict: string;
}

/** What the scan page knows of a package's earlier scans. */
export interface ScanHistory {
  count: number;
  first: Date | null;
  last: Date | null;
  /** Distinct coarse places (country-region). */
  places: number;
  /**
   * Distinct people: distinct (Vietnam day, client hash) pairs. The client hash rotates
   * daily, so one phone scanning on three days counts three times, and reloads within a
   * day count once.
   */
  people: number;
  /** Scans and distinct people on the Vietnam day of `now`. */
  scansToday: number;
  peopleToday: number;
}

export const EMPTY_HISTORY: ScanHistory = { count: 0, first: null, last: null, places: 0, people: 0, scansToday: 0, peopleToday: 0 };

/** The Vietnam calendar day of a timestamp column, as SQL (UTC+7 without daylight saving, no time-zone database needed). */
const vnDay = (column: string) => sql.raw(`((${column} at time zone 'UTC') + interval '7 hours')::date`);

const DEADLOCK = '40P01';

/**
 * Writes scans and updates every summary in one statement (one round trip, one implicit
 * transaction). Counters are upserts (INSERT … ON CONFLICT DO UPDATE); "distinct" counts
 * (people per package and day, places per package) insert a key row with ON CONFLICT DO
 * NOTHING and add only the rows that were new. Input is grouped first, because one
 * statement may not update a row twice, and sorted, so that concurrent writers lock rows
 * in the same order; a deadlock that still happens (CTEs run in an unspecified order) is
 * retried, since the statement changed nothing.
 */
export async function insertScans(db: Kysely<Database>, rows: readonly ScanRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const b = rows.map((r) => r.batchId);
  const s = rows.map((r) => r.serial);
  const at = rows.map((r) => r.scannedAt.toISOString());
  const place = rows.map((r) => r.place);
  const hash = rows.map((r) => r.clientHash);
  const verdict = rows.map((r) => r.verdict);
  const statement = sql`
    with input as (
      select t.b, t.s, t.at, t.place, t.hash, t.verdict, ((t.at at time zone 'UTC') + interval '7 hours')::date as day
      from unnest(${b}::int[], ${s}::int[], ${at}::timestamptz[], ${place}::text[], ${hash}::text[], ${verdict}::text[]) as t(b, s, at, place, hash, verdict)
    ),
    raw as (
      insert into scans (batch_id, serial, scanned_at, place, client_hash, verdict)
      select b, s, at, place, hash, verdict from input
    ),
    new_clients as (
      insert into scan_package_clients (day, batch_id, serial, client_hash)
      select distinct day, b, s, hash from input where hash is not null order by 2, 3, 1, 4
      on conflict do nothing
      returning day, batch_id, serial
    ),
    new_places as (
      insert into scan_package_places (batch_id, serial, place)
      select distinct b, s, place from input where place is not null order by 1, 2, 3
      on conflict do nothing
      returning batch_id, serial
    ),
    pkg as (
      select p.b, p.s, p.first, p.last, p.n, p.day, pd.n as day_n,
        coalesce(ca.n, 0) as people_n, coalesce(cd.n, 0) as day_people_n, coalesce(pl.n, 0) as places_n
      from (select b, s, min(at) as first, max(at) as last, count(*)::int as n, max(day) as day from input group by b, s) p
      join (select b, s, day, count(*)::int as n from input group by b, s, day) pd on pd.b = p.b and pd.s = p.s and pd.day = p.day
      left join (select batch_id, serial, count(*)::int as n from new_clients group by 1, 2) ca on ca.batch_id = p.b and ca.serial = p.s
      left join (select batch_id, serial, day, count(*)::int as n from new_clients group by 1, 2, 3) cd on cd.batch_id = p.b and cd.serial = p.s and cd.day = p.day
      left join (select batch_id, serial, count(*)::int as n from new_places group by 1, 2) pl on pl.batch_id = p.b and pl.serial = p.s
    ),
    up_pkg as (
      insert into scan_packages as t (batch_id, serial, first_scan_at, last_scan_at, scans, people, places, day, day_scans, day_people)
      select b, s, first, last, n, people_n, places_n, day, day_n, day_people_n from pkg order by b, s
      on conflict (batch_id, serial) do update set
        first_scan_at = least(t.first_scan_at, excluded.first_scan_at),
        last_scan_at = greatest(t.last_scan_at, excluded.last_scan_at),
        scans = t.scans + excluded.scans,
        people = t.people + excluded.people,
        places = t.places + excluded.places,
        day = greatest(t.day, excluded.day),
        day_scans = case when excluded.day > t.day then excluded.day_scans when excluded.day = t.day then t.day_scans + excluded.day_scans else t.day_scans end,
        day_people = case when excluded.day > t.day then excluded.day_people when excluded.day = t.day then t.day_people + excluded.day_people else t.day_people end
      returning batch_id, serial, scans
    ),
    up_batch as (
      insert into scan_batches as t (batch_id, scans, packages, first_scan_at, last_scan_at)
      select p.b, sum(p.n), count(*) filter (where u.scans = p.n), min(p.first), max(p.last)
      from pkg p join up_pkg u on u.batch_id = p.b and u.serial = p.s
      group by p.b order by p.b
      on conflict (batch_id) do update set
        scans = t.scans + excluded.scans,
        packages = t.packages + excluded.packages,
        first_scan_at = least(t.first_scan_at, excluded.first_scan_at),
        last_scan_at = greatest(t.last_scan_at, excluded.last_scan_at)
    ),
    up_places as (
      insert into scan_batch_places as t (batch_id, place, scans)
      select b, coalesce(place, ''), count(*) from input group by 1, 2 order by 1, 2
      on conflict (batch_id, place) do update set scans = t.scans + excluded.scans
    ),
    up_days as (
      insert into scan_days as t (batch_id, day, verdict, scans)
      select b, day, verdict, count(*) from input group by 1, 2, 3 order by 1, 2, 3
      on conflict (batch_id, day, verdict) do update set scans = t.scans + excluded.scans
    )
    select 1 as done`;
  for (let attempt = 1; ; attempt++) {
    try {
      await statement.execute(db);
      return;
    } catch (error) {
      if (pgErrorCode(error) !== DEADLOCK || attempt >= 3) throw error;
    }
  }
}

export function packageKey(batchId: number, serial: number): string {
  return `${batchId}:${serial}`;
}

/** A `scan_packages` row as the raw-SQL reads return it. */
type PackageRow = Selectable<ScanPackagesTable>;

function toHistory(r: PackageRow, today: string): ScanHistory {
  const sameDay = r.day === today;
  return {
    count: Number(r.scans),
    first: new Date(r.first_scan_at),
    last: new Date(r.last_scan_at),
    places: Number(r.places),
    people: Number(r.people),
    scansToday: sameDay ? Number(r.day_scans) : 0,
    peopleToday: sameDay ? Number(r.day_people) : 0,
  };
}

/** Scan histories of many packages in one query: one primary-key lookup each in `scan_packages`. */
export async function scanHistories(
  db: Kysely<Database>,
  packages: readonly { batchId: number; serial: number }[],
  now: Date,
): Promise<Map<string, ScanHistory>> {
  const out = new Map<string, ScanHistory>();
  if (packages.length === 0) return out;
  const rows = await sql<PackageRow>`
    select p.* from unnest(${packages.map((p) => p.batchId)}::int[], ${packages.map((p) => p.serial)}::int[]) as k(b, s)
    join scan_packages p on p.batch_id = k.b and p.serial = k.s`.execute(db);
  const today = todayInVietnam(now);
  for (const r of rows.rows) out.set(packageKey(Number(r.batch_id), Number(r.serial)), toHistory(r, today));
  return out;
}

// ---------------------------------------------------------------------------------------
// Counts for officials and producers, all from the summaries

export interface PackageScanStat {
  batch_id: number;
  serial: number;
  scans: number;
  people: number;
  places: number;
  first: Date;
  last: Date;
}

/**
 * Packages by how often they were scanned. A genuine package is scanned a few times; one
 * scanned dozens of times from several places is most likely a copied label. The top of
 * each batch is read from the (batch_id, scans desc) index, then merged: the cost grows
 * with the number of batches, not with the packages scanned.
 */
export async function packageScanStats(db: Kysely<Database>, batchIds: number[], limit = 20): Promise<PackageScanStat[]> {
  if (batchIds.length === 0) return [];
  const rows = await sql<PackageRow>`
    select top.* from unnest(${batchIds}::int[]) as k(b)
    cross join lateral (
      select * from scan_packages p where p.batch_id = k.b order by p.scans desc, p.serial limit ${limit}
    ) top
    order by top.scans desc, top.serial, top.batch_id
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    batch_id: Number(r.batch_id), serial: Number(r.serial), scans: Number(r.scans), people: Number(r.people), places: Number(r.places),
    first: new Date(r.first_scan_at), last: new Date(r.last_scan_at),
  }));
}

export interface ScanTotals {
  total: number;
  packages: number;
  places: { place: string; scans: number }[];
  byVerdict: { verdict: string; scans: number }[];
}

export async function scanTotals(db: Kysely<Database>, batchIds: number[]): Promise<ScanTotals> {
  if (batchIds.length === 0) return { total: 0, packages: 0, places: [], byVerdict: [] };
  const t = await db
    .selectFrom('scan_batches')
    .select([sql<number>`coalesce(sum(scans), 0)`.as('total'), sql<number>`coalesce(sum(packages), 0)`.as('packages')])
    .where('batch_id', 'in', batchIds)
    .executeTakeFirstOrThrow();
  const places = await db
    .selectFrom('scan_batch_places')
    .select([sql<string>`case when place = '' then '?' else place end`.as('place'), sql<number>`sum(scans)`.as('scans')])
    .where('batch_id', 'in', batchIds)
    .groupBy('place')
    .orderBy(sql`sum(scans)`, 'desc')
    .orderBy('place')
    .limit(10)
    .execute();
  const byVerdict = await db
    .selectFrom('scan_days')
    .select(['verdict', sql<number>`sum(scans)`.as('scans')])
    .where('batch_id', 'in', batchIds)
    .groupBy('verdict')
    .orderBy('verdict')
    .execute();
  return {
    total: Number(t.total),
    packages: Number(t.packages),
    places: places.map((p) => ({ place: p.place, scans: Number(p.scans) })),
    byVerdict: byVerdict.map((v) => ({ verdict: v.verdict, scans: Number(v.scans) })),
  };
}

export interface BatchSummary extends PackageBatch {
  scans: number;
  scanned_packages: number;
  last_scan: Date | null;
}

/** Batches of the given certificates, newest first, with how often and how many of their packages were scanned. */
export async function batchSummaries(db: Kysely<Database>, certificateIds: number[]): Promise<BatchSummary[]> {
  if (certificateIds.length === 0) return [];
  const rows = await db
    .selectFrom('package_batches as b')
    .leftJoin('scan_batches as s', 's.batch_id', 'b.id')
    .selectAll('b')
    .select([
      sql<number>`coalesce(s.scans, 0)`.as('scans'),
      sql<number>`coalesce(s.packages, 0)`.as('scanned_packages'),
      's.last_scan_at as last_scan',
    ])
    .where('b.certificate_id', 'in', certificateIds)
    .orderBy('b.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans), scanned_packages: Number(r.scanned_packages), last_scan: r.last_scan ? new Date(r.last_scan) : null }));
}

export interface ScanSummary {
  total: number;
  packages: number;
  places: number;
  last: Date | null;
}

/** Scans of the given batches: how many, of how many packages, from how many places, the latest. */
export async function scanSummary(db: Kysely<Database>, batchIds: number[]): Promise<ScanSummary> {
  if (batchIds.length === 0) return { total: 0, packages: 0, places: 0, last: null };
  const s = await db
    .selectFrom('scan_batches')
    .select([
      sql<number>`coalesce(sum(scans), 0)`.as('total'),
      sql<number>`coalesce(sum(packages), 0)`.as('packages'),
      sql<Date | null>`max(last_scan_at)`.as('last'),
    ])
    .where('batch_id', 'in', batchIds)
    .executeTakeFirstOrThrow();
  const p = await db
    .selectFrom('scan_batch_places')
    .select(sql<number>`count(distinct place)`.as('n'))
    .where('batch_id', 'in', batchIds)
    .where('place', '<>', '')
    .executeTakeFirstOrThrow();
  return { total: Number(s.total), packages: Number(s.packages), places: Number(p.n), last: s.last ? new Date(s.last) : null };
}

/** Scans per verdict on the Vietnam days [from, to] (period reports). */
export async function scansByVerdict(db: Kysely<Database>, from: string, to: string): Promise<{ verdict: string; count: number }[]> {
  const rows = await db
    .selectFrom('scan_days')
    .select(['verdict', sql<number>`sum(scans)`.as('count')])
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy('verdict')
    .orderBy('verdict')
    .execute();
  return rows.map((r) => ({ verdict: r.verdict, count: Number(r.count) }));
}

// ---------------------------------------------------------------------------------------
// Retention

export const DEFAULT_SCAN_RETENTION_MONTHS = 13;
const FOLD_CHUNK = 20_000;

export interface FoldResult {
  cutoff: Date;
  deletedScans: number;
  deletedClientKeys: number;
}

/**
 * Storage stays bounded: raw scans older than `retentionMonths` are deleted. They were
 * counted in the summaries when written, so nothing shown changes. Deleted in chunks of
 * primary keys, each its own short statement: PGlite has one connection, and scans keep
 * being written meanwhile on Postgres. Also drops the per-day client keys of days before
 * yesterday: a new scan is never on those days, and their people are already counted.
 */
export async function foldScans(db: Kysely<Database>, now: Date, retentionMonths: number): Promise<FoldResult> {
  const today = todayInVietnam(now);
  const cutoff = vietnamDayStart(addMonthsClamped(today, -retentionMonths));
  // The BRIN index finds the old block ranges; ids grow with time, so they bound the chunks.
  const bounds = await db
    .selectFrom('scans')
    .select([sql<number | null>`min(id)`.as('lo'), sql<number | null>`max(id)`.as('hi')])
    .where('scanned_at', '<', cutoff)
    .executeTakeFirstOrThrow();
  let deletedScans = 0;
  if (bounds.lo !== null && bounds.hi !== null) {
    for (let lo = Number(bounds.lo); lo <= Number(bounds.hi); lo += FOLD_CHUNK) {
      const r = await db
        .deleteFrom('scans')
        .where('id', '>=', lo)
        .where('id', '<', Math.min(lo + FOLD_CHUNK, Number(bounds.hi) + 1))
        .where('scanned_at', '<', cutoff)
        .executeTakeFirst();
      deletedScans += Number(r.numDeletedRows);
    }
  }
  const clients = await db.deleteFrom('scan_package_clients').where('day', '<', addDays(today, -1)).executeTakeFirst();
  return { cutoff, deletedScans, deletedClientKeys: Number(clients.numDeletedRows) };
}

/**
 * Recomputes the summaries of the given batches from their raw rows (repairs; the
 * benchmark's bulk-loaded history). Only correct while the batches' raw rows are all
 * still kept, i.e. within the retention period.
 */
export async function rebuildScanSummaries(db: Kysely<Database>, batchIds: number[], now: Date): Promise<void> {
  if (batchIds.length === 0) return;
  const ids = sql`${batchIds}::int[]`;
  const day = vnDay('scanned_at');
  const recent = new Date(now.getTime() - 3 * 86_400_000);
  await db.transaction().execute(async (trx) => {
    for (const t of ['scan_packages', 'scan_package_places', 'scan_batches', 'scan_batch_places', 'scan_days'] as const) {
      await sql`delete from ${sql.table(t)} where batch_id = any(${ids})`.execute(trx);
    }
    await sql`delete from scan_package_clients where batch_id = any(${ids})`.execute(trx);
    await sql`insert into scan_packages (batch_id, serial, first_scan_at, last_scan_at, scans, people, places, day, day_scans, day_people)
      select s.batch_id, s.serial, min(s.scanned_at), max(s.scanned_at), count(*),
        count(distinct (s.day, s.client_hash)) filter (where s.client_hash is not null),
        count(distinct s.place), l.day,
        count(*) filter (where s.day = l.day),
        count(distinct s.client_hash) filter (where s.day = l.day)
      from (select *, ${day} as day from scans where batch_id = any(${ids})) s
      join (select batch_id, serial, max(${day}) as day from scans where batch_id = any(${ids}) group by 1, 2) l on l.batch_id = s.batch_id and l.serial = s.serial
      group by s.batch_id, s.serial, l.day`.execute(trx);
    await sql`insert into scan_package_places (batch_id, serial, place)
      select distinct batch_id, serial, place from scans where batch_id = any(${ids}) and place is not null`.execute(trx);
    await sql`insert into scan_package_clients (day, batch_id, serial, client_hash)
      select distinct ${day}, batch_id, serial, client_hash from scans
      where batch_id = any(${ids}) and client_hash is not null and scanned_at > ${recent}`.execute(trx);
    await sql`insert into scan_batches (batch_id, scans, packages, first_scan_at, last_scan_at)
      select batch_id, sum(scans), count(*), min(first_scan_at), max(last_scan_at) from scan_packages where batch_id = any(${ids}) group by batch_id`.execute(trx);
    await sql`insert into scan_batch_places (batch_id, place, scans)
      select batch_id, coalesce(place, ''), count(*) from scans where batch_id = any(${ids}) group by 1, 2`.execute(trx);
    await sql`insert into scan_days (batch_id, day, verdict, scans)
      select batch_id, ${day}, verdict, count(*) from scans where batch_id = any(${ids}) group by 1, 2, 3`.execute(trx);
  });
}

// ---------------------------------------------------------------------------------------
// Scan log

/**
 * Runs `work` for queued items, at most `concurrency` batches at a time: under load each
 * batch picks up everything that arrived while the previous one was running, so 50
 * concurrent scans become a handful of queries instead of 50, without a timer adding
 * latency when the server is quiet.
 */
export class MicroBatcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly work: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
    private readonly concurrency = 2,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running++;
      this.work(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          this.running--;
          this.pump();
          if (this.queue.length === 0 && this.running === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}

const MAX_CACHED_HISTORIES = 50_000;

/**
 * Scan history reads and scan writes for one app.
 *
 * A history is one primary-key lookup in `scan_packages`, whatever the package's or the
 * batch's history, so nothing is ever rebuilt. With `shared` (Node: one connection pool
 * for all requests):
 * - lookups of concurrent scans go out together, as one query;
 * - a package's history, once read, is counted forward with this process's own scans and
 *   read again after `ttlMs`, so what other processes record shows here within `ttlMs`
 *   (the same bound as the package-state cache);
 * - writes are batched across requests.
 * Without `shared` (Workers: a client per request, which must not serve another request's
 * promise) every call queries directly.
 */
export class ScanLog {
  private readonly writes: MicroBatcher<ScanRecord, null> | null;
  private readonly reads: MicroBatcher<{ batchId: number; serial: number; now: Date }, ScanHistory> | null;
  private readonly histories = new Map<string, { history: ScanHistory; fetchedAt: number }>();

  constructor(
    shared: Kysely<Database> | null,
    private readonly ttlMs = 0,
    private readonly clock: () => number = Date.now,
  ) {
    if (!shared) {
      this.writes = null;
      this.reads = null;
      return;
    }
    this.writes = new MicroBatcher(async (rows) => {
      await insertScans(shared, rows);
      return rows.map(() => null);
    }, 1000, 1);
    this.reads = new MicroBatcher(async (items) => {
      const now = items[items.length - 1]!.now;
      const unique = new Map(items.map((i) => [packageKey(i.batchId, i.serial), i]));
      const found = await scanHistories(shared, [...unique.values()], now);
      return items.map((i) => found.get(packageKey(i.batchId, i.serial)) ?? EMPTY_HISTORY);
    }, 200, 2);
  }

  private get caching(): boolean {
    return this.reads !== null && this.ttlMs > 0;
  }

  async history(db: Kysely<Database>, batchId: number, serial: number, now: Date): Promise<ScanHistory> {
    if (!this.reads) return scanHistories(db, [{ batchId, serial }], now).then((m) => m.get(packageKey(batchId, serial)) ?? EMPTY_HISTORY);
    if (!this.caching) return this.reads.submit({ batchId, serial, now });
    const key = packageKey(batchId, serial);
    const cached = this.histories.get(key);
    const today = todayInVietnam(now);
    if (cached && this.clock() - cached.fetchedAt < this.ttlMs) {
      const h = cached.history;
      // A cached day's counts do not carry over to the next day.
      return h.last && todayInVietnam(h.last) !== today ? { ...h, scansToday: 0, peopleToday: 0 } : { ...h };
    }
    const fetchedAt = this.clock();
    const history = await this.reads.submit({ batchId, serial, now });
    if (this.histories.size >= MAX_CACHED_HISTORIES) {
      const oldest = this.histories.keys().next();
      if (!oldest.done) this.histories.delete(oldest.value);
    }
    this.histories.set(key, { history: { ...history }, fetchedAt });
    return history;
  }

  /**
   * Counts a scan in this process's cached view at once (before it is written). People
   * are not counted forward (the client hash is not known yet, nor whether it is new):
   * they show from the next read of the package, within `ttlMs`.
   */
  private note(row: Omit<ScanRecord, 'clientHash'>): void {
    if (!this.caching) return;
    const cached = this.histories.get(packageKey(row.batchId, row.serial));
    if (!cached) return;
    const h = cached.history;
    const sameDay = h.last !== null && todayInVietnam(h.last) === todayInVietnam(row.scannedAt);
    cached.history = {
      count: h.count + 1,
      first: h.first ?? row.scannedAt,
      last: row.scannedAt,
      places: h.places === 0 && row.place ? 1 : h.places,
      people: h.people,
      scansToday: sameDay ? h.scansToday + 1 : 1,
      peopleToday: sameDay ? h.peopleToday : 0,
    };
  }

  async record(db: Kysely<Database>, row: ScanRecord): Promise<void> {
    if (this.writes) await this.writes.submit(row);
    else await insertScans(db, [row]);
  }

  private inflight = 0;
  private inflightWaiters: (() => void)[] = [];

  /**
   * Records a scan whose client hash is still being computed (WebCrypto is async). The
   * scan counts in this process's view and as pending from the call on, so the next
   * scan, and `drain()` right after a response, see it.
   */
  async enqueue(db: Kysely<Database>, row: Omit<ScanRecord, 'clientHash'>, clientHash: () => Promise<string | null>): Promise<void> {
    this.inflight++;
    this.note(row);
    try {
      await this.record(db, { ...row, clientHash: await clientHash() });
    } finally {
      this.inflight--;
      if (this.inflight === 0) {
        const waiters = this.inflightWaiters;
        this.inflightWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /** Waits until every scan enqueued so far is written (tests; graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inflight > 0) await new Promise<void>((resolve) => this.inflightWaiters.push(resolve));
    await Promise.all([this.writes?.idle(), this.reads?.idle()]);
  }
}
