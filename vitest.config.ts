import { defineConfig } from 'vitest/config';

// Projects split by what they need: `unit` needs nothing, `db` needs a database
// (PGlite always; Postgres when TEST_DATABASE_URL is set by scripts/test.ts),
// `browser` needs Debian's Chromium. The Workers-runtime suite has its own config
// (vitest.workers.config.ts) because it runs inside workerd.
export default defineConfig({
  test: {
    projects: [
      // Limits fit a machine three times slower than a developer's and busy with other work:
      // tests wait for readiness, so a generous limit costs nothing when all is well.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      { test: { name: 'db', include: ['test/db/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000 } },
      // Whole processes against Postgres (scripts/test.ts gives a server): `npm run dev:worker` from
      // scratch, database faults under load. Files run one at a time: each starts servers.
      { test: { name: 'ops', include: ['test/ops/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false } },
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
