import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../worker/codes/keyring';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { verifyPackageCode } from '../../worker/codes/verify';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// `npm run ocop -- batch …` as an operator runs it, on PGlite under a data folder or, on the
// Postgres pass, on a fresh database of its own.
const dir = mkdtempSync(path.join(tmpdir(), 'ocop-cli-'));
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

describe('ocop batch', () => {
  it('issues a batch and exports its codes as CSV that verify with the key file', async () => {
    const issued = ocop('batch', 'issue', '--certificate', N.haMy5.toLowerCase(), '--lot', 'CLI-T1', '--production-date', '2026-01-05', '--quantity', '250');
    expect(issued.status, issued.stderr).toBe(0);
    const id = /id (\d+)/.exec(issued.stdout)![1]!;
    const out = path.join(dir, 'codes.csv');
    const exported = ocop('batch', 'export', id, '--format', 'csv', '--out', out);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('100%');
    const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(251);
    expect(lines[1]).toMatch(/^1,CLI-T1,HTTPS:\/\/OCOP\.BINHPHUOC\.GOV\.VN\/V\/[A-Z2-7]{119}$/);
    const ring = await KeyRing.fromJwkSet(await loadOrCreateKeyFile(dir));
    const v = await verifyPackageCode(ring, lines[250]!.split(',')[2]!);
    expect(v.ok && v.ref.batchId === Number(id) && v.ref.serial === 250).toBe(true);
  }, 120_000);

  it('refuses bad arguments, unknown certificates and revoked ones with a message and a non-zero exit', () => {
    const badQty = ocop('batch', 'issue', '--certificate', N.haMy5, '--lot', 'X1', '--production-date', '2026-01-05', '--quantity', '0');
    expect(badQty.status).toBe(2);
    expect(badQty.stderr).toContain('--quantity');
    const unknown = ocop('batch', 'issue', '--certificate', 'KHONG-CO', '--lot', 'X1', '--production-date', '2026-01-05', '--quantity', '5');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Không tìm thấy giấy chứng nhận');
    const revoked = ocop('batch', 'issue', '--certificate', N.matOng, '--lot', 'X1', '--production-date', '2026-01-05', '--quantity', '5');
    expect(revoked.status).toBe(1);
    expect(revoked.stderr).toContain('đã bị thu hồi');
    const badFormat = ocop('batch', 'export', '1', '--format', 'docx');
    expect(badFormat.status).toBe(2);
    const unknownFlag = ocop('batch', 'export', '1', '--fromat', 'csv');
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toContain("unknown option: Unknown option '--fromat'");
    const missingValue = ocop('batch', 'issue', '--certificate');
    expect(missingValue.status).toBe(2);
    expect(missingValue.stderr).toContain('--certificate');
    const unknownBatch = ocop('batch', 'export', '999999', '--format', 'csv');
    expect(unknownBatch.status).toBe(1);
    expect(unknownBatch.stderr).toContain('unknown batch: 999999');
    const badGrid = ocop('batch', 'export', '1', '--format', 'pdf', '--columns', 'x');
    expect(badGrid.status).toBe(1);
    expect(badGrid.stderr).toContain('columns must be 1 to 20');
  }, 120_000);

  it('refuses to export labels that would open a local or plain-http address, unless --allow-local', () => {
    const out = path.join(dir, 'local.csv');
    const local = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', 'batch', 'export', '1', '--format', 'csv', '--out', out], {
      env: { ...process.env, ...env, PUBLIC_BASE_URL: '' },
      encoding: 'utf8',
    });
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('PUBLIC_BASE_URL');
    expect(local.stderr).toContain('--allow-local');
    const allowed = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', 'batch', 'export', '1', '--format', 'csv', '--out', out, '--allow-local'], {
      env: { ...process.env, ...env, PUBLIC_BASE_URL: '' },
      encoding: 'utf8',
    });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('HTTP://127.0.0.1:8787/V/');
  }, 120_000);

  it('refuses to issue with a key file the database does not know under that kid', () => {
    // Another install's key file: its ocop-1 is not the ocop-1 the database and the servers hold.
    const stranger = mkdtempSync(path.join(tmpdir(), 'ocop-cli-other-'));
    try {
      const res = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', 'batch', 'issue', '--certificate', N.haMy5, '--lot', 'X9', '--production-date', '2026-01-05', '--quantity', '5'], {
        env: { ...process.env, ...env, DATA_DIR: stranger, DATABASE_URL: env.DATABASE_URL || '' },
        encoding: 'utf8',
      });
      if (env.DATABASE_URL) {
        expect(res.status).toBe(1);
        expect(res.stderr).toContain('ocop-1');
        expect(res.stderr).toContain('does not know');
      } else {
        // On PGlite the database lives in the data folder: another folder is another (empty) database.
        expect(res.status).toBe(1);
        expect(res.stderr).toContain('Không tìm thấy giấy chứng nhận');
      }
    } finally {
      rmSync(stranger, { recursive: true, force: true });
    }
  }, 120_000);

  it('reads its settings through the server parser: a bad variable is named and refused', () => {
    const res = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/ocop.ts', 'batch', 'export', '1'], {
      env: { ...process.env, ...env, PUBLIC_BASE_URL: 'https://ocop.binhphuoc.gov.vn/with/a/path' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('invalid configuration: PUBLIC_BASE_URL');
  }, 60_000);
});
