// The offline scanner app (/kiem-tra-nhanh): keeps the dataset in IndexedDB, refreshes it
// when online, reads QR codes from the camera, and answers each one with the server's own
// verdict code (../offline-check.ts). Every text is set with textContent, never as HTML.
import { VERDICT_LABELS } from '../../public/labels';
import { ageText, dataAge } from '../data-age';
import { countByVerdict, intakeCsv, VERDICT_ORDER, WARNING_LABELS, type IntakeRow } from '../intake';
import { applyDelta, type FeedPage } from '../offline-delta';
import { checkOffline, loadTables, type OfflineDataset, type OfflineResult, type OfflineTables, type OfflineVerdict } from '../offline-check';
import { SCANNER_ASSETS, SCANNER_PATH, SCANNER_SW } from '../page';
import { startCamera } from './camera';
import { ensureEd25519 } from './ed25519-fallback';
import { getRecord, putRecord } from './store';

/** The same code seen again within this time is the same package still in front of the camera. */
const REPEAT_MS = 4000;

const params = new URLSearchParams(location.search);
let tables: OfflineTables | null = null;
let rows: IntakeRow[] = [];
const lastSeen = new Map<string, number>();
let stopCamera: (() => void) | null = null;
let lastFullForNewer = 0;

const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function node(tag: string, text?: string, cls?: string, lang?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  if (lang) e.lang = lang;
  return e;
}

/** Vietnamese, then the English in a smaller span, as on every page of the service. */
function bilingual(tag: string, vi: string, en: string, cls?: string): HTMLElement {
  const e = node(tag, `${vi} `, cls);
  e.append(node('span', en, 'en', 'en'));
  return e;
}

function verdictLabel(v: OfflineVerdict): { vi: string; en: string } {
  return v === 'unconfirmed' ? { vi: 'Chưa xác nhận được', en: 'Cannot confirm' } : VERDICT_LABELS[v];
}

function looksLikeDataset(x: unknown): x is OfflineDataset {
  const d = x as Partial<OfflineDataset> | null;
  return !!d && typeof d.generated_at === 'string' && typeof d.max_age_hours === 'number' && typeof d.feed_cursor === 'string' && Array.isArray(d.keys) && Array.isArray(d.certificates) && Array.isArray(d.batches);
}

function showAge(): void {
  const target = el('data-age');
  const stale = el('stale');
  if (!tables) {
    target.replaceChildren(bilingual('span', 'Chưa có dữ liệu trên máy: hãy kết nối mạng một lần.', 'No data on this phone yet: go online once.'));
    stale.hidden = true;
    return;
  }
  const age = dataAge(tables.generatedAt, new Date(), tables.maxAgeHours);
  const words = ageText(age.ageMs);
  target.replaceChildren(bilingual('span', `Dữ liệu: ${words.vi}${navigator.onLine ? '' : ' · đang ngoại tuyến'}.`, `Data: ${words.en}${navigator.onLine ? '' : ' · offline'}.`));
  target.dataset.trusted = String(age.trusted);
  stale.hidden = age.trusted;
  if (!age.trusted) {
    const why =
      age.why === 'clock_behind'
        ? { vi: 'Đồng hồ của máy chậm hơn thời điểm dữ liệu được tạo: không thể tính tuổi dữ liệu.', en: 'This phone’s clock is behind the data’s time: the data age cannot be known.' }
        : { vi: `Dữ liệu đã cũ hơn ${tables.maxAgeHours} giờ: ứng dụng không khẳng định hàng chính hãng nữa. Hãy kết nối mạng và bấm “Cập nhật dữ liệu”.`, en: `The data is older than ${tables.maxAgeHours} hours: the app no longer confirms genuine goods. Go online and press “Update data”.` };
    stale.replaceChildren(bilingual('span', why.vi, why.en));
  }
}

async function useDataset(data: OfflineDataset): Promise<void> {
  tables = await loadTables(data);
  showAge();
}

/** A full download at least this often while online; in between, the feed and the JWKS. */
const FULL_EVERY_MS = 3_600_000;

async function fullRefresh(): Promise<boolean> {
  const res = await fetch('/api/v1/offline-dataset', { cache: 'no-store' });
  if (!res.ok) return false;
  const data: unknown = await res.json();
  if (!looksLikeDataset(data)) return false;
  await putRecord('dataset', data);
  await putRecord('fullAt', new Date().toISOString());
  await useDataset(data);
  document.documentElement.dataset.refresh = 'full';
  return true;
}

