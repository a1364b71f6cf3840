// Runs everywhere. The KP1 result vocabulary (../shared/spec/kp1-token.md), shared by the
// verifier, the entry log, the screens and the voice so they cannot disagree.

export const RESULT_CODES = [
  'OK',
  'MALFORMED',
  'UNSUPPORTED_VERSION',
  'UNKNOWN_KEY',
  'KEY_REVOKED',
  'KEY_NOT_VALID_AT_ISSUE',
  'BAD_SIGNATURE',
  'TTL_TOO_LONG',
  'NOT_YET_VALID',
  'EXPIRED',
  'DUPLICATE',
  'REPLAYED',
] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

/** The spec's result object: on failure, only the fields decoded before the failing rule. */
export interface VerifyResult {
  ok: boolean;
  code: ResultCode;
  tokenId?: string;
  issuer?: number;
  issuerName?: string;
  keyId?: number;
  subject?: string;
  issuedAt?: number;
  expiresAt?: number;
  minorWithConsent?: boolean;
}
