// `npm run ocop -- verify <url-or-code> [--jwks <file-or-url>]`: offline verification that
// uses nothing of ours but the published JWKS, through jose, exactly as a retailer would.
import { readFile } from 'node:fs/promises';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { kidFor, parseCode, toCompactJws, trimScanSpace } from '../../worker/codes/format';
import { command, parseCommandLine, UsageError } from './command-line';

const USAGE = `Cách dùng / usage: verify <url-hoặc-mã / url-or-code> [--jwks <tệp / file | url>]
  Không có --jwks: tải <gốc của URL>/.well-known/jwks.json / without --jwks: fetch <URL origin>/.well-known/jwks.json
  Mã thoát / exit: 0 thật / genuine, 1 không thật / not genuine, 2 sai cách dùng hoặc không lấy được JWKS / usage error or JWKS unavailable`;

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    text = await readFile(source, 'utf8');
  }
  const set: unknown = JSON.parse(text);
  if (!set || typeof set !== 'object' || !Array.isArray((set as { keys?: unknown }).keys)) {
    throw new Error(`${source}: không phải JWK Set / not a JWK Set`);
  }
  return set as JSONWebKeySet;
}

export const runVerify = command(USAGE, async (args, io) => {
  const { values, positionals } = parseCommandLine({ args, strict: true, allowPositionals: true, options: { jwks: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('cần đúng một mã hoặc URL / exactly one code or URL expected');
  const input = positionals[0]!;
  const jwks = values.jwks;
  const parsed = parseCode(input);
  if (!parsed.ok) {
    io.out(
      parsed.reason === 'unknown_version'
        ? 'NOT GENUINE — phiên bản mã không được hỗ trợ / unsupported code version'
        : 'NOT GENUINE — mã không đúng định dạng / malformed code',
    );
    return 1;
  }
  const { ref, code } = parsed;
  const kid = kidFor(ref.keyNumber);
  let source = jwks;
  if (source === undefined) {
    if (!/^https?:\/\//i.test(trimScanSpace(input))) {
      io.err(`Mã trần cần --jwks / a bare code needs --jwks\n${USAGE}`);
      return 2;
    }
    source = `${new URL(trimScanSpace(input)).origin}/.well-known/jwks.json`;
  }
  io.out(`Mã / code:              ${code}`);
  io.out(`Phiên bản / version:    ${ref.version}`);
  io.out(`Khóa / key:             ${ref.keyNumber} (${kid})`);
  io.out(`Lô / batch id:          ${ref.batchId}`);
  io.out(`Số thứ tự / serial:     ${ref.serial}`);
  io.out(`JWKS:                   ${source}`);

  let keySet: JSONWebKeySet;
  try {
    keySet = await loadJwks(source);
  } catch (error) {
    io.err(`Không lấy được JWKS / cannot load the JWKS: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const { protectedHeader } = await compactVerify(toCompactJws(code), createLocalJWKSet(keySet), { algorithms: ['EdDSA'] });
    if (protectedHeader.kid !== kid) throw new Error('kid mismatch');
    io.out('GENUINE — chữ ký hợp lệ');
    return 0;
  } catch (error) {
    const codeOf = (error as { code?: unknown }).code;
    const why =
      codeOf === 'ERR_JWKS_NO_MATCHING_KEY'
        ? `khóa ${kid} không có trong JWKS (khóa lạ hoặc đã bị thu hồi) / key ${kid} is not in the JWKS (unknown or withdrawn)`
        : codeOf === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
          ? 'chữ ký không hợp lệ / bad signature'
          : `không xác minh được / verification failed: ${error instanceof Error ? error.message : String(error)}`;
    io.out(`NOT GENUINE — ${why}`);
    return 1;
  }
});
