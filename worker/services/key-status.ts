import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { Logger } from '../app-env';
import type { KeyRing } from '../codes/keyring';
import { refreshKeyStatuses } from '../db/keys';

export interface KeyStatusOptions {
  /** How old the key statuses may get before a request re-reads them (the staleness bound). */
  ttlMs: number;
  /**
   * Whether the request that finds them stale waits for the re-read (Node: the bound then
   * holds exactly) or only starts it (Workers: the request goes on; `keepAlive` hands the
   * work to waitUntil).
   */
  waitForRefresh: boolean;
  log: Logger;
  now?: () => number;
}

/**
 * Key withdrawals and new keys made elsewhere (another process, the CLI, another isolate)
 * reach this app's key ring: on the first request after the TTL, or at once when the
 * runtime hears about a change (Postgres NOTIFY on Node).
 */
export class KeyStatusService {
  private checkedAt: number;
  private running: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    readonly ring: KeyRing,
    private readonly options: KeyStatusOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.checkedAt = this.now();
  }

  /** Re-reads the statuses if they are older than the TTL; concurrent callers share one read. */
  async fresh(db: Kysely<Database>, keepAlive?: (work: Promise<unknown>) => void): Promise<void> {
    if (this.now() - this.checkedAt < this.options.ttlMs) return;
    const work = this.refresh(db);
    if (this.options.waitForRefresh) await work;
    else keepAlive?.(work);
  }

  /** Re-reads now (a change was announced). */
  refresh(db: Kysely<Database>): Promise<void> {
    this.running ??= refreshKeyStatuses(db, this.ring)
      .catch((error: unknown) => this.options.log('warn', 'key status refresh failed', { error: String(error) }))
      .finally(() => {
        this.checkedAt = this.now();
        this.running = null;
      });
    return this.running;
  }
}
