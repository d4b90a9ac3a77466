// `npm run ocop -- user add --email E --role R [--name N] [--area d-695] [--producer ID]`:
// creates an account (the first admin of a fresh install, typically) and prints its
// generated password once. Opens the same database as the server (DATABASE_URL or DATA_DIR).
import { generatePassword, hashPassword } from '../../admin/password';
import { userForm, parseForm } from '../../admin/forms';
import { ROLES } from '../../admin/permissions';
import { createUser } from '../../worker/db/users-and-tokens';
import { DomainError } from '../../worker/domain/errors';
import { argValue, openCliDatabase } from './env';

const USAGE = `Cách dùng / usage:
  npm run ocop -- user add --email EMAIL --role ROLE [--name NAME] [--area DISTRICT_ID] [--producer PRODUCER_ID]

  ROLE: ${ROLES.join(' | ')}
  --area      bắt buộc với / required for area_officer (vd / e.g. d-695)
  --producer  bắt buộc với / required for producer (mã số chủ thể / producer id)`;

export async function runUser(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') {
    console.error(USAGE);
    return 2;
  }
  const email = argValue(rest, 'email');
  const input = {
    email,
    name: argValue(rest, 'name') ?? email?.split('@')[0],
    role: argValue(rest, 'role'),
    areaUnitId: argValue(rest, 'area'),
    producerId: argValue(rest, 'producer'),
  };
  const parsed = parseForm(userForm, input);
  if (!parsed.ok) {
    for (const [field, message] of Object.entries(parsed.errors)) console.error(`--${field}: ${message}`);
    console.error(`\n${USAGE}`);
    return 2;
  }
  const database = await openCliDatabase();
  try {
    const password = generatePassword();
    const user = await createUser(database.db, { userId: null, label: 'cli' }, parsed.data, await hashPassword(password));
    console.log(`Đã tạo tài khoản / account created: #${user.id} ${user.email} (${user.role})`);
    console.log(`Mật khẩu (chỉ hiện một lần) / password (shown once): ${password}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.messageVi} / ${error.messageEn}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
