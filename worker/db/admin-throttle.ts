import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database';

export interface ThrottlePolicy {
  /** Failures allowed within `windowMs` before the key is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Five wrong passwords for one email within 15 minutes lock that email for 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** A client may try more emails (offices share an address) before it is locked too. */
export const CLIENT_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** The latest lock among `keys` still in force at `now`, or null. */
export async function lockedUntil(db: Kysely<Database>, keys: string[], now: Date): Promise<Date | null> {
  if (keys.length === 0) return null;
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<Date | null>`max(locked_until)`.as('until'))
    .where('key', 'in', keys)
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return row?.until ? new Date(row.until) : null;
}

/**
 * Counts one failure for `key` in a single upsert (safe under concurrent attempts) and
 * locks the key once the window holds `maxFailures`. Returns the lock end when it locked.
 */
export async function recordFailure(db: Kysely<Database>, key: string, policy: ThrottlePolicy, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.window_started < ${windowStart} then 1 else login_throttle.failures + 1 end`,
        window_started: sql<Date>`case when login_throttle.window_started < ${windowStart} then ${now}::timestamptz else login_throttle.window_started end`,
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  if (row.failures < policy.maxFailures) return null;
  const until = new Date(now.getTime() + policy.lockMs);
  await db.updateTable('login_throttle').set({ locked_until: until, failures: 0, window_started: now }).where('key', '=', key).execute();
  // Old rows carry nothing once their window and lock have passed.
  await db
    .deleteFrom('login_throttle')
    .where('window_started', '<', new Date(now.getTime() - 86_400_000))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
  return until;
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export async function throttleState(db: Kysely<Database>, key: string): Promise<{ failures: number; locked_until: Date | null } | undefined> {
  return db.selectFrom('login_throttle').select(['failures', 'locked_until']).where('key', '=', key).executeTakeFirst();
}