/** The revocations after the copy's cursor and the current JWKS: a few hundred bytes. */
async function deltaRefresh(data: OfflineDataset): Promise<boolean> {
  const pages: FeedPage[] = [];
  const dates: number[] = [];
  let cursor = data.feed_cursor;
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`/api/v1/revocations?since=${encodeURIComponent(cursor)}&limit=1000`, { cache: 'no-store' });
    if (!res.ok) return false;
    const page = (await res.json()) as FeedPage;
    if (!Array.isArray(page.events) || typeof page.next_cursor !== 'string') return false;
    pages.push(page);
    dates.push(Date.parse(res.headers.get('date') ?? ''));
    cursor = page.next_cursor;
    if (!page.has_more) break;
    if (i === 49) return false;
  }
  const jwks = await fetch('/.well-known/jwks.json', { cache: 'no-store' });
  if (!jwks.ok) return false;
  const kids = ((await jwks.json()) as { keys?: { kid?: unknown }[] }).keys?.map((k) => String(k.kid)) ?? [];
  dates.push(Date.parse(jwks.headers.get('date') ?? ''));
  // The server's clock, not the phone's: the oldest of the answers' Date headers.
  const checkedAt = Math.min(...dates);
  if (!Number.isFinite(checkedAt)) return false;
  const next = applyDelta(data, pages, kids, new Date(checkedAt).toISOString());
  await putRecord('dataset', next);
  await useDataset(next);
  document.documentElement.dataset.refresh = 'delta';
  return true;
}

async function refresh(full = false): Promise<boolean> {
  try {
    const stored = await getRecord('dataset');
    const fullAt = Date.parse((await getRecord('fullAt')) ?? '');
    const ok =
      !full && stored && looksLikeDataset(stored) && Date.now() - fullAt < FULL_EVERY_MS && (await deltaRefresh(stored).catch(() => false))
        ? true
        : await fullRefresh();
    if (ok) await recheckRows();
    return ok;
  } catch {
    return false;
  }
}

function showResult(r: OfflineResult, ms: number, times: number): void {
  const box = el('result');
  const tone = r.verdict === 'genuine' ? (r.warnings.length > 0 ? 'warn' : 'ok') : r.verdict === 'expired' || r.verdict === 'unconfirmed' ? 'warn' : 'bad';
  box.className = `result ${tone}`;
  box.dataset.verdict = r.verdict;
  const mark = tone === 'ok' ? '✓' : tone === 'warn' ? '!' : '✗';
  const heading = bilingual('h2', `${mark} ${r.words.vi.verdict}`, r.words.en.verdict);
  heading.id = 'verdict';
  const detail = node('div');
  detail.id = 'detail';
  if (r.warnings.length > 0) {
    const list = node('ul', undefined, 'warnings');
    for (const w of r.warnings) list.append(bilingual('li', WARNING_LABELS[w].vi, WARNING_LABELS[w].en));
    detail.append(list);
  }
  if (times > 1) detail.append(bilingual('p', `Mã này đã được quét ${times} lần trong danh sách: nhãn có thể bị sao chép.`, `Scanned ${times} times in this list: the label may be a copy.`, 'note'));
  for (const key of ['reason', 'validity', 'renewal'] as const) {
    const vi = r.words.vi[key];
    const en = r.words.en[key];
    if (vi && en) detail.append(bilingual('p', vi, en));
  }
  if (r.certificate) {
    detail.append(node('p', `${r.certificate.product} · ${r.certificate.producer}`, 'product'));
    detail.append(node('p', `GCN ${r.certificate.number} · ${'★'.repeat(r.certificate.stars)} (${r.certificate.stars} sao)`, 'small'));
  }
  if (r.lot) detail.append(node('p', `Lô ${r.lot.lotCode} · gói số ${r.lot.serial}`, 'small'));
  detail.append(node('p', `Trả lời trong ${Math.max(1, Math.round(ms))} ms, từ dữ liệu trên máy (${ageText(r.age.ageMs).vi}).`, 'small timing'));
  box.replaceChildren(heading, detail);
}

function showRows(): void {
  const counts = countByVerdict(rows);
  const parts = VERDICT_ORDER.filter((v) => counts[v] > 0).map((v) => `${verdictLabel(v).vi}: ${counts[v]}`);
  el('counts').textContent = rows.length === 0 ? 'Chưa quét gói nào.' : `${rows.length} gói · ${parts.join(' · ')}`;
  const list = el('rows');
  list.replaceChildren(
    ...rows.map((row) => {
      const r = row.result;
      const li = node('li', undefined, `row ${r.verdict}`);
      li.dataset.verdict = r.verdict;
      li.dataset.code = r.input;
      li.append(node('strong', verdictLabel(r.verdict).vi));
      const what = r.certificate ? `${r.certificate.product} · lô ${r.lot?.lotCode ?? ''} · gói ${r.lot?.serial ?? ''}` : (r.words.vi.reason ?? '');
      li.append(node('span', ` ${what}${row.times > 1 ? ` · ×${row.times}` : ''}`));
      if (r.warnings.length > 0) li.append(node('span', ` (${r.warnings.map((w) => WARNING_LABELS[w].vi).join('; ')})`, 'small'));
      return li;
    }),
  );
}

