// `npx tsx scripts/bench/import.ts [ROWS]`: how long a register of ROWS rows (default 20,000,
// the limit) takes to read, preview and apply on a fresh embedded database (PGlite), or on
// Postgres with BENCH_DATABASE_URL (a server URL; a scratch database is made and dropped).
import { createPgliteDb } from '../../worker/db/connect-pglite';
import { migrateToLatest } from '../../worker/db/migrate';
import { seedReference } from '../../worker/seed/seed';
import { applyRegister, effectiveMapping, previewRegister, readRegisterFile } from '../../worker/services/register-import';
import { simpleXlsx } from '../../worker/services/register-template';
import { REGISTER_COLUMNS, REGISTER_FIELDS } from '../../worker/domain/register-columns';
import { benchDatabase } from './support';

const rows = Number(process.argv[2] ?? 20_000);
const now = new Date('2026-12-01T03:00:00Z');
const header = REGISTER_FIELDS.map((f) => REGISTER_COLUMNS[f].header);
const data = Array.from({ length: rows }, (_, i) => {
  const y = 2021 + (i % 5);
  const cells: Record<string, string> = {
    producer_name: `HTX Nông nghiệp số ${Math.floor(i / 2)}`, legal_form: 'Hợp tác xã', tax_code: `38${String(10_000_000 + Math.floor(i / 2)).padStart(8, '0')}`,
    address: `Ấp ${Math.floor(i / 2) % 9}, xã Bù Đăng`, product_name: `Hạt điều rang muối loại ${i % 2}`, evaluated_on: `1${i % 9}/05/${y}`, council_level: 'Cấp tỉnh',
    score_a: '30', score_b: '20', score_c: '25', stars: '4 sao', certificate_number: `BENCH-${y}-${i}`, decision_number: `${i}/QĐ-UBND`,
    decision_date: `2${i % 8}/06/${y}`, issuing_body: 'UBND tỉnh Bình Phước', region: `Vùng điều ${i}`, region_area: '12,5',
  };
  return REGISTER_FIELDS.map((f) => cells[f] ?? '');
});

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const bench = serverUrl ? await benchDatabase(serverUrl, now, 'import') : null;
  const db = bench ? bench.db : (await createPgliteDb()).db;
  try {
    if (!bench) await migrateToLatest(db);
    if (!bench) await seedReference(db);
    const bytes = simpleXlsx([header, ...data]);
    let t = performance.now();
    const sheet = readRegisterFile(bytes, 'bench.xlsx');
    const read = performance.now() - t;
    const mapping = effectiveMapping(sheet.headers, null);
    t = performance.now();
    const plan = await previewRegister(db, sheet, mapping, now);
    const preview = performance.now() - t;
    t = performance.now();
    await applyRegister(db, { userId: null, label: 'bench' }, { fileName: 'bench.xlsx', sha256: '0'.repeat(64) }, sheet, mapping, now);
    const apply = performance.now() - t;
    t = performance.now();
    const again = await previewRegister(db, sheet, mapping, now);
    const repreview = performance.now() - t;
    console.log(JSON.stringify({ database: bench ? 'postgres' : 'pglite', rows, xlsxBytes: bytes.length, counts: plan.counts, readMs: Math.round(read), previewMs: Math.round(preview), applyMs: Math.round(apply), reimportPreviewMs: Math.round(repreview), reimport: again.counts }));
  } finally {
    if (bench) await bench.drop();
    else await db.destroy();
  }
}

await main();
