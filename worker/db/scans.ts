// Scans: the scan log the scan page writes and reads (ScanLog), and the scan counts the admin pages show.
import { sql, type Kysely } from 'kysely';
import type { Database, PackageBatch } from '../../schema/database';

/** One scan of a package page. No raw IP: a coarse place and a salted, daily-rotating hash. */
export interface ScanRecord {
  batchId: number;
  serial: number;
  scannedAt: Date;
  place: string | null;
  clientHash: string | null;
  verdict: string;
}

export interface ScanHistory {
  /** Scans counted (at most HISTORY_CAP: a label scanned more often is plainly copied). */
  count: number;
  capped: boolean;
  first: Date | null;
  last: Date | null;
  /** Distinct coarse places (country-region) among the counted scans. */
  places: number;
  /** Scans in the 24 hours before `now`. */
  lastDay: number;
}

export const HISTORY_CAP = 1000;

export const EMPTY_HISTORY: ScanHistory = { count: 0, capped: false, first: null, last: null, places: 0, lastDay: 0 };

export async function insertScans(db: Kysely<Database>, rows: readonly ScanRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('scans')
    .values(rows.map((r) => ({ batch_id: r.batchId, serial: r.serial, scanned_at: r.scannedAt, place: r.place, client_hash: r.clientHash, verdict: r.verdict })))
    .execute();
}

export function packageKey(batchId: number, serial: number): string {
  return `${batchId}:${serial}`;
}

/**
 * Scan histories of many packages in one query. Each package reads at most HISTORY_CAP
 * recent rows through the (batch_id, serial, scanned_at) index, so a label scanned a
 * million times costs no more than one scanned a thousand times.
 */
export async function scanHistories(
  db: Kysely<Database>,
  packages: readonly { batchId: number; serial: number }[],
  now: Date,
): Promise<Map<string, ScanHistory>> {
  const out = new Map<string, ScanHistory>();
  if (packages.length === 0) return out;
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const values = sql.join(packages.map((p) => sql`(${p.batchId}::int, ${p.serial}::int)`));
  const result = await sql<{ b: number; s: number; n: number; first: Date | string | null; last: Date | string | null; places: number; last_day: number }>`
    select k.b, k.s, h.n, h.last, h.places, h.last_day,
      (select min(s2.scanned_at) from scans s2 where s2.batch_id = k.b and s2.serial = k.s) as first
    from (values ${values}) as k(b, s)
    cross join lateral (
      select count(*)::int as n, max(x.scanned_at) as last, count(distinct x.place)::int as places,
        count(*) filter (where x.scanned_at > ${dayAgo})::int as last_day
      from (select scanned_at, place from scans where batch_id = k.b and serial = k.s order by scanned_at desc limit ${HISTORY_CAP}) x
    ) h`.execute(db);
  const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
  for (const r of result.rows) {
    out.set(packageKey(Number(r.b), Number(r.s)), {
      count: Number(r.n),
      capped: Number(r.n) >= HISTORY_CAP,
      first: asDate(r.first),
      last: asDate(r.last),
      places: Number(r.places),
      lastDay: Number(r.last_day),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Counts for officials and producers

export interface PackageScanStat {
  batch_id: number;
  serial: number;
  scans: number;
  places: number;
  first: Date;
  last: Date;
}

/**
 * Packages by how often they were scanned. A genuine package is scanned a few times; one
 * scanned dozens of times from several places is most likely a copied label.
 */
export async function packageScanStats(db: Kysely<Database>, batchIds: number[], limit = 20): Promise<PackageScanStat[]> {
  if (batchIds.length === 0) return [];
  const rows = await db
    .selectFrom('scans')
    .select([
      'batch_id', 'serial',
      sql<number>`count(*)`.as('scans'),
      sql<number>`count(distinct place)`.as('places'),
      sql<Date>`min(scanned_at)`.as('first'),
      sql<Date>`max(scanned_at)`.as('last'),
    ])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'serial'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('serial')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, scans: Number(r.scans), places: Number(r.places), first: new Date(r.first), last: new Date(r.last) }));
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
    .selectFrom('scans')
    .select([sql<number>`count(*)`.as('total'), sql<number>`count(distinct (batch_id, serial))`.as('packages')])
    .where('batch_id', 'in', batchIds)
    .executeTakeFirstOrThrow();
  const places = await db
    .selectFrom('scans')
    .select([sql<string>`coalesce(place, '?')`.as('place'), sql<number>`count(*)`.as('scans')])
    .where('batch_id', 'in', batchIds)
    .groupBy(sql`coalesce(place, '?')`)
    .orderBy(sql`count(*)`, 'desc')
    .limit(10)
    .execute();
  const byVerdict = await db
    .selectFrom('scans')
    .select(['verdict', sql<number>`count(*)`.as('scans')])
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
    .leftJoin('scans as s', 's.batch_id', 'b.id')
    .selectAll('b')
    .select([
      sql<number>`count(s.id)`.as('scans'),
      sql<number>`count(distinct s.serial)`.as('scanned_packages'),
      sql<Date | null>`max(s.scanned_at)`.as('last_scan'),
    ])
    .where('b.certificate_id', 'in', certificateIds)
    .groupBy('b.id')
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
    .selectFrom('scans')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`count(distinct (batch_id, serial))`.as('packages'),
      sql<number>`count(distinct place)`.as('places'),
      sql<Date | null>`max(scanned_at)`.as('last'),
    ])
    .where('batch_id', 'in', batchIds)
    .executeTakeFirstOrThrow();
  return { total: Number(s.total), packages: Number(s.packages), places: Number(s.places), last: s.last ? new Date(s.last) : null };
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

