// The Node data folder (DATA_DIR) holds the embedded database (its WAL has the password
// hashes), the signing keys and the session secret: nobody but the service's own user may
// read, list or write any of it. Node only.
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Group and other permission bits: none may be set anywhere under the data folder. */
const SHARED_BITS = 0o077;

async function* walk(dir: string): AsyncGenerator<string> {
  yield dir;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/**
 * Creates `dir` (mode 0700) if needed and takes group and other permissions off it and off
 * everything under it, so a data folder from an older version (PGlite wrote its files 0666
 * under the usual umask 022) is closed on the next start. Symbolic links are left alone.
 */
export async function secureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for await (const file of walk(dir)) {
    const info = await lstat(file);
    if (info.isSymbolicLink()) continue;
    if ((info.mode & SHARED_BITS) !== 0) await chmod(file, info.mode & 0o700);
  }
}

/**
 * Files this process creates from now on are owner-only (umask 077): PGlite creates new
 * files (WAL segments, tables) for as long as it runs, with the mode the umask leaves.
 * A no-op where the umask cannot be set (worker threads).
 */
export function ownerOnlyFiles(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the process umask; secureDataDir still closed the folder.
  }
}

export interface DataDirProblem {
  path: string;
  mode: string;
}

/**
 * What under `dir` (and `dir` itself) group or others can actually reach and read, write
 * or list, with its mode in octal; empty when the folder is private. A file counts only if
 * every folder above it (from `dir` down) lets that class through, so a 0700 data folder is
 * private whatever PGlite has since written inside it. Production mode refuses to start on
 * a folder for which this is not empty.
 */
export async function checkDataDirPrivate(dir: string): Promise<DataDirProblem[]> {
  const problems: DataDirProblem[] = [];
  const visit = async (file: string, group: boolean, other: boolean): Promise<void> => {
    const info = await lstat(file);
    if (info.isSymbolicLink()) return;
    const mode = info.mode & 0o777;
    if ((group && (mode & 0o070) !== 0) || (other && (mode & 0o007) !== 0)) problems.push({ path: file, mode: mode.toString(8).padStart(3, '0') });
    if (!info.isDirectory()) return;
    const g = group && (mode & 0o010) !== 0;
    const o = other && (mode & 0o001) !== 0;
    if (!g && !o) return;
    for (const entry of await readdir(file)) await visit(path.join(file, entry), g, o);
  };
  await visit(path.resolve(dir), true, true);
  return problems;
}

/** The refusal production mode prints, Vietnamese first. */
export function dataDirProblemMessage(dir: string, problems: DataDirProblem[]): string {
  const shown = problems.slice(0, 5).map((p) => `  ${p.mode} ${p.path}`).join('\n');
  const more = problems.length > 5 ? `\n  … ${problems.length - 5} more` : '';
  return (
    `Thư mục dữ liệu ${dir} có tệp người khác đọc được / the data folder is readable by others (${problems.length}):\n${shown}${more}\n` +
    `Sửa / fix: chmod -R go-rwx ${dir}`
  );
}
