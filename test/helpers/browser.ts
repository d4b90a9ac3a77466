// What both browser suites need: the real Node server on a data folder, and Debian's Chromium.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startProcess, waitForHttp } from './process';

export interface RunningServer {
  base: string;
  /** Everything the server printed so far (shown when it fails to start). */
  log(): string;
  stop(): Promise<void>;
}

/** `npm start` on embedded PGlite under `dataDir`, seeded; resolves once /healthz answers. */
export async function startNodeServer(dataDir: string, timeoutMs = 150_000): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess(path.resolve('node_modules/.bin/tsx'), ['worker/node.ts'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED: '1', DATABASE_URL: '', PUBLIC_BASE_URL: '' });
  try {
    await waitForHttp(server, `${base}/healthz`, timeoutMs);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { base, log: server.log, stop: () => server.stop() };
}

/** `extraArgs`: e.g. a fake camera (`--use-file-for-fake-video-capture=…`) for the scanner test. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

/** A demo account of a server started by startNodeServer (it writes them to demo-logins.json). */
export async function demoLogin(dataDir: string, role: string): Promise<DemoLogin> {
  const logins = JSON.parse(await readFile(path.join(dataDir, 'demo-logins.json'), 'utf8')) as DemoLogin[];
  const login = logins.find((l) => l.role === role);
  if (!login) throw new Error(`no demo login for the role ${role}`);
  return login;
}

/** Signs in through the admin's form, as a person would; resolves on the first page after it. */
export async function signInAdmin(page: Page, login: DemoLogin): Promise<void> {
  await page.goto('/admin/login');
  await page.fill('#f-email', login.email);
  await page.fill('#f-password', login.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/admin/login')), page.click('button[type=submit]')]);
}
