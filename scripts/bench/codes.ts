/**
 * Batch issuance benchmark: signing, QR encoding, CSV and label-PDF streams, against the
 * budgets in DESIGN.md (100,000 codes as CSV in 15 s and < 300 MB; 10,000 labels as PDF in 20 s).
 *
 * Run: npx tsx scripts/bench/codes.ts   (npm run bench:codes)
 * Keys are generated in memory for the run; nothing is read from the repository.
 */
import { createWriteStream } from 'node:fs';
import QRCode from 'qrcode';
import { packageUrl } from '../../worker/codes/format';
import { KeyRing, generateSigningKey } from '../../worker/codes/keyring';
import { signPackageCode, signPackageCodes } from '../../worker/codes/sign';
import { csvStream, type CsvRow } from '../../worker/qr/csv';
import { labelSheetPdf } from '../../worker/qr/labels-pdf';
import { qrMatrix } from '../../worker/qr/matrix';

/** The longest base URL the configuration allows (32 characters): the worst case for QR size. */
const BASE_URL = 'https://ocop-binhphuoc.example.v';
const BATCH_ID = 4242;
const LOT = 'HD-2025-07';

interface Row {
  name: string;
  count: number;
  seconds: number;
  peakMb: number;
  budget?: { seconds?: number; mb?: number };
}

const rows: Row[] = [];

/** Peak RSS over a run, sampled every 50 ms and once at each end (sync loops block the timer). */
async function measure(name: string, count: number, budget: Row['budget'], fn: () => Promise<void>): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const row: Row = { name, count, seconds, peakMb: peak / 2 ** 20 };
  if (budget) row.budget = budget;
  rows.push(row);
  console.error(`  ${name}: ${seconds.toFixed(2)} s`);
}

/** Stream bytes to /dev/null through a real file write, honouring backpressure. */
async function drainToDevNull(stream: ReadableStream<Uint8Array>): Promise<number> {
  const out = createWriteStream('/dev/null');
  const reader = stream.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (!out.write(value)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return bytes;
}

async function* csvRows(ring: KeyRing, count: number): AsyncGenerator<CsvRow> {
  for await (const { serial, code } of signPackageCodes(ring, BATCH_ID, 1, count)) {
    yield { serial, lot: LOT, url: packageUrl(BASE_URL, code) };
  }
}

async function* labelRows(ring: KeyRing, count: number): AsyncGenerator<{ url: string; serial: number }> {
  for await (const { serial, code } of signPackageCodes(ring, BATCH_ID, 1, count)) {
    yield { serial, url: packageUrl(BASE_URL, code) };
  }
}

function verdict(r: Row): string {
  if (!r.budget) return '—';
  const over = (r.budget.seconds !== undefined && r.seconds > r.budget.seconds) || (r.budget.mb !== undefined && r.peakMb >= r.budget.mb);
  return over ? 'OVER' : 'OK';
}

function budgetText(r: Row): string {
  if (!r.budget) return '';
  const parts: string[] = [];
  if (r.budget.seconds !== undefined) parts.push(`≤ ${r.budget.seconds} s`);
  if (r.budget.mb !== undefined) parts.push(`< ${r.budget.mb} MB`);
  return parts.join(', ');
}

async function main(): Promise<void> {
  const ring = await KeyRing.fromJwkSet({ keys: [await generateSigningKey(1)] });
  const privateKey = ring.signer().privateKey!;
  console.error(`node ${process.version}, base URL ${BASE_URL} (${BASE_URL.length} chars)`);

  const message = new Uint8Array(64).fill(7);
  await measure('Ed25519 sign, raw WebCrypto (sequential)', 20_000, undefined, async () => {
    for (let i = 0; i < 20_000; i++) await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, message);
  });

  await measure('signPackageCode (sequential)', 20_000, undefined, async () => {
    for (let i = 1; i <= 20_000; i++) await signPackageCode(ring, BATCH_ID, i);
  });

  const urls: string[] = [];
  for await (const { code } of signPackageCodes(ring, BATCH_ID, 1, 10_000)) urls.push(packageUrl(BASE_URL, code));
  let versions = 0;
  await measure('QR matrix, qrMatrix (ECL M)', 10_000, undefined, async () => {
    for (const url of urls) versions = Math.max(versions, qrMatrix(url).version);
  });
  await measure('QR matrix, QRCode.create auto (reference)', 2_000, undefined, async () => {
    for (const url of urls.slice(0, 2_000)) QRCode.create(url, { errorCorrectionLevel: 'M' });
  });

  let csvBytes = 0;
  await measure('100,000 codes → CSV stream → /dev/null', 100_000, { seconds: 15, mb: 300 }, async () => {
    csvBytes = await drainToDevNull(csvStream(csvRows(ring, 100_000), { total: 100_000 }));
  });

  let pdfBytes = 0;
  await measure('10,000 labels → PDF stream → /dev/null', 10_000, { seconds: 20 }, async () => {
    pdfBytes = await drainToDevNull(
      labelSheetPdf({ labels: labelRows(ring, 10_000), total: 10_000, productName: 'Hạt điều rang muối', stars: 4, lot: LOT }),
    );
  });

  const header = ['benchmark', 'count', 'elapsed s', 'per s', 'peak RSS MB', 'budget', 'verdict'];
  const table = rows.map((r) => [
    r.name,
    r.count.toLocaleString('en-US'),
    r.seconds.toFixed(2),
    Math.round(r.count / r.seconds).toLocaleString('en-US'),
    r.peakMb.toFixed(0),
    budgetText(r),
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  console.log(`\nQR version for a ${BASE_URL.length}-char base URL: ${versions} · CSV ${(csvBytes / 2 ** 20).toFixed(1)} MiB · PDF ${(pdfBytes / 2 ** 20).toFixed(1)} MiB (${Math.ceil(10_000 / 21)} pages)`);
  if (rows.some((r) => verdict(r) === 'OVER')) process.exitCode = 1;
}

await main();