async function saveRows(): Promise<void> {
  await putRecord('intake', rows.map((r) => ({ at: r.at.toISOString(), input: r.result.input, times: r.times })));
}

/** New data changes the answers: the list is checked again against it. */
async function recheckRows(): Promise<void> {
  if (!tables) return;
  const now = new Date();
  for (const row of rows) row.result = await checkOffline(tables, row.result.input, now);
  showRows();
}

async function onText(raw: string): Promise<void> {
  const text = raw.trim();
  if (!text) return;
  const key = text.toUpperCase();
  const now = Date.now();
  const seen = lastSeen.get(key);
  lastSeen.set(key, now);
  if (seen !== undefined && now - seen < REPEAT_MS) return;
  if (!tables) {
    showAge();
    return;
  }
  const started = performance.now();
  const result = await checkOffline(tables, text, new Date(now));
  const ms = performance.now() - started;
  const existing = rows.findIndex((r) => r.result.input.toUpperCase() === key);
  let times = 1;
  if (existing >= 0) {
    times = rows[existing]!.times + 1;
    rows.splice(existing, 1);
  }
  rows.unshift({ at: new Date(now), result, times });
  showResult(result, ms, times);
  showRows();
  await saveRows();
  // A validly signed code of a batch the copy lacks: issued since; fetch it while online.
  if (result.verdict === 'unconfirmed' && result.age.trusted && navigator.onLine && now - lastFullForNewer > 60_000) {
    lastFullForNewer = now;
    if (await refresh(true)) showResult(rows[0]!.result, ms, times);
  }
}

function downloadCsv(): void {
  const blob = new Blob([intakeCsv([...rows].reverse())], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  a.href = URL.createObjectURL(blob);
  a.download = `kiem-tra-nhanh-${stamp}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function toggleCamera(): Promise<void> {
  const video = el<HTMLVideoElement>('video');
  const button = el('camera');
  if (stopCamera) {
    stopCamera();
    stopCamera = null;
    video.hidden = true;
    button.replaceChildren(...bilingual('span', 'Bật camera', 'Start camera').childNodes);
    return;
  }
  try {
    video.hidden = false;
    const { reader, stop } = await startCamera({ video, wasmUrl: `${SCANNER_ASSETS}zxing_reader.wasm`, onText: (t) => void onText(t), forceWasm: params.get('reader') === 'wasm' });
    stopCamera = stop;
    el('reader').textContent = reader === 'barcode-detector' ? 'Đọc mã bằng BarcodeDetector của trình duyệt.' : 'Đọc mã bằng ZXing WebAssembly.';
    el('reader').dataset.reader = reader;
    button.replaceChildren(...bilingual('span', 'Tắt camera', 'Stop camera').childNodes);
  } catch {
    video.hidden = true;
    el('reader').replaceChildren(bilingual('span', 'Không mở được camera: hãy cho phép trang dùng camera, hoặc dán mã vào ô bên dưới.', 'The camera could not start: allow camera access, or paste the code below.'));
  }
}

async function main(): Promise<void> {
  const crypto = await ensureEd25519(params.get('ed25519') === 'noble');
  document.documentElement.dataset.ed25519 = crypto;
  const stored = await getRecord('dataset');
  if (stored && looksLikeDataset(stored)) await useDataset(stored);
  const saved = (await getRecord('intake')) ?? [];
  if (tables) {
    for (const s of saved) rows.push({ at: new Date(s.at), result: await checkOffline(tables, s.input, new Date()), times: s.times });
  }
  showRows();
  showAge();
  el('camera').addEventListener('click', () => void toggleCamera());
  el('refresh').addEventListener('click', () => void refresh(true).then(showAge));
  el('csv').addEventListener('click', downloadCsv);
  el('clear').addEventListener('click', () => {
    rows = [];
    lastSeen.clear();
    showRows();
    void saveRows();
  });
  el('manual').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = el<HTMLInputElement>('code');
    lastSeen.delete(input.value.trim().toUpperCase());
    void onText(input.value);
    input.value = '';
  });
  window.addEventListener('online', () => void refresh());
  window.addEventListener('offline', showAge);
  setInterval(showAge, 30_000);
  if ('serviceWorker' in navigator) void navigator.serviceWorker.register(SCANNER_SW, { scope: SCANNER_PATH }).catch(() => undefined);
  if (navigator.onLine) await refresh();
  document.documentElement.dataset.ready = 'true';
}

void main();
