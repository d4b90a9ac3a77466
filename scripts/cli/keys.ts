// `npm run ocop -- keys generate|rotate|list`: signing keys for Workers (a secret) and Node (a file).
import { readFile } from 'node:fs/promises';
import { keyNumberOfKid, MAX_KEY_NUMBER } from '../../worker/codes/format';
import { addKeyToFile, keyFilePath, loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { generateSigningKey, KeyRing, type PrivateKeyJwk } from '../../worker/codes/keyring';
import { cliEnv, command, dataDir, parseCommandLine, UsageError, type CliIo } from './command-line';

const USAGE = `Cách dùng / usage:
  keys generate [--number N] [--from keys.json]   in JWK Set (có khóa bí mật) ra stdout / print a JWK Set with private keys on stdout
  keys rotate [--data-dir D]                      thêm khóa mới vào tệp khóa của Node / add a key to the Node key file
  keys list [--data-dir D]                        liệt kê khóa (không in khóa bí mật) / list keys (no private parts)`;

/** The Node key file's folder: --data-dir, else DATA_DIR as the server reads it. */
function dataDirOf(args: string[]): string {
  const { values } = parseCommandLine({ args, strict: true, options: { 'data-dir': { type: 'string' } } });
  return dataDir(cliEnv(), values['data-dir']);
}

const WORKERS_HELP = (number: number, rotated: boolean) => `
Đã in ra stdout một JWK Set chứa KHÓA BÍ MẬT / a JWK Set holding PRIVATE keys was printed on stdout.
Cloudflare Workers đọc khóa từ secret SIGNING_KEYS / the Worker reads its keys from the SIGNING_KEYS secret:

  npm run --silent ocop -- keys generate${rotated ? ' --from keys.json' : ''} > keys${rotated ? '-new' : ''}.json
  wrangler secret put SIGNING_KEYS < keys${rotated ? '-new' : ''}.json

"wrangler secret put" đọc giá trị từ stdin và lưu mã hoá ở Cloudflare; nó không nằm trong wrangler.toml hay git.
Giữ tệp này ở nơi an toàn (két, trình quản lý mật khẩu) rồi xoá bản trên máy; KHÔNG commit.
(wrangler reads the value from stdin and stores it encrypted at Cloudflare, outside wrangler.toml and git.
Keep the file somewhere safe, delete the working copy, never commit it.)

Khóa mới: ocop-${number}. Xoay khóa / rotation: "keys generate --from <tệp cũ / old file>" giữ các khóa cũ
(chúng vẫn xác minh các mã đã in) và thêm số khóa kế tiếp, khóa này ký từ lúc triển khai.
(--from keeps the old keys, which still verify printed codes, and adds the next key number, which signs from then on.)`;

async function generate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine({ args, strict: true, options: { number: { type: 'string' }, from: { type: 'string' } } });
  const { number: numberText, from } = values;
  let keys: PrivateKeyJwk[] = [];
  if (from) {
    const set: unknown = JSON.parse(await readFile(from, 'utf8'));
    await KeyRing.fromJwkSet(set);
    keys = (set as { keys: PrivateKeyJwk[] }).keys;
  }
  const used = keys.map((k) => keyNumberOfKid(k.kid) ?? 0);
  const number = numberText !== undefined ? Number(numberText) : Math.max(0, ...used) + 1;
  if (!Number.isInteger(number) || number < 1 || number > MAX_KEY_NUMBER) {
    io.err(`--number phải là số nguyên 1..${MAX_KEY_NUMBER} / must be an integer 1..${MAX_KEY_NUMBER}`);
    return 2;
  }
  if (used.includes(number)) {
    io.err(`Số khóa ${number} đã có trong ${from} / key number ${number} is already in ${from}`);
    return 2;
  }
  const set = { keys: [...keys, await generateSigningKey(number)] };
  io.out(JSON.stringify(set, null, 2));
  io.err(WORKERS_HELP(number, Boolean(from)));
  return 0;
}

export const runKeys = command(USAGE, async ([sub, ...rest], io) => {
  try {
    switch (sub) {
      case 'generate':
        return await generate(rest, io);
      case 'rotate': {
        const dir = dataDirOf(rest);
        const key = await addKeyToFile(dir);
        io.out(key.kid);
        io.err(
          `Đã thêm ${key.kid} vào ${keyFilePath(dir)}. Khởi động lại máy chủ: khóa mới ký các lô từ nay, khóa cũ vẫn xác minh mã đã in.\n` +
            `(Added to the key file. Restart the server: the new key signs new batches, old keys still verify printed codes.)`,
        );
        return 0;
      }
      case 'list': {
        const dir = dataDirOf(rest);
        const set = await loadOrCreateKeyFile(dir);
        for (const k of set.keys) io.out(`${k.kid}\t${k.created ?? '-'}\t${k.d ? 'private+public' : 'public only'}`);
        io.err(`(${keyFilePath(dir)}; trạng thái thu hồi nằm trong cơ sở dữ liệu / withdrawal status lives in the database)`);
        return 0;
      }
      default:
        io.err(USAGE);
        return 2;
    }
  } catch (error) {
    // A usage error is `command`'s to print; a bad key file or JWK Set is the operator's to fix.
    if (error instanceof UsageError) throw error;
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
});
