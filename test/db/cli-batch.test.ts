import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../worker/codes/keyring';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { verifyPackageCode } from '../../worker/codes/verify';
import { cliWorkspace } from '../helpers/cli';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// `npm run ocop -- batch …` as an operator runs it, on PGlite under a data folder or, on the
// Postgres pass, on a fresh database of its own.
const cli = cliWorkspace('ocop-cli-');
const { dir, ocop } = cli;

beforeAll(() => cli.setUp(), 180_000);
afterAll(() => cli.tearDown());

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
    const local = cli.ocopWith({ PUBLIC_BASE_URL: '' }, 'batch', 'export', '1', '--format', 'csv', '--out', out);
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('PUBLIC_BASE_URL');
    expect(local.stderr).toContain('--allow-local');
    const allowed = cli.ocopWith({ PUBLIC_BASE_URL: '' }, 'batch', 'export', '1', '--format', 'csv', '--out', out, '--allow-local');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('HTTP://127.0.0.1:8787/V/');
  }, 120_000);

  it('refuses to issue with a key file the database does not know under that kid', () => {
    // Another install's key file: its ocop-1 is not the ocop-1 the database and the servers hold.
    const stranger = mkdtempSync(path.join(tmpdir(), 'ocop-cli-other-'));
    try {
      const res = cli.ocopWith({ DATA_DIR: stranger }, 'batch', 'issue', '--certificate', N.haMy5, '--lot', 'X9', '--production-date', '2026-01-05', '--quantity', '5');
      if (cli.databaseUrl()) {
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
    const res = cli.ocopWith({ PUBLIC_BASE_URL: 'https://ocop.binhphuoc.gov.vn/with/a/path' }, 'batch', 'export', '1');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('invalid configuration: PUBLIC_BASE_URL');
  }, 60_000);
});
