// `npm run dev:worker`: the Worker in workerd (wrangler dev) against the local Postgres,
// ready on the first try from a fresh clone. It prepares what wrangler cannot:
//   1. a database of its own on the Postgres server (created once, migrated every start);
//   2. `.dev.vars` with local signing keys, a session secret and DATABASE_URL (created once,
//      mode 0600, never committed: .gitignore lists it);
//   3. the demo data on first start, with the logins printed and kept in .wrangler/.
// Then it runs `wrangler dev` in the foreground. DATABASE_URL in .dev.vars wins over the
// Hyperdrive binding: wrangler's local Hyperdrive proxy has hung on our machines.
//
// Environment: DEV_POSTGRES_URL (server to use; default postgres://postgres:postgres@127.0.0.1:5432/postgres,
// the password is ignored by trust auth but Miniflare refuses a URL without one),
// DEV_DATABASE (default ocop_dev), PORT (default 8787), DEV_VARS_FILE (default ./.dev.vars),
// DEV_STATE_DIR (default ./.wrangler/state).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { packageUrl } from '../worker/codes/format';
import { generateSigningKey, KeyRing } from '../worker/codes/keyring';
import { signPackageCodeWith } from '../worker/codes/sign';
import { createNodePostgresDb } from '../worker/db/connect-node-postgres';
import { syncSigningKeys } from '../worker/db/keys';
import { migrateToLatest } from '../worker/db/migrate';
import { seedDemo, type DemoLogin } from '../worker/seed/seed';

const serverUrl = process.env.DEV_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const dbName = process.env.DEV_DATABASE ?? 'ocop_dev';
const port = Number(process.env.PORT ?? 8787);
const varsFile = path.resolve(process.env.DEV_VARS_FILE ?? '.dev.vars');
const stateDir = path.resolve(process.env.DEV_STATE_DIR ?? '.wrangler/state');
const loginsFile = path.join(stateDir, 'demo-logins.json');
const base = `http://127.0.0.1:${port}`;

if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
  console.error(`DEV_DATABASE must be a plain lower-case identifier, got ${JSON.stringify(dbName)}`);
  process.exit(2);
}

function databaseUrl(): string {
  const url = new URL(serverUrl);
  if (!url.password) url.password = 'postgres';
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** Reads the one-line KEY='value' pairs this script writes (the dotenv subset wrangler reads). */
function parseVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(?:'([^']*)'|"([^"]*)"|(.*))$/.exec(line.trim());
    if (m) out[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

async function ensureVars(): Promise<Record<string, string>> {
  if (existsSync(varsFile)) {
    const vars = parseVars(await readFile(varsFile, 'utf8'));
    if (!vars.SIGNING_KEYS || !vars.SESSION_SECRET) throw new Error(`${varsFile} lacks SIGNING_KEYS or SESSION_SECRET: delete it to have a new one made`);
    return vars;
  }
  const vars: Record<string, string> = {
    DATABASE_URL: databaseUrl(),
    PUBLIC_BASE_URL: base,
    SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningKey(1)] }),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  };
  const text = [
    '# Made by `npm run dev:worker` for the local Worker only: never commit, never deploy.',
    '# SIGNING_KEYS: a JWK set of Ed25519 private keys, {"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ocop-1",...}]}',
    ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`),
    '',
  ].join('\n');
  await writeFile(varsFile, text, { mode: 0o600 });
  await chmod(varsFile, 0o600);
  console.log(`wrote ${varsFile} (local keys and secret, mode 0600)`);
  return vars;
}

async function prepareDatabase(vars: Record<string, string>): Promise<{ logins: DemoLogin[]; demoUrl: string | null }> {
  const server = createNodePostgresDb(serverUrl, { max: 1 });
  try {
    const exists = await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${dbName}`.execute(server);
    if (exists.rows[0]!.n === 0) {
      await sql.raw(`create database ${dbName}`).execute(server);
      console.log(`created database ${dbName}`);
    }
  } finally {
    await server.destroy();
  }
  const db = createNodePostgresDb(vars.DATABASE_URL ?? databaseUrl(), { max: 2 });
  try {
    await migrateToLatest(db);
    const ring = await KeyRing.fromJwkSet(JSON.parse(vars.SIGNING_KEYS!) as Parameters<typeof KeyRing.fromJwkSet>[0]);
    await syncSigningKeys(db, ring);
    const seeded = await seedDemo(db, ring, new Date());
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    if (seeded.seeded) await writeFile(loginsFile, JSON.stringify(seeded.logins, null, 2), { mode: 0o600 });
    const logins: DemoLogin[] = seeded.seeded ? seeded.logins : existsSync(loginsFile) ? (JSON.parse(await readFile(loginsFile, 'utf8')) as DemoLogin[]) : [];
    // The demo URL is signed with its batch's own key, as printed labels are.
    const batch = await db.selectFrom('package_batches').select(['id', 'key_number']).orderBy('id').executeTakeFirst();
    const key = batch ? ring.get(batch.key_number) : undefined;
    const demoUrl = batch && key ? packageUrl(vars.PUBLIC_BASE_URL ?? base, await signPackageCodeWith(key, batch.id, 1)) : null;
    return { logins, demoUrl };
  } finally {
    await db.destroy();
  }
}

const vars = await ensureVars();
const { logins, demoUrl } = await prepareDatabase(vars);
console.log(`\nOCOP Verify Worker (workerd, demo data) on ${base}`);
if (demoUrl) console.log(`  a demo package: ${demoUrl}`);
console.log(`  admin: ${base}/admin  ·  daily job: ${base}/__scheduled`);
for (const l of logins) console.log(`  ${l.role.padEnd(15)} ${l.email}  ${l.password}`);
console.log('');

// wrangler.toml's [assets] (the offline scanner's files) must exist before wrangler starts.
if (!existsSync('dist/scanner/kiem-tra-nhanh-sw.js') && spawnSync('npx', ['tsx', 'scripts/build-scanner.ts'], { stdio: 'inherit' }).status !== 0) {
  console.error('npm run build:scanner failed');
  process.exit(1);
}

const wrangler = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--env-file', varsFile, '--persist-to', stateDir, '--test-scheduled', '--show-interactive-dev-session=false'], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => wrangler.kill(sig));
wrangler.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
