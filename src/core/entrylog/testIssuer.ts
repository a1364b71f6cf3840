// Runs in Node: tests, the admit benchmark and the crash-test child. A throwaway issuer with
// its own Ed25519 key and a trust list that admits it, so tokens are real, signed KP1 tokens.
import { generateKeyPair, mintToken, publicKeyToBase64url } from '../kp1';
import type { MintOptions, TrustList } from '../kp1';

export interface TestIssuer {
  trustList: TrustList;
  /** A fresh token (random nonce and subject unless given) issued at `issuedAt` (Unix s). */
  mint(issuedAt: number, extra?: Partial<Omit<MintOptions, 'privateKey' | 'issuedAt'>>): string;
}

export function createTestIssuer(opts: { code?: number; keyId?: number; status?: 'active' | 'revoked' } = {}): TestIssuer {
  const { code = 1, keyId = 1, status = 'active' } = opts;
  const { privateKey, publicKey } = generateKeyPair();
  const trustList: TrustList = {
    version: 1,
    sequence: 1,
    issuedAt: '2026-01-01T00:00:00Z',
    issuers: [
      {
        code,
        name: 'naver',
        displayName: '네이버',
        keys: [
          {
            keyId,
            publicKey: publicKeyToBase64url(publicKey),
            notBefore: '2020-01-01T00:00:00Z',
            notAfter: '2099-12-31T23:59:59Z',
            status,
          },
        ],
      },
    ],
  };
  return {
    trustList,
    mint: (issuedAt, extra = {}) => mintToken({ privateKey, issuer: code, keyId, issuedAt, ...extra }),
  };
}
