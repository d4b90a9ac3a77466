// `npm run ocop -- import FILE [--apply]`: the register import from the command line. A dry run
// by default (the preview's counts and every error); --apply writes, in one transaction, as
// the admin's confirmation does, audited as `cli`.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../worker/db/register-uploads';
import { DomainError } from '../../worker/domain/errors';
import { REGISTER_COLUMNS } from '../../worker/domain/register-columns';
import { applyRegister, effectiveMapping, importFileTooLarge, MAX_IMPORT_BYTES, previewRegister, readRegisterFile } from '../../worker/services/register-import';
import { cliEnv, command, openCliDatabase, parseCommandLine, UsageError } from './command-line';

const USAGE = `Cách dùng / usage:
  import FILE [--apply]     FILE: .xlsx hoặc .csv (tối đa 10 MB, 20.000 dòng)
                            mặc định chạy thử, không ghi gì / a dry run unless --apply`;

export const runImport = command(USAGE, async (args, io) => {
  const { values, positionals } = parseCommandLine({ args, strict: true, allowPositionals: true, options: { apply: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('cần đúng một tệp / exactly one FILE is needed');
  const file = positionals[0]!;
  let bytes: Uint8Array;
  try {
    if ((await stat(file)).size > MAX_IMPORT_BYTES) throw importFileTooLarge();
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    if (error instanceof DomainError) {
      io.err(error.messageVi);
      return 1;
    }
    io.err(`Không đọc được tệp / cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const fileName = path.basename(file);
  const env = cliEnv();
  const database = await openCliDatabase(env);
  try {
    const sheet = readRegisterFile(bytes, fileName);
    const mapping = effectiveMapping(sheet.headers, null);
    io.out(`Tệp / file: ${fileName} · SHA-256 ${await sha256Hex(bytes)}`);
    io.out(`Cột / columns: ${sheet.headers.map((h, i) => `${h} → ${mapping[i] ? REGISTER_COLUMNS[mapping[i]!].header : '(bỏ qua / ignored)'}`).join('; ')}`);
    const now = new Date();
    const plan = await previewRegister(database.db, sheet, mapping, now);
    const c = plan.counts;
    io.out(`${c.rows} dòng: ${c.new} mới, ${c.update} cập nhật, ${c.unchanged} không đổi, ${c.error} lỗi / ${c.rows} rows: ${c.new} new, ${c.update} update, ${c.unchanged} unchanged, ${c.error} errors`);
    for (const r of plan.rows) {
      for (const e of r.errors) io.out(`  Dòng ${r.line}${e.field ? ` · ${REGISTER_COLUMNS[e.field].header}` : ''}: ${e.messageVi}`);
    }
    if (!values.apply) {
      io.out('Chạy thử: chưa ghi gì. Thêm --apply để nhập / dry run: nothing written; add --apply to import');
      return 0;
    }
    const applied = await applyRegister(database.db, { userId: null, label: 'cli' }, { fileName, sha256: await sha256Hex(bytes) }, sheet, mapping, now);
    const w = applied.written;
    io.out(`Đã nhập / imported: ${w.producers} chủ thể, ${w.products} sản phẩm, ${w.evaluations} kết quả đánh giá, ${w.certificates} giấy chứng nhận, ${w.regions} vùng nguyên liệu`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      io.err(error.messageVi);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
});
