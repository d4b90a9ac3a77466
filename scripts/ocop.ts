// `npm run ocop -- <command> …`: the operator's command line.
import { ConfigError } from '../worker/config';
import { runBatch } from './cli/batch';
import type { Command } from './cli/command-line';
import { runDaily, runDb, runMigrate, runSeed } from './cli/db';
import { runDemo } from './cli/demo';
import { runImport } from './cli/import';
import { runKeys } from './cli/keys';
import { runUser } from './cli/user';
import { runVerify } from './cli/verify';

const HELP = `OCOP Verify — dòng lệnh / command line

  npm run ocop -- migrate                 áp dụng migration / apply migrations (DATABASE_URL or DATA_DIR)
  npm run ocop -- seed [--reference-only] dữ liệu mẫu / demo data (only into an empty database)
  npm run ocop -- daily                   chạy tác vụ hằng ngày / run the daily job once
  npm run ocop -- demo remove             xóa tài khoản demo / delete the demo accounts before production
  npm run ocop -- db roles [--apply]      hai vai trò Postgres / the two Postgres roles (owner, runtime)
  npm run ocop -- keys generate|rotate|list   khóa ký / signing keys
  npm run ocop -- user add --email E --role R [--name N] [--area d-695] [--producer ID]
  npm run ocop -- batch issue --certificate NUMBER --lot LOT --production-date YYYY-MM-DD [--best-before YYYY-MM-DD] --quantity N
  npm run ocop -- batch export BATCH_ID --format csv|pdf|png-zip|svg-zip [--out FILE] [--preset a4-21|a4-24|a4-40|a4-65|roll-50x30|roll-40x30 | --label-width MM --label-height MM …]
  npm run ocop -- import FILE [--apply]   nhập sổ đăng ký CSV/XLSX (mặc định chạy thử) / import the register (dry run unless --apply)
  npm run ocop -- verify <url-or-code> [--jwks <file-or-url>]   kiểm tra ngoại tuyến / offline verification

  Đọc cùng biến môi trường như máy chủ / reads the same settings as the server (README: Configuration)
`;

const commands: Record<string, Command> = {
  migrate: runMigrate,
  seed: runSeed,
  daily: runDaily,
  demo: runDemo,
  db: runDb,
  keys: runKeys,
  user: runUser,
  batch: runBatch,
  verify: runVerify,
  import: runImport,
};

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    console.error(`Lệnh không tồn tại / unknown command: ${command}\n\n${HELP}`);
    return 2;
  }
  return run(args);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    // A bad setting is the operator's to fix, like a bad flag; anything else failed at run time.
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
