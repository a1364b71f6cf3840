// Runs everywhere Node runs (kiosk main via admit, server, CLI). The KP1 verification rules
// of ../shared/spec/kp1-token.md, in the spec's order: the first failing rule decides.
import { verify as edVerify } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import type { ResultCode, VerifyResult } from '../../shared/kp1';
import { FLAG_MINOR_WITH_CONSENT, MAX_TTL, MIN_TTL, RESERVED_FLAGS, parseToken, signingMessage, subjectHex, tokenIdOf } from './token';
import type { TrustList } from './trustList';
import { keyIndex } from './trustList';

export const DEFAULT_SKEW = 3;
export const DEFAULT_MAX_TTL = 15;

/** What the replay state knows of a token id: admitted here, seen elsewhere, or nothing. */
export type ReplayLookup = (tokenId: string) => 'duplicate' | 'replayed' | null;

export interface VerifyContext {
  trustList: TrustList;
  /** The verifier's clock (corrected by its offset to the central API), Unix seconds. */
  now: number;
  /** Clock tolerance in seconds, default 3. */
  skew?: number;
  /** Longest ttl the policy admits, default 15. */
  maxTtl?: number;
  /** Rules 11 and 12; without it no token is a duplicate or a replay. */
  lookup?: ReplayLookup;
}

const fail = (code: ResultCode): VerifyResult => ({ ok: false, code });

function checkContext(ctx: VerifyContext, skew: number, maxTtl: number) {
  if (!Number.isFinite(ctx.now) || !Number.isFinite(skew) || skew < 0 || !Number.isFinite(maxTtl) || maxTtl < 0) {
    throw new CodedError('VERIFY_CONTEXT_INVALID', '검증 설정(현재 시각, 허용 오차, 최대 유효시간)이 올바르지 않습니다.');
  }
}

/**
 * Verifies one scanned token. Never throws for any input string; on failure the result
 * carries only what was decoded before the failing rule: nothing for MALFORMED and
 * UNSUPPORTED_VERSION, the token's own fields from rule 4 on, and `issuerName` once the
 * trust list knows the key (rule 5 on). Throws only for a bad context or a failing `lookup`.
 */
export function verifyToken(raw: string, ctx: VerifyContext): VerifyResult {
  const skew = ctx.skew ?? DEFAULT_SKEW;
  const maxTtl = ctx.maxTtl ?? DEFAULT_MAX_TTL;
  checkContext(ctx, skew, maxTtl);

  // 1. exact syntax, decoded length 97
  const parsed = parseToken(raw);
  if (!parsed) return fail('MALFORMED');
  const { body } = parsed;
  // 2. version
  if (body.version !== 1) return fail('UNSUPPORTED_VERSION');
  // 3. reserved flags zero, ttl in 1..60
  if ((body.flags & RESERVED_FLAGS) !== 0 || body.ttl < MIN_TTL || body.ttl > MAX_TTL) return fail('MALFORMED');

  const decoded = {
    tokenId: tokenIdOf(body),
    issuer: body.issuer,
    issuerName: undefined as string | undefined,
    keyId: body.keyId,
    subject: subjectHex(body),
    issuedAt: body.issuedAt,
    expiresAt: body.issuedAt + body.ttl,
    minorWithConsent: (body.flags & FLAG_MINOR_WITH_CONSENT) !== 0,
  };
  // Field order as in the spec's result object; issuerName only once the key is known.
  const result = (ok: boolean, code: ResultCode): VerifyResult => {
    const { issuerName, ...rest } = decoded;
    if (issuerName === undefined) return { ok, code, ...rest };
    const { tokenId, issuer, ...tail } = rest;
    return { ok, code, tokenId, issuer, issuerName, ...tail };
  };

  // 4. (issuer, key_id) in the trust list
  const entry = keyIndex(ctx.trustList).get(body.issuer * 256 + body.keyId);
  if (!entry) return result(false, 'UNKNOWN_KEY');
  decoded.issuerName = entry.issuer.name;
  // 5. not revoked
  if (entry.revoked) return result(false, 'KEY_REVOKED');
  // 6. notBefore <= issued_at <= notAfter
  if (body.issuedAt < entry.notBefore || body.issuedAt > entry.notAfter) return result(false, 'KEY_NOT_VALID_AT_ISSUE');
  // 7. Ed25519 over "KP1" || body
  if (!edVerify(null, signingMessage(parsed.bodyBytes), entry.publicKey, parsed.signature)) return result(false, 'BAD_SIGNATURE');
  // 8. policy ttl
  if (body.ttl > maxTtl) return result(false, 'TTL_TOO_LONG');
  // 9. not issued in the future (beyond skew)
  if (ctx.now < body.issuedAt - skew) return result(false, 'NOT_YET_VALID');
  // 10. not expired (beyond skew)
  if (ctx.now > body.issuedAt + body.ttl + skew) return result(false, 'EXPIRED');
  // 11, 12. replay state
  const seen = ctx.lookup ? ctx.lookup(decoded.tokenId) : null;
  if (seen === 'duplicate') return result(false, 'DUPLICATE');
  if (seen === 'replayed') return result(false, 'REPLAYED');
  return result(true, 'OK');
}
