import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { issueBatch } from '../../worker/db/batches';
import { syncSigningKeys } from '../../worker/db/keys';
import { DomainError } from '../../worker/domain/errors';
import { loadNodeKeyRing } from '../../worker/node-runtime';
import { batchExport, EXPORT_FORMATS, type ExportFormat } from '../../worker/batch-export';
import { argValue, dataDir, openCliDatabase } from './env';
import { progressBar } from './progress';

const CLI_ACTOR = { userId: null, label: 'cli' };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const issueArgs = z.object({
  certificate: z.string().min(1, 'cần --certificate SỐ / --certificate NUMBER is required'),
  lot: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'lô: chữ, số, . _ / - (tối đa 32) / lot: letters, digits, . _ / - (max 32)'),
  productionDate: isoDate,
  bestBefore: isoDate.optional(),
  quantity: z.coerce.number().int().min(1).max(1_000_000),
});

function baseUrl(): string {
  return process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
}

async function exportTo(out: string | undefined, stream: ReadableStream<Uint8Array>): Promise<void> {
  const sink = out ? createWriteStream(out) : process.stdout;
  await stream.pipeTo(Writable.toWeb(sink) as WritableStream<Uint8Array>);
}

/** A broken rule is the operator's to fix: print it plainly and exit 1; anything else is a bug. */
function domainFailure(error: unknown): number {
  if (!(error instanceof DomainError)) throw error;
  console.error(`${error.messageVi} / ${error.message}`);
  return 1;
}

export async function runBatch(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'issue') return issue(rest);
  if (sub === 'export') return exportBatch(rest);
  console.error('Dùng / usage: batch issue … | batch export BATCH_ID --format csv|pdf|png-zip|svg-zip [--out FILE]');
  return 2;
}

async function issue(args: string[]): Promise<number> {
  const parsed = issueArgs.safeParse({
    certificate: argValue(args, 'certificate'),
    lot: argValue(args, 'lot'),
    productionDate: argValue(args, 'production-date'),
    bestBefore: argValue(args, 'best-before'),
    quantity: argValue(args, 'quantity'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`Tham số sai / bad argument --${String(issue.path[0] ?? '')}: ${issue.message}`);
    return 2;
  }
  const input = parsed.data;
  const database = await openCliDatabase();
  try {
    const ring = await loadNodeKeyRing(dataDir());
    await syncSigningKeys(database.db, ring);
    const cert = await database.db.selectFrom('certificates').select('id').where('number', '=', input.certificate.toUpperCase()).executeTakeFirst();
    if (!cert) {
      console.error(`Không tìm thấy giấy chứng nhận / unknown certificate: ${input.certificate}`);
      return 1;
    }
    const batch = await issueBatch(database.db, CLI_ACTOR, {
      certificateId: cert.id, lotCode: input.lot, productionDate: input.productionDate, bestBefore: input.bestBefore ?? null, quantity: input.quantity,
    }, ring, new Date());
    console.log(`Đã tạo lô / batch issued: id ${batch.id}, lot ${batch.lot_code}, ${batch.quantity} codes, key ocop-${batch.key_number}`);
    console.log(`Xuất mã / export: npm run ocop -- batch export ${batch.id} --format csv --out batch-${batch.id}.csv`);
    return 0;
  } catch (error) {
    return domainFailure(error);
  } finally {
    await database.close();
  }
}

async function exportBatch(args: string[]): Promise<number> {
  const id = Number(args[0]);
  const format = (argValue(args, 'format') ?? 'csv') as ExportFormat;
  if (!Number.isInteger(id) || id < 1) {
    console.error('Cần mã lô / batch id required: batch export BATCH_ID --format …');
    return 2;
  }
  if (!EXPORT_FORMATS.includes(format)) {
    console.error(`Định dạng không hỗ trợ / unsupported format: ${format} (${EXPORT_FORMATS.join(', ')})`);
    return 2;
  }
  const out = argValue(args, 'out');
  const database = await openCliDatabase();
  try {
    const ring = await loadNodeKeyRing(dataDir());
    await syncSigningKeys(database.db, ring);
    let total = 0;
    let bar: ReturnType<typeof progressBar> | undefined;
    const stream = await batchExport(database.db, ring, id, baseUrl(), format, {
      columns: argValue(args, 'columns') ? Number(argValue(args, 'columns')) : undefined,
      rows: argValue(args, 'rows') ? Number(argValue(args, 'rows')) : undefined,
      onStart: (n) => (total = n),
      // Progress comes only while the stream is read, after the bar exists.
      onProgress: (done) => bar?.update(done),
    });
    bar = progressBar(`${format} → ${out ?? 'stdout'}`, total);
    await exportTo(out, stream);
    bar.finish();
    if (out) console.error(`Đã ghi / written: ${out} (${total.toLocaleString('en')} codes)`);
    return 0;
  } catch (error) {
    return domainFailure(error);
  } finally {
    await database.close();
  }
}
