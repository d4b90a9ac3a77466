import type { Hono } from 'hono';
import { createApp } from '../../worker/app';
import type { AppDeps, AppEnv } from '../../worker/app-env';
import { generateSigningKey, KeyRing } from '../../worker/codes/keyring';
import type { AppConfig } from '../../worker/config';
import { buildNodeDeps } from '../../worker/node-runtime';
import { seedDemo, type DemoSummary } from '../../worker/seed/seed';
import { openTestDatabase, type TestDatabase } from './db';

export interface TestContext extends TestDatabase {
  app: Hono<AppEnv>;
  deps: AppDeps;
  keys: KeyRing;
  demo: DemoSummary | null;
  /** Move the app's clock (it starts at `now`). */
  setNow(date: Date): void;
  logs: { level: string; message: string }[];
}

export const TEST_BASE_URL = 'https://ocop.test';

/** The same app as production, on a fresh database with keys generated in memory. */
/** `photos`: seed the demo photos too (into the app's media store; a few seconds more). */
export async function createTestContext(opts: { seed?: boolean; photos?: boolean; now?: Date; config?: Partial<AppConfig> } = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const keys = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(1)] });
  let now = opts.now ?? new Date();
  const logs: { level: string; message: string }[] = [];
  const deps = await buildNodeDeps({
    db: database.db,
    keys,
    config: { publicBaseUrl: TEST_BASE_URL, cacheTtlSeconds: 30, secureCookies: false, runtime: 'test', scanRetentionMonths: 13, ...opts.config },
    sessionSecret: crypto.getRandomValues(new Uint8Array(32)),
    clock: () => now,
    log: (level, message) => logs.push({ level, message }),
  });
  const demo = opts.seed ? await seedDemo(database.db, keys, now, opts.photos ? { media: deps.media.store } : {}) : null;
  return {
    ...database,
    app: createApp(deps),
    deps,
    keys,
    demo,
    logs,
    setNow(date: Date) {
      now = date;
    },
  };
}
