import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataDirPrivate, dataDirProblemMessage, loadOrCreateSessionSecret, openNodeDatabase } from '../../worker/node-runtime';
import { migrateToLatest } from '../../worker/db/migrate';

// Finding 7 of issue 10: the data folder holds the embedded database (its WAL has the
// password hashes), the keys and the session secret; nobody else may read any of it.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Every path under `dir` whose mode lets group or others do anything, reachable or not. */
async function sharedModes(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, entry);
    const mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) !== 0) found.push(`${mode.toString(8)} ${entry}`);
  }
  return found;
}

async function freshDir(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'ocop-data-')), 'data');
  dirs.push(path.dirname(dir));
  return dir;
}

describe('the data folder', () => {
  it('is created 0700 with the embedded database inside it owner-only, and a folder left open by an older version is closed', async () => {
    const dir = await freshDir();
    // What an older version left: a group- and world-readable folder and files.
    await mkdir(path.join(dir, 'pgdata'), { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
    await writeFile(path.join(dir, 'pgdata', 'old-file'), 'x', { mode: 0o666 });
    await chmod(path.join(dir, 'pgdata', 'old-file'), 0o666);
    expect((await checkDataDirPrivate(dir)).length).toBeGreaterThanOrEqual(3);
    const database = await openNodeDatabase({ dataDir: dir });
    try {
      await migrateToLatest(database.db);
      await database.db.insertInto('login_throttle').values({ key: 'test:data-dir', failures: 1, window_started: new Date() }).execute();
    } finally {
      await database.close();
    }
    await loadOrCreateSessionSecret(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // Not only unreachable behind the folder: every file and folder in it is owner-only.
    expect(await sharedModes(dir)).toEqual([]);
    expect(await checkDataDirPrivate(dir)).toEqual([]);
  }, 60_000);

  it('checkDataDirPrivate names what others could read, with its mode, for production mode to refuse', async () => {
    const dir = await freshDir();
    await mkdir(dir, { mode: 0o700 });
    await writeFile(path.join(dir, 'session-secret'), 'x', { mode: 0o600 });
    expect(await checkDataDirPrivate(dir)).toEqual([]);
    await chmod(path.join(dir, 'session-secret'), 0o644);
    await chmod(dir, 0o750);
    const problems = await checkDataDirPrivate(dir);
    expect(problems).toEqual([
      { path: path.resolve(dir), mode: '750' },
      { path: path.resolve(dir, 'session-secret'), mode: '644' },
    ]);
    // Behind a 0700 folder nothing is reachable, whatever its own mode.
    await chmod(dir, 0o700);
    expect(await checkDataDirPrivate(dir)).toEqual([]);
    const message = dataDirProblemMessage(dir, problems);
    expect(message).toContain('người khác đọc được');
    expect(message).toContain('readable by others');
    expect(message).toContain(`chmod -R go-rwx ${dir}`);
  });
});
