// Package code format v1 (see README.md beside this file, which is the specification).
// Pure functions, no crypto: parsing and rebuilding the JWS signing input.

import { base32Decode, base32Encode } from './base32';
import { base64urlEncode, base64urlLength, base64urlWrite } from './base64url';

export const CODE_VERSION = 1;
/** Characters of base32 text: 74 bytes = 592 bits = 118 full characters + 2 bits. */
export const CODE_LENGTH = 119;
export const PAYLOAD_LENGTH = 10;
export const SIGNATURE_LENGTH = 64;
export const CODE_BYTES = PAYLOAD_LENGTH + SIGNATURE_LENGTH;
export const MAX_KEY_NUMBER = 255;
export const MAX_BATCH_ID = 0xffff_ffff;
export const MAX_SERIAL = 1_000_000;
/** Longest PUBLIC_BASE_URL for which every package URL fits QR version 6-M (alphanumeric). */
export const MAX_BASE_URL_LENGTH = 32;

export interface PackageRef {
  version: 1;
  keyNumber: number;
  batchId: number;
  serial: number;
}

export type ParsedCode =
  | { ok: true; ref: PackageRef; code: string; signature: Uint8Array<ArrayBuffer>; signingInput: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: 'malformed' | 'unknown_version' };

export function isKeyNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_KEY_NUMBER;
}

export function kidFor(keyNumber: number): string {
  if (!isKeyNumber(keyNumber)) throw new RangeError(`key number must be an integer 1..${MAX_KEY_NUMBER}, got ${keyNumber}`);
  return `ocop-${keyNumber}`;
}

/** Inverse of kidFor: only the exact spelling `ocop-<1..255>` (no leading zeros). */
export function keyNumberOfKid(kid: string): number | null {
  const m = /^ocop-([1-9][0-9]{0,2})$/.exec(kid);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= MAX_KEY_NUMBER ? n : null;
}

/** The exact protected-header text; key order and spacing are part of the format. */
export function protectedHeader(keyNumber: number): string {
  return `{"alg":"EdDSA","kid":"${kidFor(keyNumber)}"}`;
}

// ASCII of base64url(header) + '.' per key number: the fixed prefix of every signing input.
const headerPrefixes: (Uint8Array | undefined)[] = [];

function headerPrefix(keyNumber: number): Uint8Array {
  let prefix = headerPrefixes[keyNumber];
  if (!prefix) {
    prefix = new TextEncoder().encode(`${base64urlEncode(new TextEncoder().encode(protectedHeader(keyNumber)))}.`);
    headerPrefixes[keyNumber] = prefix;
  }
  return prefix;
}

function checkRef(ref: PackageRef): void {
  if (ref.version !== CODE_VERSION) throw new RangeError(`version must be ${CODE_VERSION}`);
  kidFor(ref.keyNumber);
  if (!Number.isInteger(ref.batchId) || ref.batchId < 1 || ref.batchId > MAX_BATCH_ID) {
    throw new RangeError(`batch id must be an integer 1..${MAX_BATCH_ID}, got ${ref.batchId}`);
  }
  if (!Number.isInteger(ref.serial) || ref.serial < 1 || ref.serial > MAX_SERIAL) {
    throw new RangeError(`serial must be an integer 1..${MAX_SERIAL}, got ${ref.serial}`);
  }
}

/** 10 bytes: version, key number, batch id (u32 BE), serial (u32 BE). Throws RangeError on out-of-range fields. */
export function encodePayload(ref: PackageRef): Uint8Array {
  checkRef(ref);
  const p = new Uint8Array(PAYLOAD_LENGTH);
  p[0] = ref.version;
  p[1] = ref.keyNumber;
  writeU32(p, 2, ref.batchId);
  writeU32(p, 6, ref.serial);
  return p;
}

