// Node on Postgres: hears the `ocop_changes` notices the database sends when certificates,
// batches, products, producers or keys change (migration 2026-12-01-01), so every process
// drops its cached package states or re-reads key statuses at once, whoever made the change
// (another worker process, another server, the CLI). One dedicated connection per process;
// it reconnects by itself after a restart and then treats everything as changed, because
// notices sent while it was away are lost.
import pg from 'pg';
import type { Logger } from '../app-env';

export const CHANGE_CHANNEL = 'ocop_changes';

export interface ChangeFeed {
  /** Resolves once the first LISTEN is in place (or failed; it keeps retrying). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** `onChange(table)`; `table` is '*' after a reconnect (anything may have changed). */
export function listenForChanges(url: string, onChange: (table: string) => void, log: Logger): ChangeFeed {
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect(true);
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, 10_000);
  };

  const connect = async (reconnect: boolean) => {
    const c = new pg.Client({ connectionString: url, application_name: 'ocop-verify-listen' });
    c.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL) onChange(n.payload ?? '*');
    });
    c.on('error', (error) => {
      log('warn', 'change feed connection lost; reconnecting', { error: error.message });
      if (client === c) client = null;
      c.end().catch(() => undefined);
      schedule();
    });
    c.on('end', () => {
      if (client === c) {
        client = null;
        schedule();
      }
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANGE_CHANNEL}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      retryMs = 500;
      if (reconnect) {
        log('info', 'change feed reconnected');
        onChange('*');
      }
    } catch (error) {
      log('warn', 'change feed cannot listen yet; retrying', { error: error instanceof Error ? error.message : String(error) });
      c.end().catch(() => undefined);
      schedule();
    } finally {
      markReady();
    }
  };

  void connect(false);
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** What a change means for this process's caches. */
export function applyChange(table: string, effects: { invalidateStates(): void; refreshKeys(): void }): void {
  if (table === 'signing_keys') effects.refreshKeys();
  else if (table === '*') {
    effects.invalidateStates();
    effects.refreshKeys();
  } else effects.invalidateStates();
}
