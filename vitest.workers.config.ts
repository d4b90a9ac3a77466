import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
// Runs test/workers/** inside workerd with the real Worker entry (worker/index.ts).
// Bindings are given here rather than read from wrangler.toml so the Hyperdrive binding
// (whose local proxy has hung on our machines) stays out of the way: the Worker gets a
// plain DATABASE_URL, as documented for local runs. scripts/test.ts creates that database.
// It also seeds the demo data with the key set it passes in TEST_WORKERS_SIGNING_KEYS,
// so the Worker can verify codes of the seeded batches.
const databaseUrl = process.env.TEST_WORKERS_DATABASE_URL;
const signingKeys = process.env.TEST_WORKERS_SIGNING_KEYS;
const adminLogin = process.env.TEST_WORKERS_ADMIN_LOGIN;
if (!databaseUrl || !signingKeys || !adminLogin) {
  throw new Error('TEST_WORKERS_DATABASE_URL / TEST_WORKERS_SIGNING_KEYS / TEST_WORKERS_ADMIN_LOGIN are not set: run the Workers suite through `npm test` with DATABASE_URL set');
}

export default defineConfig(() => {
  return {
    plugins: [
      cloudflareTest({
        main: './worker/index.ts',
        miniflare: {
          compatibilityDate: '2026-08-01',
          compatibilityFlags: ['nodejs_compat'],
          // Miniflare's local R2 for the media store (the MEDIA binding of wrangler.toml).
          r2Buckets: ['MEDIA'],
          // photon (worker/media/images.ts) imports its wasm file as a module, as wrangler's
          // default rules allow; the pool has no wrangler.toml here, so the rule is given.
          modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
          bindings: {
            DATABASE_URL: databaseUrl,
            PUBLIC_BASE_URL: 'https://ocop.example.vn',
            SIGNING_KEYS: signingKeys,
            SESSION_SECRET: 'test-session-secret-test-session-secret-0123',
            CACHE_TTL_SECONDS: '30',
            // The seeded province admin's login, so the suite can sign in as an official.
            TEST_ADMIN_LOGIN: adminLogin,
          },
        },
      }),
    ],
    test: {
      name: 'workers',
      include: ['test/workers/**/*.test.ts'],
      testTimeout: 30_000,
    },
  };
});
