import { createWriteStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import type { KeyRing } from '../../worker/codes/keyring';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { batchExport, isLabelFormat, LABEL_FORMATS, layoutFromStrings } from '../../worker/batch-export';
import { LABEL_PRESET_IDS } from '../../worker/qr/label-layouts';
import { nodeBaseUrls } from '../../worker/config';
import { getBatchRow } from '../../worker/db/batches';
import { ALL_SCOPE } from '../../worker/db/scope';
import { issueBatch } from '../../worker/db/batches';
import { syncSigningKeys } from '../../worker/db/keys';
import { DomainError } from '../../worker/domain/errors';
import { AppError } from '../../worker/errors';
import { loadNodeKeyRing } from '../../worker/node-runtime';
import { cliEnv, command, dataDir, openCliDatabase, parseCommandLine } from './command-line';
import { progressBar } from './progress';

const CLI_ACTOR = { userId: null, label: 'cli' };

/** https on a real host name: what a printed label may carry. */
export function isPublicBase(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' && hostname !== 'localhost' && !/^127\./.test(hostname) && hostname !== '[::1]';
}

/**
 * The key this command would sign with must be the one the database (and so every running
 * server) knows under its kid: a key file from another install holding a different
 * `ocop-N` would print codes the service calls not genuine.
 */
async function requireKeyKnown(db: Kysely<Database>, ring: KeyRing): Promise<void> {
  const signer = ring.signer();
  const row = await db.selectFrom('signing_keys').select(['public_jwk', 'status']).where('kid', '=', signer.kid).executeTakeFirst();
  const x = (row?.public_jwk as { x?: unknown } | undefined)?.x;
  if (!row || x !== signer.publicJwk.x) {
    throw new AppError(409, 'key_unknown', `Cơ sở dữ liệu không biết khóa ${signer.kid} của tệp khóa này (tệp khóa của nơi khác?)`, `The database does not know this key file's ${signer.kid} (a key file from another install?)`);
  }
  if (row.status !== 'active') throw new AppError(409, 'key_withdrawn', `Khóa ${signer.kid} đã ${row.status === 'withdrawn' ? 'bị thu hồi' : 'ngừng ký'}`, `Key ${signer.kid} is ${row.status}`);
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const issueArgs = z.object({
  certificate: z.string().min(1, 'cần --certificate SỐ / --certificate NUMBER is required'),
  lot: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'lô: chữ, số, . _ / - (tối đa 32) / lot: letters, digits, . _ / - (max 32)'),
  productionDate: isoDate,
  bestBefore: isoDate.optional(),
  quantity: z.coerce.number().int().min(1).max(1_000_000),
});

async function exportTo(out: string | undefined, stream: ReadableStream<Uint8Array>): Promise<void> {
  const sink = out ? createWriteStream(out) : process.stdout;
  await stream.pipeTo(Writable.toWeb(sink) as WritableStream<Uint8Array>);
}

const USAGE = `Cách dùng / usage:
  batch issue --certificate NUMBER --lot LOT --production-date YYYY-MM-DD [--best-before YYYY-MM-DD] --quantity N
  batch export BATCH_ID [--format ${LABEL_FORMATS.join('|')}] [--out FILE] [--allow-local]
      PDF: [--preset ${LABEL_PRESET_IDS.join('|')}]
        or [--page a4|roll] [--label-width MM --label-height MM] [--columns N --rows N]
           [--margin-left MM --margin-top MM] [--gap-x MM --gap-y MM]

  export cần PUBLIC_BASE_URL=https://… / export needs PUBLIC_BASE_URL=https://… (--allow-local: a test print with local URLs)`;

/**
 * A broken rule or a refused export is the operator's to fix: print it plainly and exit 1.
 * Anything else is a bug and goes up.
 */
function refusal(error: unknown): number {
  if (!(error instanceof DomainError) && !(error instanceof AppError)) throw error;
  console.error(`${error.messageVi} / ${error.messageEn}`);
  return 1;
}

export const runBatch = command(USAGE, async ([sub, ...rest], io) => {
  if (sub === 'issue') return issue(rest);
  if (sub === 'export') return exportBatch(rest);
  io.err(USAGE);
  return 2;
});

async function issue(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args,
    strict: true,
    options: {
      certificate: { type: 'string' },
      lot: { type: 'string' },
      'production-date': { type: 'string' },
      'best-before': { type: 'string' },
      quantity: { type: 'string' },
    },
  });
  const parsed = issueArgs.safeParse({
    certificate: values.certificate,
    lot: values.lot,
    productionDate: values['production-date'],
    bestBefore: values['best-before'],
    quantity: values.quantity,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`Tham số sai / bad argument --${String(issue.path[0] ?? '')}: ${issue.message}`);
    return 2;
  }
  const input = parsed.data;
  const env = cliEnv();
  const database = await openCliDatabase(env);
  try {
    const ring = await loadNodeKeyRing(dataDir(env));
    await syncSigningKeys(database.db, ring);
    await requireKeyKnown(database.db, ring);
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
    return refusal(error);
  } finally {
    await database.close();
  }
}

