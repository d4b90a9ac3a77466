import { create } from 'qrcode/lib/core/qrcode';

export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

export interface QrMatrix {
  version: number;
  /** Modules per side (version * 4 + 17), without quiet zone. */
  size: number;
  /** size * size, row-major, 1 = dark. */
  modules: Uint8Array;
  /** Data mask pattern 0-7 chosen by the penalty rules. */
  mask: number;
  /** 'alphanumeric' when the whole text went into one alphanumeric segment. */
  mode: 'alphanumeric' | 'mixed';
}

// QR alphanumeric character set (ISO/IEC 18004 table 5): 0-9 A-Z space $ % * + - . / :
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

export function isQrAlphanumeric(text: string): boolean {
  return ALPHANUMERIC.test(text);
}

export interface QrMatrixOptions {
  ecl?: ErrorCorrectionLevel;
  /**
   * Use at least this version. Label sheets pass 6 so that every symbol on a sheet has the same
   * module count, hence the same printed size and quiet zone.
   */
  minVersion?: number;
}

const ECL_BITS: Record<ErrorCorrectionLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

/**
 * Encode `text` as a QR symbol, ECL M by default.
 *
 * Text made only of QR alphanumeric characters (our uppercase package URLs) is forced into a
 * single alphanumeric segment: `qrcode`'s optimal segmentation (a graph search) costs ~4x the
 * rest of the encoding and for base32 text gains at most a few bits.
 *
 * Mask choice: `qrcode` picks the mask by the ISO 18004 penalty rules but does it through
 * per-module method calls, eight times over, which is most of its time. We build the symbol once
 * with mask 0, strip that mask, and score all 8 masks in one pass over a bit-sliced matrix (one
 * byte per module, bit p = the module under mask p) with the very same penalty rules as `qrcode`
 * (N1..N4, format information included). The symbol is bit-identical to `QRCode.create(text)`
 * with automatic masking (tested), several times faster.
 */
export function qrMatrix(text: string, opts: QrMatrixOptions = {}): QrMatrix {
  if (text.length === 0) throw new RangeError('Không có dữ liệu để mã hoá / Nothing to encode');
  const ecl = opts.ecl ?? 'M';
  const alnum = isQrAlphanumeric(text);
  const input = alnum ? [{ mode: 'alphanumeric' as const, data: text }] : text;
  let qr: ReturnType<typeof create> | undefined;
  if (opts.minVersion !== undefined && opts.minVersion > 1) {
    if (!Number.isInteger(opts.minVersion) || opts.minVersion > 40) throw new RangeError('minVersion must be 1..40');
    try {
      qr = create(input, { errorCorrectionLevel: ecl, maskPattern: 0, version: opts.minVersion });
    } catch {
      // Too much data for minVersion: the smallest version that holds it is larger anyway.
    }
  }
  qr ??= create(input, { errorCorrectionLevel: ecl, maskPattern: 0 });
  const size = qr.modules.size;
  const layout = layoutFor(qr.version, size, qr.modules.reservedBit);
  const masked0 = qr.modules.data;
  const n = size * size;

  const sliced = new Uint8Array(n);
  const flips = layout.maskBytes;
  for (let i = 0; i < n; i++) {
    const f = flips[i]!;
    // Undo mask 0 (bit 0 of the flip byte), spread the raw bit to all 8 lanes, apply all masks.
    sliced[i] = (-(masked0[i]! ^ (f & 1)) & 0xff) ^ f;
  }
  const fmt = formatLanes(ECL_BITS[ecl]);
  for (let k = 0; k < 15; k++) {
    sliced[layout.formatA[k]!] = fmt[k]!;
    sliced[layout.formatB[k]!] = fmt[k]!;
  }
  const penalties = maskPenalties(sliced, size);
  let best = 0;
  for (let p = 1; p < 8; p++) if (penalties[p]! < penalties[best]!) best = p;

  const modules = new Uint8Array(n);
  for (let i = 0; i < n; i++) modules[i] = (sliced[i]! >> best) & 1;
  return { version: qr.version, size, modules, mask: best, mode: alnum ? 'alphanumeric' : 'mixed' };
}

interface Layout {
  /** Per module: bit p set when mask p flips it (never for function patterns). */
  maskBytes: Uint8Array;
  /** Module index of each of the 15 format bits, both copies. */
  formatA: Int32Array;
  formatB: Int32Array;
}

// Reserved modules depend only on the version, so the mask table is built once per version.
const layouts = new Map<number, Layout>();

function layoutFor(version: number, size: number, reserved: Uint8Array): Layout {
  const cached = layouts.get(version);
  if (cached) return cached;
  const maskBytes = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      if (reserved[i]) continue;
      let f = 0;
      for (let p = 0; p < 8; p++) if (maskBit(p, r, c)) f |= 1 << p;
      maskBytes[i] = f;
    }
  }
  // Placement as in ISO 18004 figure 25 (and `qrcode`'s setupFormatInfo); bit 0 is the LSB.
  const formatA = new Int32Array(15);
  const formatB = new Int32Array(15);
  for (let i = 0; i < 15; i++) {
    const vr = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    formatA[i] = vr * size + 8;
    const hc = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    formatB[i] = 8 * size + hc;
  }
  const layout = { maskBytes, formatA, formatB };
  layouts.set(version, layout);
  return layout;
}

