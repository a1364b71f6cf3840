// Runs under vitest (Node). Reproduces every case and every sequence of
// ../shared/spec/kp1-vectors.json: OK results by deep equality, failures by code and by the
// documented field set; sequences through one verifier with a fresh replay state.
import { describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../shared/kp1';
import { createMemoryReplayState, openEnvelope, parseTrustList, verifyToken } from './index';
import { ABSENT_MESSAGE, loadKp1Vectors } from './testVectors';

const vectors = loadKp1Vectors();
const TOKEN_FIELDS = ['tokenId', 'issuer', 'keyId', 'subject', 'issuedAt', 'expiresAt', 'minorWithConsent'];
// Rules 1-3 decode nothing a result reports; rule 4 (UNKNOWN_KEY) knows the token's own
// fields; from rule 5 on the trust list also names the issuer.
function expectedFields(code: string): string[] {
  if (code === 'MALFORMED' || code === 'UNSUPPORTED_VERSION') return [];
  if (code === 'UNKNOWN_KEY') return TOKEN_FIELDS;
  return [...TOKEN_FIELDS, 'issuerName'];
}
const fieldsOf = (r: VerifyResult) => Object.keys(r).filter((k) => k !== 'ok' && k !== 'code').sort();

describe.skipIf(!vectors)('kp1-vectors.json', () => {
  const v = vectors!;
  const trustList = vectors ? parseTrustList(v.trustList) : null!;

  it.each(vectors ? v.cases.map((c) => [c.name, c] as const) : [])('case: %s', (_name, c) => {
    const result = verifyToken(c.token, { trustList, now: c.at, skew: c.skew, maxTtl: c.maxTtl });
    if (c.expect.ok) {
      expect(result).toStrictEqual(c.expect);
      // Same key order as the spec's result object, so the CLI prints it byte for byte.
      expect(JSON.stringify(result)).toBe(JSON.stringify(c.expect));
    } else {
      expect({ ok: result.ok, code: result.code }).toStrictEqual(c.expect);
      expect(fieldsOf(result)).toEqual(expectedFields(result.code).sort());
    }
  });

  it.each(vectors ? v.sequences.map((s) => [s.name, s] as const) : [])('sequence: %s', (_name, s) => {
    const replay = createMemoryReplayState();
    const codes = s.steps.map((step) => {
      const r = verifyToken(step.token, { trustList, now: step.at, lookup: replay.lookup });
      if (r.ok && r.tokenId) replay.remember(r.tokenId);
      return r.code;
    });
    expect(codes).toEqual(s.steps.map((step) => step.expect));
  });

  it('the signed envelope opens with the pinned root and equals the bare list', () => {
    const opened = openEnvelope(v.trustListEnvelope, [{ keyId: 'root-1', publicKey: v.rootPublicKey }]);
    expect(opened).toStrictEqual(trustList);
  });

  it('the tampered envelope is refused as a bad signature', () => {
    expect(() => openEnvelope(v.tamperedEnvelope, [{ keyId: 'root-1', publicKey: v.rootPublicKey }])).toThrow(
      expect.objectContaining({ code: 'TRUST_LIST_BAD_SIGNATURE' }),
    );
  });
});
if (!vectors) it.skip(ABSENT_MESSAGE, () => {});
