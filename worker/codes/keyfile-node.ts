// Node only: the signing keys of an on-premises / demo install, kept as a JWK Set in
// `${dataDir}/signing-keys.json`, readable by the service's user alone.

import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keyNumberOfKid, MAX_KEY_NUMBER } from './format';
import { generateSigningKey, KeyRing, type PrivateKeyJwk } from './keyring';

export const KEY_FILE_NAME = 'signing-keys.json';

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE_NAME);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

// Private keys readable by group or others are as good as leaked on a shared machine:
// tighten the mode and say so, rather than refusing to start an office's only server.
async function tightenMode(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    await chmod(file, 0o600);
    console.warn(
      `Cảnh báo / warning: ${file} có quyền ${(mode & 0o777).toString(8)}, người khác đọc được khóa bí mật; đã đổi thành 600 / was readable by group or others; mode changed to 600. Consider rotating the key.`,
    );
  }
}

async function readKeyFile(file: string): Promise<{ keys: PrivateKeyJwk[] }> {
  const text = await readFile(file, 'utf8');
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    throw new Error(`Tệp khóa hỏng / key file is not valid JSON: ${file}`);
  }
  try {
    await KeyRing.fromJwkSet(set);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return set as { keys: PrivateKeyJwk[] };
}

async function writeKeyFile(file: string, set: { keys: PrivateKeyJwk[] }): Promise<void> {
  // Write-then-rename so a crash never leaves a half-written key file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/** The key file's JWK Set; on first use creates it with key number 1. */
export async function loadOrCreateKeyFile(dataDir: string): Promise<{ keys: PrivateKeyJwk[] }> {
  const file = keyFilePath(dataDir);
  try {
    await tightenMode(file);
    return await readKeyFile(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const set = { keys: [await generateSigningKey(1)] };
  try {
    // 'wx': if another process created the file meanwhile, keep theirs.
    await writeFile(file, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw error;
  }
  return set;
}

/** Rotation: appends a key numbered max+1 (the ring signs with it from the next start) and returns it. */
export async function addKeyToFile(dataDir: string): Promise<PrivateKeyJwk> {
  const file = keyFilePath(dataDir);
  const set = await loadOrCreateKeyFile(dataDir);
  const highest = Math.max(...set.keys.map((k) => keyNumberOfKid(k.kid) ?? 0));
  if (highest >= MAX_KEY_NUMBER) throw new Error(`Đã dùng hết số khóa / all ${MAX_KEY_NUMBER} key numbers are used`);
  const key = await generateSigningKey(highest + 1);
  await writeKeyFile(file, { keys: [...set.keys, key] });
  return key;
}