async function exportBatch(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      'allow-local': { type: 'boolean', default: false },
      preset: { type: 'string' },
      page: { type: 'string' },
      'label-width': { type: 'string' },
      'label-height': { type: 'string' },
      columns: { type: 'string' },
      rows: { type: 'string' },
      'margin-left': { type: 'string' },
      'margin-top': { type: 'string' },
      'gap-x': { type: 'string' },
      'gap-y': { type: 'string' },
    },
  });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id < 1) {
    console.error('Cần đúng một mã lô / exactly one batch id: batch export BATCH_ID --format …');
    return 2;
  }
  const { format, out } = values;
  if (!isLabelFormat(format)) {
    console.error(`Định dạng không hỗ trợ / unsupported format: ${format} (${LABEL_FORMATS.join(', ')})`);
    return 2;
  }
  const env = cliEnv();
  const { publicBaseUrl } = nodeBaseUrls(env);
  // Labels printed from this file open its URLs on every shopper's phone: a local or plain
  // http base would send them all to a machine they cannot reach.
  if (!values['allow-local'] && !isPublicBase(publicBaseUrl)) {
    console.error(
      `PUBLIC_BASE_URL là ${publicBaseUrl}: mã in ra sẽ mở máy cục bộ / labels would open a local address. Đặt PUBLIC_BASE_URL=https://… (tên miền in trên bao bì) hoặc thêm --allow-local để thử / set PUBLIC_BASE_URL=https://… (the domain printed on packages) or pass --allow-local for a test print`,
    );
    return 2;
  }
  const database = await openCliDatabase(env);
  try {
    const ring = await loadNodeKeyRing(dataDir(env));
    await syncSigningKeys(database.db, ring);
    const batch = await getBatchRow(database.db, ALL_SCOPE, id);
    if (!batch) {
      console.error(`Không tìm thấy lô / unknown batch: ${id}`);
      return 1;
    }
    let bar: ReturnType<typeof progressBar> | undefined;
    // The flags are the admin form's and API's fields, kebab-cased: one schema checks all three.
    const layout = layoutFromStrings({
      preset: values.preset, page: values.page, labelWidth: values['label-width'], labelHeight: values['label-height'], columns: values.columns, rows: values.rows,
      marginLeft: values['margin-left'], marginTop: values['margin-top'], gapX: values['gap-x'], gapY: values['gap-y'],
    });
    // Progress comes only while the stream is read, after the bar exists.
    const exported = batchExport(ring, publicBaseUrl, batch, format, { layout, onProgress: (done) => bar?.update(done) });
    bar = progressBar(`${format} → ${out ?? 'stdout'}`, exported.total);
    await exportTo(out, exported.stream);
    bar.finish();
    if (out) console.error(`Đã ghi / written: ${out} (${exported.total.toLocaleString('en')} codes)`);
    return 0;
  } catch (error) {
    return refusal(error);
  } finally {
    await database.close();
  }
}
