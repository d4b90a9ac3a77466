// A throwaway Postgres cluster on a spare port, for tests that restart the database under
// load without disturbing the machine's shared server (other test files use it meanwhile).
// initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './process';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'pg_ctl'))) return path.join(root, v, 'bin');
  throw new Error('pg_ctl not found under /usr/lib/postgresql/*/bin');
}

export interface PgCluster {
  url: string;
  port: number;
  /**
   * `pg_ctl restart -m fast`: every connection is cut, the server comes back; resolves when it
   * accepts connections. Asynchronous, so the test's own clients keep running meanwhile.
   */
  restart(): Promise<void>;
  stop(): void;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'ocop-pg-'));
  chmodSync(dir, 0o777);
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : path.join(bin, tool);
    const full = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    return execFileSync(cmd, full, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).toString();
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`;
  const ctlArgs = (args: string[]) => ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', ...args];
  const ctl = (...args: string[]) => run('pg_ctl', ctlArgs(args));
  const ctlAsync = async (...args: string[]) => {
    const cmd = asRoot ? 'runuser' : path.join(bin, 'pg_ctl');
    const full = asRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...ctlArgs(args)] : ctlArgs(args);
    await promisify(execFile)(cmd, full, { cwd: dir, timeout: 120_000 });
  };
  ctl('-o', opts, 'start');
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => ctlAsync('-m', 'fast', '-o', opts, 'restart'),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        ctl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