function writeU32(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function signingInputOf(keyNumber: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = headerPrefix(keyNumber);
  const out = new Uint8Array(prefix.length + base64urlLength(PAYLOAD_LENGTH));
  out.set(prefix, 0);
  base64urlWrite(payload.subarray(0, PAYLOAD_LENGTH), out, prefix.length);
  return out;
}

/** ASCII(base64url(protected header) + '.' + base64url(payload)): the JWS signing input (RFC 7515 §5.1). */
export function signingInput(ref: PackageRef): Uint8Array<ArrayBuffer> {
  return signingInputOf(ref.keyNumber, encodePayload(ref));
}

/** payload ‖ signature as canonical uppercase base32 text. */
export function encodeCode(payload: Uint8Array, signature: Uint8Array): string {
  if (payload.length !== PAYLOAD_LENGTH || signature.length !== SIGNATURE_LENGTH) {
    throw new RangeError(`a code holds ${PAYLOAD_LENGTH} payload bytes and ${SIGNATURE_LENGTH} signature bytes`);
  }
  const bytes = new Uint8Array(CODE_BYTES);
  bytes.set(payload, 0);
  bytes.set(signature, PAYLOAD_LENGTH);
  return base32Encode(bytes);
}

// Checked on the raw text, BEFORE any case mapping: toUpperCase() turns some non-ASCII
// letters into ASCII ones ('ı' → 'I', 'ſ' → 'S'), which would let lookalikes through.
const BARE = /^[A-Za-z2-7]{119}$/;
// http(s)://host[:port][/base/path]/v/<code> and nothing else: no query, fragment,
// percent-escapes, userinfo or trailing slash. Plain http is accepted for local demos.
const IN_URL = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*\/[Vv]\/([A-Za-z2-7]{119})$/;
// Longest acceptable input: a URL with a generous base path; caps regex work on junk.
const MAX_INPUT = 512;

/** The whitespace a reader removes around a scanned text (§6): ASCII space, tab, CR and LF. */
const isScanSpace = (ch: number) => ch === 0x20 || ch === 0x09 || ch === 0x0d || ch === 0x0a;

/**
 * `text` without leading and trailing ASCII space, tab, CR and LF, and nothing else: not
 * String.prototype.trim, which also removes no-break spaces, U+3000, U+2028, U+FEFF and
 * other Unicode spaces, none of which a scanner or a person pasting a code adds (§6).
 */
export function trimScanSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isScanSpace(text.charCodeAt(start))) start++;
  while (end > start && isScanSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * A bare code or a package URL, any letter case, surrounding ASCII whitespace tolerated.
 * Checks everything but the signature: shape, canonical base32, version, field ranges.
 */
export function parseCode(input: string): ParsedCode {
  if (typeof input !== 'string' || input.length > MAX_INPUT) return { ok: false, reason: 'malformed' };
  const text = trimScanSpace(input);
  let raw: string;
  if (text.length === CODE_LENGTH) {
    if (!BARE.test(text)) return { ok: false, reason: 'malformed' };
    raw = text;
  } else {
    const m = IN_URL.exec(text);
    if (!m) return { ok: false, reason: 'malformed' };
    raw = m[1]!;
  }
  const code = raw.toUpperCase();
  const bytes = base32Decode(code);
  if (!bytes || bytes.length !== CODE_BYTES) return { ok: false, reason: 'malformed' };
  if (bytes[0] !== CODE_VERSION) return { ok: false, reason: 'unknown_version' };
  const keyNumber = bytes[1]!;
  const batchId = readU32(bytes, 2);
  const serial = readU32(bytes, 6);
  if (keyNumber === 0 || batchId === 0 || serial === 0 || serial > MAX_SERIAL) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    ref: { version: CODE_VERSION, keyNumber, batchId, serial },
    code,
    signature: bytes.subarray(PAYLOAD_LENGTH),
    signingInput: signingInputOf(keyNumber, bytes),
  };
}

/**
 * `${baseUrl}/V/${code}`, all uppercase so the QR stays in alphanumeric mode.
 * baseUrl is not re-validated here (config does that, see baseUrlProblem); a trailing slash is dropped.
 */
export function packageUrl(baseUrl: string, code: string): string {
  if (!BARE.test(code)) throw new RangeError('packageUrl: not a 119-character package code');
  return `${baseUrl.replace(/\/+$/, '')}/V/${code}`.toUpperCase();
}

/** null if baseUrl suits package URLs (https, host only, ≤ 32 characters), else why not (Vietnamese / English). */
export function baseUrlProblem(baseUrl: string): string | null {
  if (baseUrl.length > MAX_BASE_URL_LENGTH) {
    return `dài quá ${MAX_BASE_URL_LENGTH} ký tự, mã QR sẽ không vừa phiên bản 6-M / longer than ${MAX_BASE_URL_LENGTH} characters: the QR would not fit version 6-M`;
  }
  if (!/^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/.test(baseUrl)) {
    return 'phải có dạng https://tên-miền, không có đường dẫn hay dấu / ở cuối / must be https://host, no path, no trailing slash';
  }
  return null;
}

/** The standard compact JWS `header.payload.signature` that a code stands for; throws on an invalid code. */
export function toCompactJws(code: string): string {
  const parsed = parseCode(code);
  if (!parsed.ok) throw new RangeError(`toCompactJws: not a valid v1 package code (${parsed.reason})`);
  let s = '';
  for (let i = 0; i < parsed.signingInput.length; i++) s += String.fromCharCode(parsed.signingInput[i]!);
  return `${s}.${base64urlEncode(parsed.signature)}`;
}
