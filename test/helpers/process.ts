// Servers a test starts as real processes. Each runs in its own process group (detached),
// so stopping it kills the whole tree (npx → tsx → node, or wrangler → workerd) and not
// just the first process; every group still alive is killed when the test process exits,
// also after a timeout. Readiness is polled, never assumed after a fixed sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process printed so far (shown when it fails). */
  log(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function startProcess(command: string, args: string[], env: Record<string, string | undefined>, cwd?: string): ServerProcess {
  let output = '';
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    log: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
        if ((await Promise.race([exited, timer])) === 'timeout') killGroup(child, 'SIGKILL');
        await exited;
      }
      // Children that outlived the leader (they ignore SIGTERM or were mid-start) go too;
      // wait until the kernel has removed them so callers can check nothing is left.
      killGroup(child, 'SIGKILL');
      for (let i = 0; i < 100 && !groupGone(child); i++) await new Promise((r) => setTimeout(r, 50));
      live.delete(child);
    },
  };
}

/** Polls `url` until it answers 2xx; fails early if the process exits, with its output. */
export async function waitForHttp(proc: ServerProcess, url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // not up yet
    }
    if (proc.child.exitCode !== null) throw new Error(`process exited with ${proc.child.exitCode} before ${url} answered:\n${proc.log()}`);
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True when no process in the group is left (for tests that check they leave nothing behind). */
export function groupGone(child: ChildProcess): boolean {
  if (child.pid === undefined) return true;
  try {
    process.kill(-child.pid, 0);
    return false;
  } catch {
    return true;
  }
}
