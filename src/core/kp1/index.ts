// Runs everywhere Node runs. The KP1 token capability: wire format, trust list, verifier,
// replay state and minting (../shared/spec/kp1-token.md). Import from here, not the files.
export { decodeBase64url, encodeBase64url } from './base64url';
export {
  BODY_LENGTH,
  MAX_RAW_LENGTH,
  NONCE_LENGTH,
  SIGNATURE_LENGTH,
  SUBJECT_LENGTH,
  TOKEN_LENGTH,
  TOKEN_PREFIX,
  decodeBody,
  encodeBody,
  encodeToken,
  parseToken,
  signingMessage,
  stripSurroundingSpace,
  subjectHex,
  tokenIdOf,
} from './token';
export type { ParsedToken, TokenBody } from './token';
export {
  MAX_PAYLOAD_BYTES,
  createTrustStore,
  importPublicKey,
  isEnvelope,
  keyIndex,
  openEnvelope,
  parseTrustList,
  readTrustDocument,
  signTrustList,
  trustListSchema,
} from './trustList';
export type { AcceptResult, IndexedKey, RootKey, TrustEnvelope, TrustIssuer, TrustKey, TrustList, TrustStore } from './trustList';
export { DEFAULT_MAX_TTL, DEFAULT_SKEW, verifyToken } from './verify';
export type { ReplayLookup, VerifyContext } from './verify';
export { createMemoryReplayState } from './replay';
export type { MemoryReplayState } from './replay';
export {
  generateKeyPair,
  mintToken,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyToBase64url,
  readPrivateKeyFile,
  writePrivateKeyFile,
} from './keys';
export type { Ed25519KeyPair, MintOptions } from './keys';
export type { ResultCode, VerifyResult } from '../../shared/kp1';
