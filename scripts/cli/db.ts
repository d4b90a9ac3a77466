import { loadNodeKeyRing, nodeMediaStore } from '../../worker/node-runtime';
import { syncSigningKeys } from '../../worker/db/keys';
import { runDailyJob } from '../../worker/jobs/daily';
import { isEmpty, seedDemo, seedReference } from '../../worker/seed/seed';
import { sql } from 'kysely';
import { checkIdentifier, DEFAULT_OWNER_ROLE, DEFAULT_RUNTIME_ROLE, rolesScript, rolesSql } from '../../schema/roles';
import { createNodePostgresDb } from '../../worker/db/connect-node-postgres';
import { cliEnv, command, dataDir, openCliDatabase, parseCommandLine, UsageError } from './command-line';

export const runMigrate = command('Cách dùng / usage: migrate', async (args) => {
  parseCommandLine({ args, strict: true, options: {} });
  const database = await openCliDatabase(cliEnv());
  console.log(`Đã cập nhật lược đồ / schema up to date (${database.kind})`);
  await database.close();
  return 0;
});

export const runSeed = command('Cách dùng / usage: seed [--reference-only]', async (args) => {
  const referenceOnly = parseCommandLine({ args, strict: true, options: { 'reference-only': { type: 'boolean', default: false } } }).values['reference-only'];
  const env = cliEnv();
  const database = await openCliDatabase(env);
  try {
    if (!(await isEmpty(database.db))) {
      console.error('Cơ sở dữ liệu không trống: bỏ qua / database is not empty: nothing seeded');
      return 1;
    }
    if (referenceOnly) {
      await seedReference(database.db);
      console.log('Đã nạp dữ liệu tham chiếu / reference data loaded (units, legal bases, taxonomy)');
      return 0;
    }
    const ring = await loadNodeKeyRing(dataDir(env));
    await syncSigningKeys(database.db, ring);
    // Demo photos go where `npm start` serves them from: DATA_DIR/media.
    const summary = await seedDemo(database.db, ring, new Date(), { media: nodeMediaStore(dataDir(env)) });
    console.log('Đã nạp dữ liệu mẫu / demo data seeded. Demo logins:');
    for (const l of summary.logins) console.log(`  ${l.role.padEnd(15)} ${l.email.padEnd(28)} ${l.password}`);
    return 0;
  } finally {
    await database.close();
  }
});

export const runDaily = command('Cách dùng / usage: daily', async (args) => {
  parseCommandLine({ args, strict: true, options: {} });
  const env = cliEnv();
  const database = await openCliDatabase(env);
  try {
    const result = await runDailyJob(database.db, new Date(), { scanRetentionMonths: env.SCAN_RETENTION_MONTHS, reportContactRetentionMonths: env.REPORT_CONTACT_RETENTION_MONTHS });
    console.log(`${result.today}: ${result.expiredRecorded} hết hạn được ghi nhận / expiries recorded`);
    console.log(`${result.retention.deletedScans} lượt quét trước ${result.retention.cutoff.toISOString()} đã xoá (vẫn được đếm) / raw scans deleted (still counted)`);
    console.log(`${result.expiringSoon.length} giấy chứng nhận hết hạn trong 30 ngày / certificates expiring within 30 days:`);
    for (const c of result.expiringSoon) console.log(`  ${c.number}  ${c.validUntil}  ${c.productName} — ${c.producerName}`);
    return 0;
  } finally {
    await database.close();
  }
});

const DB_USAGE = `Cách dùng / usage: db roles [--apply] [--owner ${DEFAULT_OWNER_ROLE}] [--runtime ${DEFAULT_RUNTIME_ROLE}]
  In (hoặc --apply: chạy) SQL tạo hai vai trò Postgres / print (or --apply: run) the SQL for the two Postgres roles:
  chủ sở hữu lược đồ, chạy migration / the schema owner, for migrations; và vai trò của dịch vụ / and the service's runtime role.
  Cần DATABASE_URL của một superuser, trỏ tới cơ sở dữ liệu của dịch vụ / needs DATABASE_URL of a superuser, naming the service's database.`;

/** `db roles`: the two-role setup of schema/roles.ts, printed for review or applied. */
export const runDb = command(DB_USAGE, async (args, io) => {
  const { values, positionals } = parseCommandLine({
    args,
    strict: true,
    allowPositionals: true,
    options: { apply: { type: 'boolean', default: false }, owner: { type: 'string', default: DEFAULT_OWNER_ROLE }, runtime: { type: 'string', default: DEFAULT_RUNTIME_ROLE } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'roles') throw new UsageError('lệnh con phải là roles / the subcommand must be roles');
  const env = cliEnv();
  if (!env.DATABASE_URL) throw new UsageError('cần DATABASE_URL (vai trò chỉ có trên Postgres) / DATABASE_URL is required (roles exist on Postgres only)');
  const database = decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1));
  let names;
  try {
    names = { database, owner: checkIdentifier(values.owner, '--owner'), runtime: checkIdentifier(values.runtime, '--runtime') };
    checkIdentifier(database, 'the database in DATABASE_URL');
    rolesSql(names);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  if (!values.apply) {
    io.out(rolesScript(names));
    return 0;
  }
  const db = createNodePostgresDb(env.DATABASE_URL, { max: 1 });
  try {
    for (const statement of rolesSql(names)) await sql.raw(statement).execute(db);
  } finally {
    await db.destroy();
  }
  io.out(`Đã áp dụng / applied: ${names.owner} sở hữu lược đồ / owns the schema; ${names.runtime} chỉ đọc ghi dòng / rows only (audit_log: INSERT, SELECT).`);
  io.out(`Đặt mật khẩu / set passwords: ALTER ROLE ${names.owner} PASSWORD '…'; ALTER ROLE ${names.runtime} PASSWORD '…';`);
  return 0;
});
