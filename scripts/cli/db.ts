import { loadNodeKeyRing } from '../../worker/node-runtime';
import { syncSigningKeys } from '../../worker/db/keys';
import { runDailyJob } from '../../worker/jobs/daily';
import { isEmpty, seedDemo, seedReference } from '../../worker/seed/seed';
import { cliEnv, command, dataDir, openCliDatabase, parseCommandLine } from './command-line';

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
    const summary = await seedDemo(database.db, ring, new Date());
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
    const result = await runDailyJob(database.db, new Date(), { scanRetentionMonths: env.SCAN_RETENTION_MONTHS });
    console.log(`${result.today}: ${result.expiredRecorded} hết hạn được ghi nhận / expiries recorded`);
    console.log(`${result.retention.deletedScans} lượt quét trước ${result.retention.cutoff.toISOString()} đã xoá (vẫn được đếm) / raw scans deleted (still counted)`);
    console.log(`${result.expiringSoon.length} giấy chứng nhận hết hạn trong 30 ngày / certificates expiring within 30 days:`);
    for (const c of result.expiringSoon) console.log(`  ${c.number}  ${c.validUntil}  ${c.productName} — ${c.producerName}`);
    return 0;
  } finally {
    await database.close();
  }
});
