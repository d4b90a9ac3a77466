// `npm run ocop -- user add --email E --role R [--name N] [--area d-695] [--producer ID]`:
// creates an account (the first admin of a fresh install, typically) and prints its
// generated password once. Opens the same database as the server (DATABASE_URL or DATA_DIR).
import { generatePassword, hashPassword } from '../../admin/password';
import { userForm, parseForm } from '../../admin/forms';
import { createUser } from '../../worker/db/users-and-tokens';
import { DomainError } from '../../worker/domain/errors';
import { ROLES } from '../../worker/domain/vocabulary';
import { cliEnv, command, openCliDatabase, parseCommandLine } from './command-line';

const USAGE = `Cách dùng / usage:
  npm run ocop -- user add --email EMAIL --role ROLE [--name NAME] [--area DISTRICT_ID] [--producer PRODUCER_ID]

  ROLE: ${ROLES.join(' | ')}
  --area      bắt buộc với / required for area_officer (vd / e.g. d-695)
  --producer  bắt buộc với / required for producer (mã số chủ thể / producer id)`;

export const runUser = command(USAGE, async ([sub, ...rest], io) => {
  if (sub !== 'add') {
    io.err(USAGE);
    return 2;
  }
  const { values } = parseCommandLine({
    args: rest,
    strict: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, area: { type: 'string' }, producer: { type: 'string' } },
  });
  const input = {
    email: values.email,
    name: values.name ?? values.email?.split('@')[0],
    role: values.role,
    areaUnitId: values.area,
    producerId: values.producer,
  };
  const parsed = parseForm(userForm, input);
  if (!parsed.ok) {
    for (const [field, message] of Object.entries(parsed.errors)) io.err(`--${field}: ${message}`);
    io.err(`\n${USAGE}`);
    return 2;
  }
  const database = await openCliDatabase(cliEnv());
  try {
    const password = generatePassword();
    const user = await createUser(database.db, { userId: null, label: 'cli' }, parsed.data, await hashPassword(password));
    io.out(`Đã tạo tài khoản / account created: #${user.id} ${user.email} (${user.role})`);
    io.out(`Mật khẩu (chỉ hiện một lần) / password (shown once): ${password}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      io.err(`${error.messageVi} / ${error.messageEn}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
});
