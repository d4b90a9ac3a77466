import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from '../../worker/codes/keyfile-node';
import { KeyRing } from '../../worker/codes/keyring';
import { verifyPackageCode } from '../../worker/codes/verify';
import { presetLayout } from '../../worker/qr/label-layouts';
import { cliWorkspace } from '../helpers/cli';
import { scanLabels } from '../unit/qr/label-scan';
import { run, tool } from '../unit/qr/tools';

// `npm run ocop -- batch export … --format pdf` with the layout options of the print form.
const cli = cliWorkspace('ocop-cli-labels-');
const { dir, ocop } = cli;

beforeAll(() => cli.setUp(), 180_000);
afterAll(() => cli.tearDown());

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
