// `npm test`: every suite, on the embedded PGlite always and, when DATABASE_URL names a
// Postgres server, the database suites again on a fresh database there plus the suite
// that runs the Worker inside workerd. In CI (CI=true) a missing Postgres or Chromium is
// a failure, never a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prepareWorkersDatabase } from './test-workers-db';

const startedAt = Date.now();
const ci = process.env.CI === 'true' || process.env.CI === '1';
const databaseUrl = process.env.DATABASE_URL;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extraArgs = process.argv.slice(2);

interface Counts { passed: number; failed: number; skipped: number }
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const problems: string[] = [];
const reportDir = path.resolve('test-results');
mkdirSync(reportDir, { recursive: true });

function run(label: string, args: string[], env: Record<string, string | undefined>): void {
  const report = path.join(reportDir, `${label.replace(/[^a-z0-9]+/gi, '-')}.json`);
  rmSync(report, { force: true });
  console.log(`\n=== ${label} ===`);
  const res = spawnSync('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numTotalTests: number };
    total.passed += json.numPassedTests;
    total.failed += json.numFailedTests;
    total.skipped += json.numPendingTests + json.numTodoTests;
    if (json.numTotalTests === 0) problems.push(`${label}: no test ran`);
  } else {
    problems.push(`${label}: vitest wrote no report`);
  }
  if (res.status !== 0) problems.push(`${label}: vitest exited with ${res.status ?? res.signal}`);
}

// The offline scanner's static files: the browser suite opens the app, and the Workers
// suite's wrangler.toml names them as [assets], so a clean clone builds them first.
if (spawnSync('npx', ['tsx', 'scripts/build-scanner.ts'], { stdio: 'inherit' }).status !== 0) {
  console.error('npm run build:scanner failed');
  process.exit(1);
}

const hasBrowser = existsSync(chromium);
if (!hasBrowser) {
  const msg = `Chromium not found at ${chromium}: apt-get install chromium (or set CHROMIUM_PATH)`;
  if (ci) problems.push(msg);
  else console.warn(`\n!!! browser suite NOT run: ${msg}`);
}

run('unit + db on PGlite' + (hasBrowser ? ' + browser' : ''), ['--project', 'unit', '--project', 'db', ...(hasBrowser ? ['--project', 'browser'] : [])], { TEST_DATABASE_URL: undefined, CHROMIUM_PATH: chromium });

if (databaseUrl) {
  run('db on Postgres', ['--project', 'db'], { TEST_DATABASE_URL: databaseUrl });
  run('processes on Postgres (dev:worker, database faults)', ['--project', 'ops'], { TEST_DATABASE_URL: databaseUrl });
  const workersDb = await prepareWorkersDatabase(databaseUrl);
  try {
    run('Workers runtime (workerd) on Postgres', ['--config', 'vitest.workers.config.ts'], {
      TEST_WORKERS_DATABASE_URL: workersDb.url,
      TEST_WORKERS_SIGNING_KEYS: workersDb.signingKeys,
      TEST_WORKERS_ADMIN_LOGIN: workersDb.adminLogin,
    });
  } finally {
    await workersDb.drop();
  }
} else {
  const msg = 'DATABASE_URL is not set: the Postgres and Workers-runtime suites need a Postgres server (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test)';
  if (ci) problems.push(msg);
  else console.warn(`\n!!! Postgres and Workers-runtime suites NOT run: ${msg}`);
}

if (ci && total.skipped > 0) problems.push(`${total.skipped} tests skipped: in CI every test must run`);

/** Processes still running in this checkout that this runner did not start itself: a test left a server behind. */
function leftovers(): string[] {
  const root = process.cwd();
  const ours = new Set<number>();
  for (let pid = process.pid; pid > 1; ) {
    ours.add(pid);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || ours.has(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // An exited process that nobody reaped (PID 1 in a container may not) is not running.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== root && !cwd.startsWith(`${root}/`)) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!args) continue;
      // The Workers pool's bundler service outlives vitest (an upstream leak, not a server
      // a test started): stop it and say so; anything else left running fails the run.
      if (/node_modules\/@esbuild\/[^ ]+\/bin\/esbuild --service=/.test(args)) {
        console.log(`stopping esbuild's service process left by the Workers pool: ${pid}`);
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        continue;
      }
      found.push(`${pid} ${args.slice(0, 120)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
if (process.platform === 'linux') {
  // Servers are killed as process groups when a test ends; helpers such as esbuild's service
  // process notice their parent is gone within a few seconds. Give them 15 s.
  let left = leftovers();
  for (let i = 0; i < 60 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = leftovers();
  }
  if (left.length > 0) problems.push(`processes left running by the tests:\n  ${left.join('\n  ')}`);
}

console.log('');
for (const p of problems) console.error(`FAILED: ${p}`);
const seconds = Math.round((Date.now() - startedAt) / 1000);
console.log(`node ${process.version}; npm test took ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(problems.length > 0 || total.failed > 0 ? 1 : 0);