/** Which serials of one batch have any scan, as far as this process knows. */
class ScannedSerials {
  private bits = new Uint8Array(0);
  constructor(public readonly loadedAt: number) {}

  has(serial: number): boolean {
    const byte = serial >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (serial & 7))) !== 0;
  }

  merge(other: ScannedSerials): void {
    for (let byte = 0; byte < other.bits.length; byte++) {
      const b = other.bits[byte]!;
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) this.add(byte * 8 + bit);
    }
  }

  add(serial: number): void {
    const byte = serial >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (serial & 7);
  }
}

const MAX_BATCH_INDEXES = 1000;
const MAX_CACHED_HISTORIES = 50_000;

/**
 * Scan history reads and scan writes for one app.
 *
 * With `shared` (Node: one connection pool for all requests) the reads avoid the database
 * where they can, within the same staleness bound as the package-state cache (`ttlMs`):
 * - a bitmap per batch of the serials that have been scanned (loaded in one query, then
 *   kept up to date by this process's own scans) answers "never scanned" without a query,
 *   which is what almost every scan of a real package is;
 * - a scanned package's history is read once and then counted forward with this
 *   process's own scans;
 * - what other processes record shows here within `ttlMs`.
 * Writes are batched across requests. Without `shared` (Workers: a client per request,
 * which must not serve another request's promise) every call queries directly.
 */
export class ScanLog {
  private readonly writes: MicroBatcher<ScanRecord, null> | null;
  private readonly reads: MicroBatcher<{ batchId: number; serial: number; now: Date }, ScanHistory> | null;
  private readonly batches = new Map<number, ScannedSerials>();
  private readonly loading = new Map<number, Promise<ScannedSerials>>();
  private readonly histories = new Map<string, { history: ScanHistory; fetchedAt: number }>();
  private readonly notedWhileLoading = new Map<number, Set<number>>();

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

  private async scannedSerials(db: Kysely<Database>, batchId: number): Promise<ScannedSerials> {
    const known = this.batches.get(batchId);
    if (known && this.clock() - known.loadedAt < this.ttlMs) return known;
    let pending = this.loading.get(batchId);
    if (!pending) {
      const startedAt = this.clock();
      pending = db
        .selectFrom('scans')
        .select('serial')
        .distinct()
        .where('batch_id', '=', batchId)
        .execute()
        .then((rows) => {
          const index = new ScannedSerials(startedAt);
          for (const r of rows) index.add(r.serial);
          // Scans never disappear: keep what this process knew, including scans it noted
          // while the query ran (their rows may not have been written yet).
          const previous = this.batches.get(batchId);
          if (previous) index.merge(previous);
          for (const serial of this.notedWhileLoading.get(batchId) ?? []) index.add(serial);
          this.notedWhileLoading.delete(batchId);
          if (this.batches.size >= MAX_BATCH_INDEXES && !this.batches.has(batchId)) {
            const oldest = this.batches.keys().next();
            if (!oldest.done) this.batches.delete(oldest.value);
          }
          this.batches.set(batchId, index);
          return index;
        })
        .finally(() => this.loading.delete(batchId));
      this.loading.set(batchId, pending);
      this.notedWhileLoading.set(batchId, new Set());
    }
    return pending;
  }

  async history(db: Kysely<Database>, batchId: number, serial: number, now: Date): Promise<ScanHistory> {
    if (!this.reads) return scanHistories(db, [{ batchId, serial }], now).then((m) => m.get(packageKey(batchId, serial)) ?? EMPTY_HISTORY);
    if (!this.caching) return this.reads.submit({ batchId, serial, now });
    const key = packageKey(batchId, serial);
    const cached = this.histories.get(key);
    if (cached && this.clock() - cached.fetchedAt < this.ttlMs) return { ...cached.history };
    const index = await this.scannedSerials(db, batchId);
    const history = index.has(serial) ? await this.reads.submit({ batchId, serial, now }) : EMPTY_HISTORY;
    if (this.histories.size >= MAX_CACHED_HISTORIES) {
      const oldest = this.histories.keys().next();
      if (!oldest.done) this.histories.delete(oldest.value);
    }
    this.histories.set(key, { history: { ...history }, fetchedAt: this.clock() });
    return history;
  }

  /** Counts a scan in this process's view at once (before it is written). */
  private note(row: Omit<ScanRecord, 'clientHash'>): void {
    if (!this.caching) return;
    this.batches.get(row.batchId)?.add(row.serial);
    this.notedWhileLoading.get(row.batchId)?.add(row.serial);
    const cached = this.histories.get(packageKey(row.batchId, row.serial));
    if (cached) {
      const h = cached.history;
      cached.history = {
        count: Math.min(h.count + 1, HISTORY_CAP),
        capped: h.capped || h.count + 1 >= HISTORY_CAP,
        first: h.first ?? row.scannedAt,
        last: row.scannedAt,
        places: h.places === 0 && row.place ? 1 : h.places,
        lastDay: h.lastDay + 1,
      };
    }
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
