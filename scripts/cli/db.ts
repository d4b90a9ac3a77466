import { loadNodeKeyRing } from '../../worker/node-runtime';
import { syncSigningKeys } from '../../worker/db/keys';
import { runDailyJob } from '../../worker/jobs/daily';
import { isEmpty, seedDemo, seedReference } from '../seed/seed';
import { parseConfig, nodeEnvSchema } from '../../worker/config';
import { dataDir, openCliDatabase } from './env';

export async function runMigrate(): Promise<number> {
  const database = await openCliDatabase();
  console.log(`Đã cập nhật lược đồ / schema up to date (${database.kind})`);
  await database.close();
  return 0;
}

export async function runSeed(args: string[]): Promise<number> {
  const database = await openCliDatabase();
  try {
    if (!(await isEmpty(database.db))) {
      console.error('Cơ sở dữ liệu không trống: bỏ qua / database is not empty: nothing seeded');
      return 1;
    }
    if (args.includes('--reference-only')) {
      await seedReference(database.db);
      console.log('Đã nạp dữ liệu tham chiếu / reference data loaded (units, legal bases, taxonomy)');
      return 0;
    }
    const ring = await loadNodeKeyRing(dataDir());
    await syncSigningKeys(database.db, ring);
    const summary = await seedDemo(database.db, ring, new Date());
    console.log('Đã nạp dữ liệu mẫu / demo data seeded. Demo logins:');
    for (const l of summary.logins) console.log(`  ${l.role.padEnd(15)} ${l.email.padEnd(28)} ${l.password}`);
    return 0;
  } finally {
    await database.close();
  }
}

export async function runDaily(): Promise<number> {
  const database = await openCliDatabase();
  try {
    const { SCAN_RETENTION_MONTHS } = parseConfig(nodeEnvSchema.pick({ SCAN_RETENTION_MONTHS: true }), process.env);
    const result = await runDailyJob(database.db, new Date(), { scanRetentionMonths: SCAN_RETENTION_MONTHS });
    console.log(`${result.today}: ${result.expiredRecorded} hết hạn được ghi nhận / expiries recorded`);
    console.log(`${result.retention.deletedScans} lượt quét trước ${result.retention.cutoff.toISOString()} đã xoá (vẫn được đếm) / raw scans deleted (still counted)`);
    console.log(`${result.expiringSoon.length} giấy chứng nhận hết hạn trong 30 ngày / certificates expiring within 30 days:`);
    for (const c of result.expiringSoon) console.log(`  ${c.number}  ${c.validUntil}  ${c.productName} — ${c.producerName}`);
    return 0;
  } finally {
    await database.close();
  }
}
