import { gunzipSync } from 'node:zlib';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeCertificates } from '../../worker/db/certificates';
import { todayInVietnam } from '../../worker/domain/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { demoNumbers } from '../helpers/demo';

/** Demo certificate numbers as seeded by this file's context (they carry their decision's year). */
const N = demoNumbers();

// The W3C form of the credentials: a VC 2.0 per certificate (vc+jwt) that a standard JOSE
// library verifies with the key it resolves from the did:web DID document, and a Bitstring
// Status List credential decoded exactly as the W3C spec says, whose bit flips on revocation.

let ctx: TestContext;
const DID = 'did:web:ocop.test';

beforeAll(async () => {
  ctx = await createTestContext({ seed: true });
});

afterAll(async () => {
  await ctx.close();
});

interface DidDoc {
  id: string;
  verificationMethod: { id: string; type: string; controller: string; publicKeyJwk: { kty: string; crv: string; x: string } }[];
  assertionMethod: string[];
}

/** A verifier's steps: the kid names a verification method of the issuer's DID document, listed for assertions. */
async function verifyWithDid(jwt: string): Promise<JWTPayload & Record<string, unknown>> {
  const header = decodeProtectedHeader(jwt);
  expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
  const kid = String(header.kid);
  const did = kid.split('#')[0]!;
  expect(did).toBe(DID);
  // did:web:ocop.test → https://ocop.test/.well-known/did.json
  const res = await ctx.app.request('/.well-known/did.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const doc = (await res.json()) as DidDoc;
  expect(doc.id).toBe(did);
  const method = doc.verificationMethod.find((m) => m.id === kid);
  expect(method, kid).toBeDefined();
  expect(method!.type).toBe('JsonWebKey');
  expect(method!.controller).toBe(did);
  expect(doc.assertionMethod).toContain(kid);
  const key = await importJWK({ ...method!.publicKeyJwk, alg: 'EdDSA' }, 'EdDSA');
  const { payload } = await jwtVerify(jwt, key, { issuer: DID, typ: 'vc+jwt', algorithms: ['EdDSA'] });
  return payload as JWTPayload & Record<string, unknown>;
}

/** W3C Bitstring Status List v1.0 §3.2: strip the multibase "u", base64url-decode, gunzip, bit MSB first. */
function statusBit(encodedList: string, index: number): number {
  expect(encodedList.startsWith('u')).toBe(true);
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
  return (bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1;
}

async function statusList(): Promise<{ encodedList: string; payload: Record<string, unknown> }> {
  const res = await ctx.app.request('/api/v1/status/bitstring');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  const payload = await verifyWithDid(await res.text());
  const subject = payload.credentialSubject as { type: string; statusPurpose: string; encodedList: string };
  expect(payload.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(payload.issuer).toBe(DID);
  expect(subject.type).toBe('BitstringStatusList');
  expect(subject.statusPurpose).toBe('revocation');
  return { encodedList: subject.encodedList, payload };
}

type Status = { type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };

describe('W3C VC 2.0 per certificate', () => {
  it('verifies with jose against the DID document and carries the certificate facts', async () => {
    const res = await ctx.app.request(`/api/v1/certificates/${N.robusta}/vc`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vc+jwt');
    const vc = await verifyWithDid(await res.text());
    const cert = await ctx.db.selectFrom('certificates').selectAll().where('number', '=', N.robusta).executeTakeFirstOrThrow();
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2']);
    expect(vc.type).toEqual(['VerifiableCredential', 'DigitalConformityCredential']);
    expect(vc.issuer).toEqual({ id: DID, name: 'OCOP Verify' });
    expect(vc.validFrom).toBe(`${cert.valid_from}T00:00:00+07:00`);
    const subject = vc.credentialSubject as Record<string, unknown>;
    expect(subject.type).toEqual(['ConformityAttestation']);
    expect(subject.id).toBe(`https://ocop.test/c/${N.robusta}`);
    expect(subject.scope).toMatchObject({ name: 'OCOP' });
    expect(subject.ocop).toMatchObject({ number: N.robusta, stars: cert.stars, valid_until: cert.valid_until, decision_number: cert.decision_number, issuing_body: cert.issuing_body });
    expect(subject.decision).toEqual({ number: cert.decision_number, date: cert.decision_date });
    const status = vc.credentialStatus as Status;
    expect(status).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(cert.status_index), statusListCredential: 'https://ocop.test/api/v1/status/bitstring' });
  });

  it('a credential altered after signing, or signed by another key, does not verify', async () => {
    const jwt = await (await ctx.app.request(`/api/v1/certificates/${N.robusta}/vc`)).text();
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { credentialSubject: { ocop: { stars: number } } };
    payload.credentialSubject.ocop.stars = 5;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    await expect(verifyWithDid(forged)).rejects.toThrow();
  });

  it('unknown number 404, malformed 400; the old EdDSA credential and IETF status list still answer', async () => {
    expect((await ctx.app.request('/api/v1/certificates/NOPE-123/vc')).status).toBe(404);
    expect((await ctx.app.request(`/api/v1/certificates/${'1'.repeat(100)}/vc`)).status).toBe(400);
    const old = await ctx.app.request(`/api/v1/credentials/${N.robusta}`);
    expect(old.status).toBe(200);
    expect(decodeProtectedHeader(await old.text()).typ).toBe('ocop-certificate+jwt');
    expect((await ctx.app.request('/api/v1/status-list')).headers.get('content-type')).toBe('application/statuslist+jwt');
    // The certificate JSON is still the certificate, not the credential.
    expect((await ctx.app.request(`/api/v1/certificates/${N.robusta}`)).headers.get('content-type')).toContain('application/json');
  });
});

describe('W3C Bitstring Status List', () => {
  it('decodes per the spec; revoked certificates are 1, others 0; revoking flips the bit', async () => {
    const index = async (number: string) => (await ctx.db.selectFrom('certificates').select(['id', 'status_index']).where('number', '=', number).executeTakeFirstOrThrow());
    const active = await index(N.robusta);
    const revoked = await index(N.matOng);
    const before = await statusList();
    expect(statusBit(before.encodedList, revoked.status_index)).toBe(1);
    expect(statusBit(before.encodedList, active.status_index)).toBe(0);
    // Exactly the revoked certificates are set.
    const revokedRows = await ctx.db.selectFrom('certificates').select('status_index').where('status', '=', 'revoked').execute();
    const bits = gunzipSync(Buffer.from(before.encodedList.slice(1), 'base64url'));
    let ones = 0;
    for (const byte of bits) for (let b = 0; b < 8; b++) ones += (byte >> b) & 1;
    expect(ones).toBe(revokedRows.length);

    // The credential's own entry, followed the way a verifier does.
    const vc = await verifyWithDid(await (await ctx.app.request(`/api/v1/certificates/${N.robusta}/vc`)).text());
    const entry = vc.credentialStatus as Status;
    expect(statusBit(before.encodedList, Number(entry.statusListIndex))).toBe(0);

    const now = ctx.deps.clock();
    await revokeCertificates(ctx.db, { userId: null, label: 'test' }, [active.id], { decisionNumber: '777/QĐ-UBND', date: todayInVietnam(now), ground: 'no_quality_records', note: null }, now);
    const after = await statusList();
    expect(statusBit(after.encodedList, Number(entry.statusListIndex))).toBe(1);
    expect(statusBit(after.encodedList, revoked.status_index)).toBe(1);
  });
});
