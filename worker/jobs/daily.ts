import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { addDays, todayInVietnam } from '../domain/dates';
import { EXPIRY_NOTICE_DAYS } from '../domain/validity';
import { audit, SYSTEM_ACTOR } from '../db/audit';
import { foldScans, type FoldResult } from '../db/scans';
import { eraseOldReportContacts } from '../db/counterfeit-reports';
import { pruneLoginThrottle } from '../db/users-and-tokens';

export interface ExpiringCertificate {
  id: number;
  number: string;
  productName: string;
  producerName: string;
  producerEmail: string | null;
  validUntil: string;
}

export interface DailyJobResult {
  today: string;
  expiredRecorded: number;
  expiringSoon: ExpiringCertificate[];
  /** Raw scans past the retention period, deleted (their counts stay in the summaries). */
  retention: FoldResult;
  /** Shoppers' contacts erased after the retention period. */
  contactsErased: number;
  /** Expired login-throttle rows deleted. */
  throttleRowsPruned: number;
}

export interface DailyJobOptions {
  /** SCAN_RETENTION_MONTHS: raw scans older than this are folded away. */
  scanRetentionMonths: number;
  /** REPORT_CONTACT_RETENTION_MONTHS (default 12). */
  reportContactRetentionMonths?: number | undefined;
}

export const DEFAULT_CONTACT_RETENTION_MONTHS = 12;

/** The job's privacy and housekeeping steps: contacts past their retention, expired throttle rows. */
export async function runRetention(db: Kysely<Database>, now: Date, opts: Pick<DailyJobOptions, 'reportContactRetentionMonths'> = {}): Promise<Pick<DailyJobResult, 'contactsErased' | 'throttleRowsPruned'>> {
  const contactsErased = await eraseOldReportContacts(db, now, opts.reportContactRetentionMonths ?? DEFAULT_CONTACT_RETENTION_MONTHS);
  const throttleRowsPruned = await pruneLoginThrottle(db, now);
  return { contactsErased, throttleRowsPruned };
}

/** Certificates whose validity ends within the notice period the rules require (30 days). */
export async function listExpiring(db: Kysely<Database>, today: string, days = EXPIRY_NOTICE_DAYS): Promise<ExpiringCertificate[]> {
  const rows = await db
    .selectFrom('certificates as c')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .innerJoin('producers as pr', 'pr.id', 'p.producer_id')
    .select(['c.id', 'c.number', 'c.valid_until', 'p.name as product_name', 'pr.name as producer_name', 'pr.email'])
    .where('c.status', '=', 'active')
    .where('c.valid_until', '>=', today)
    .where('c.valid_until', '<', addDays(today, days))
    .orderBy('c.valid_until')
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, productName: r.product_name, producerName: r.producer_name, producerEmail: r.email, validUntil: r.valid_until }));
}

/**
 * The daily job (Workers cron, a timer on Node). "Expired" is derived from the date and
 * never stored, so the job only records each expiry once in the audit log and lists the
 * certificates that need the 30-day notice, then deletes raw scans past the retention
 * period. Running it twice changes nothing more.
 */
export async function runDailyJob(db: Kysely<Database>, now: Date, opts: DailyJobOptions): Promise<DailyJobResult> {
  const today = todayInVietnam(now);
  const expiredRecorded = await db.transaction().execute(async (trx) => {
    // Serialise concurrent runs (two Workers crons, or a cron and a manual run).
    await sql`select pg_advisory_xact_lock(7040301)`.execute(trx);
    const newlyExpired = await trx
      .selectFrom('certificates as c')
      .select(['c.id', 'c.number', 'c.valid_until'])
      .where('c.status', '=', 'active')
      .where('c.valid_until', '<', today)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('audit_log as a').select('a.id').where('a.action', '=', 'certificate.expired').whereRef('a.entity_id', '=', sql<string>`c.id::text`))),
      )
      .execute();
    for (const c of newlyExpired) {
      await audit(trx, SYSTEM_ACTOR, { action: 'certificate.expired', entity: 'certificate', entityId: c.id, after: { number: c.number, valid_until: c.valid_until }, reason: 'valid_until passed' });
    }
    return newlyExpired.length;
  });
  const expiringSoon = await listExpiring(db, today);
  const housekeeping = await runRetention(db, now, opts);
  return { today, expiredRecorded, expiringSoon, retention: await foldScans(db, now, opts.scanRetentionMonths), ...housekeeping };
}
