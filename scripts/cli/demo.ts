// `npm run ocop -- demo remove`: deletes the demo accounts the seed made, so a database that
// started as a demo can go into production (which refuses to start while they exist).
import { removeDemoAccounts } from '../../worker/db/demo-accounts';
import { cliEnv, command, openCliDatabase, UsageError } from './command-line';

const USAGE = `Cách dùng / usage:
  npm run ocop -- demo remove    xóa các tài khoản demo / delete the demo accounts (…@ocop.demo)`;

export const runDemo = command(USAGE, async ([sub, ...rest], io) => {
  if (sub !== 'remove' || rest.length > 0) throw new UsageError(sub === 'remove' ? `Thừa tham số / unexpected arguments: ${rest.join(' ')}` : `Lệnh con không hợp lệ / unknown subcommand: ${sub ?? '(none)'}`);
  const database = await openCliDatabase(cliEnv());
  try {
    const removed = await removeDemoAccounts(database.db, { userId: null, label: 'cli' });
    if (removed.length === 0) io.out('Không có tài khoản demo / no demo accounts');
    else io.out(`Đã xóa ${removed.length} tài khoản demo / removed ${removed.length} demo accounts: ${removed.join(', ')}`);
    return 0;
  } finally {
    await database.close();
  }
});
