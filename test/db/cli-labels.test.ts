import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { verifyPackageCode } from '../../worker/codes/verify';
import { presetLayout } from '../../worker/qr/label-layouts';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { scanLabels } from '../unit/qr/label-scan';
import { run, tool } from '../unit/qr/tools';

// `npm run ocop -- batch export … --format pdf` with the layout options of the print form.
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-cli-labels-'));
let database: TestDatabase | null = null;
let env: Record<string, string>;

function ocop(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  let databaseUrl = '';
  if (process.env.TEST_DATABASE_URL) {
    database = await openTestDatabase();
    databaseUrl = database.url!;
  }
  env = { DATA_DIR: dir, DATABASE_URL: databaseUrl, PUBLIC_BASE_URL: 'https://ocop.binhphuoc.gov.vn' };
  expect(ocop('seed').status).toBe(0);
}, 180_000);
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ocop batch export --format pdf', () => {
  it('prints a thermal-roll preset one label per page, its code genuine', async () => {
    const out = path.join(dir, 'roll.pdf');
    const res = ocop('batch', 'export', '1', '--format', 'pdf', '--preset', 'roll-40x30', '--out', out);
    expect(res.status, res.stderr).toBe(0);
    const info = run(tool('pdfinfo'), [out]);
    expect(info).toMatch(/^Page size:\s+113\.3\d* x 85\.0\d* pts/m);
    const [first] = scanLabels(out, presetLayout('roll-40x30'), 1, 203);
    expect(first).toHaveLength(1);
    const v = await verifyPackageCode(await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dir)), first![0]!);
    expect(v.ok && v.ref.batchId === 1 && v.ref.serial === 1).toBe(true);
  }, 120_000);

  it('refuses a layout under the QR minimum or an unknown preset, naming the flag’s problem in Vietnamese first', () => {
    const small = ocop('batch', 'export', '1', '--format', 'pdf', '--page', 'roll', '--label-width', '30', '--label-height', '30', '--out', path.join(dir, 'x.pdf'));
    expect(small.status).toBe(1);
    expect(small.stderr).toContain('Nhãn 30 × 30 mm quá nhỏ cho mã QR');
    expect(small.stderr).toContain('Pick a label of at least 36.9 × 21.1 mm');
    const unknown = ocop('batch', 'export', '1', '--format', 'pdf', '--preset', 'a4-99');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Mẫu nhãn phải là một trong: a4-21, a4-24, a4-40, a4-65, roll-50x30, roll-40x30, custom');
  }, 120_000);
});