function maskBit(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0: return (i + j) % 2 === 0;
    case 1: return i % 2 === 0;
    case 2: return j % 3 === 0;
    case 3: return (i + j) % 3 === 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** 15-bit format information: 2 ECL bits, 3 mask bits, BCH(15,5), XOR 101010000010010. */
export function formatBits(eclBits: number, mask: number): number {
  const data = (eclBits << 3) | mask;
  let d = data << 10;
  const G15 = 0b10100110111;
  for (let bit = 14; bit >= 10; bit--) if ((d >>> bit) & 1) d ^= G15 << (bit - 10);
  return ((data << 10) | d) ^ 0b101010000010010;
}

const formatLaneCache = new Map<number, Uint8Array>();

/** Format bit k of each mask, bit-sliced: bit p of entry k = bit k of formatBits(ecl, p). */
function formatLanes(eclBits: number): Uint8Array {
  let lanes = formatLaneCache.get(eclBits);
  if (!lanes) {
    lanes = new Uint8Array(15);
    for (let p = 0; p < 8; p++) {
      const bits = formatBits(eclBits, p);
      for (let k = 0; k < 15; k++) lanes[k]! |= ((bits >> k) & 1) << p;
    }
    formatLaneCache.set(eclBits, lanes);
  }
  return lanes;
}

// Each feature is recorded as a histogram of its 8-lane byte; counting per lane happens once
// at the end. Scratch space is reused: the encoder is synchronous.
const histRun5 = new Int32Array(256);
const histRun6 = new Int32Array(256);
const histFinder = new Int32Array(256);
const histBlock = new Int32Array(256);
const histDark = new Int32Array(256);

/**
 * Penalty of each of the 8 masks with `qrcode`'s weights and counting rules, which follow
 * ISO 18004 section 7.8.3: N1 = 3 + (L - 5) per same-colour run of L >= 5 in a row or column,
 * N2 = 3 per 2x2 same-colour block, N3 = 40 per 1:1:3:1:1 pattern with 4 light modules on one
 * side (windows inside the symbol only), N4 = 10 * |ceil(dark% / 5) - 10|.
 */
function maskPenalties(m: Uint8Array, size: number): number[] {
  histRun5.fill(0);
  histRun6.fill(0);
  histFinder.fill(0);
  histBlock.fill(0);
  histDark.fill(0);
  for (let line = 0; line < size; line++) {
    scanLine(m, line * size, 1, size);
    scanLine(m, line, size, size);
  }
  for (let r = 0; r < size; r++) {
    const row = r * size;
    for (let c = 0; c < size; c++) histDark[m[row + c]!]!++;
    if (r === size - 1) break;
    for (let c = 0; c < size - 1; c++) {
      const a = m[row + c]!;
      const same = ~((a ^ m[row + c + 1]!) | (a ^ m[row + size + c]!) | (a ^ m[row + size + c + 1]!)) & 0xff;
      histBlock[same]!++;
    }
  }
  const total = size * size;
  const out: number[] = [];
  for (let p = 0; p < 8; p++) {
    const run5 = laneCount(histRun5, p);
    const run6 = laneCount(histRun6, p);
    const n1 = 3 * run5 - 2 * run6; // a run of L >= 5 holds L-4 "run >= 5" and L-5 "run >= 6" ends
    const k = Math.abs(Math.ceil((laneCount(histDark, p) * 100) / total / 5) - 10);
    out.push(n1 + 3 * laneCount(histBlock, p) + 40 * laneCount(histFinder, p) + 10 * k);
  }
  return out;
}

function laneCount(hist: Int32Array, lane: number): number {
  let sum = 0;
  for (let x = 1 << lane; x < 256; x++) if ((x >> lane) & 1) sum += hist[x]!;
  return sum;
}

/** Runs and finder-like patterns along one row or column, all 8 lanes at once. */
function scanLine(m: Uint8Array, start: number, step: number, size: number): void {
  // p1..p6: previous modules; run2..run5: "same-colour run of at least k ends here";
  // light1..light7: "4 light modules end k modules back"; core1..core4: "1011101 ends k back".
  let p1 = m[start]!, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0;
  let run2 = 0, run3 = 0, run4 = 0, run5 = 0;
  let light1 = 0, light2 = 0, light3 = 0, light4 = 0, light5 = 0, light6 = 0, light7 = 0;
  let core1 = 0, core2 = 0, core3 = 0, core4 = 0;
  for (let b = 1, i = start + step; b < size; b++, i += step) {
    const x = m[i]!;
    const eq = ~(x ^ p1) & 0xff;
    const r6 = run5 & eq;
    run5 = run4 & eq;
    run4 = run3 & eq;
    run3 = run2 & eq;
    run2 = eq;
    histRun5[run5]!++;
    histRun6[r6]!++;
    // Modules before the line start are 0 in p2..p6, so `light` needs b >= 3 to be real, and a
    // `core` needs its first module (p6 = 1) inside the line by construction.
    const light = b >= 3 ? ~(x | p1 | p2 | p3) & 0xff : 0;
    const core = x & ~p1 & p2 & p3 & p4 & ~p5 & p6;
    histFinder[(core4 & light) | (light7 & core)]!++;
    light7 = light6; light6 = light5; light5 = light4; light4 = light3; light3 = light2; light2 = light1; light1 = light;
    core4 = core3; core3 = core2; core2 = core1; core1 = core;
    p6 = p5; p5 = p4; p4 = p3; p3 = p2; p2 = p1; p1 = x;
  }
}
