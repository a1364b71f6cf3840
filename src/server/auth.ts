// Runs in the central API (Node). Who is asking: a kiosk (Ed25519-signed request with a fresh
// nonce) or a person with an admin-issued bearer token (admin, investigator). Deny by default.
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { HEADER_KIOSK, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_REQUEST_AGE_MS, canonicalRequest } from '../core/sync/requestSignature';
import { ed25519Verify, publicKeyFromRaw, randomSecret, sha256hex } from './crypto';
import type { ServerSchema } from './db/schema';
import { apiErrors } from './errors';

type Db = Kysely<ServerSchema>;
export type Role = 'admin' | 'investigator';

export interface KioskPrincipal {
  kind: 'kiosk';
  kioskId: string;
  facilityId: string;
  /** Set when the caller claims the nonce itself, inside its own write transaction. */
  unclaimedNonce?: string;
}

/** Claims a kiosk request nonce; false when it was already used (a replayed request). */
export async function claimNonce(db: Db, kioskId: string, nonce: string, now: number): Promise<boolean> {
  const inserted = await db
    .insertInto('request_nonces')
    .values({ kiosk_id: kioskId, nonce, seen_at: now })
    .onConflict((oc) => oc.columns(['kiosk_id', 'nonce']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export interface PersonPrincipal {
  kind: 'person';
  tokenId: string;
  name: string;
  role: Role;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

const header = (h: SignedRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return typeof v === 'string' ? v : undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks a kiosk request: known kiosk, not revoked, timestamp within ±5 min of the server
 * clock, a nonce never seen from this kiosk, and a valid signature over the exact bytes.
 */
export async function authenticateKiosk(db: Db, clock: Clock, req: SignedRequest, opts: { deferNonce?: boolean } = {}): Promise<KioskPrincipal> {
  const kioskId = header(req.headers, HEADER_KIOSK);
  const timestamp = header(req.headers, HEADER_TIMESTAMP);
  const nonce = header(req.headers, HEADER_NONCE);
  const signature = header(req.headers, HEADER_SIGNATURE);
  if (!kioskId || !timestamp || !nonce || !signature) throw apiErrors.unauthenticated();
  if (!UUID.test(kioskId) || !/^\d{1,15}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) {
    throw apiErrors.unauthenticated();
  }
  const kiosk = await db.selectFrom('kiosks').select(['id', 'facility_id', 'public_key', 'status']).where('id', '=', kioskId).executeTakeFirst();
  if (!kiosk) throw apiErrors.kioskUnknown();
  const key = publicKeyFromRaw(kiosk.public_key);
  const message = canonicalRequest(req.method, req.url, timestamp, nonce, req.rawBody);
  if (!key || !ed25519Verify(key, message, Buffer.from(signature, 'base64url'))) throw apiErrors.badSignature();
  if (kiosk.status !== 'active') throw apiErrors.kioskRevoked();
  const now = clock();
  if (Math.abs(now - Number(timestamp)) > MAX_REQUEST_AGE_MS) throw apiErrors.staleRequest();
  // The nonce table is shared by every API instance, so a replay to another instance fails too.
  // A writer may claim it inside its own transaction (one commit, one fsync, per request).
  if (opts.deferNonce) {
    const seen = await db.selectFrom('request_nonces').select('nonce').where('kiosk_id', '=', kioskId).where('nonce', '=', nonce).executeTakeFirst();
    if (seen) throw apiErrors.replayedRequest();
    return { kind: 'kiosk', kioskId, facilityId: kiosk.facility_id, unclaimedNonce: nonce };
  }
  if (!(await claimNonce(db, kioskId, nonce, now))) throw apiErrors.replayedRequest();
  return { kind: 'kiosk', kioskId, facilityId: kiosk.facility_id };
}

const TOKEN_PREFIX = 'mjt_';

/** Issues a bearer token for a person; only its hash is stored. The token is shown once. */
export async function issueApiToken(db: Db, clock: Clock, role: Role, name: string): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomSecret(32);
  const id = randomUUID();
  await db.insertInto('api_tokens').values({ id, token_hash: sha256hex(token), role, name, created_at: clock(), revoked_at: null }).execute();
  return { id, token };
}

export async function revokeApiToken(db: Db, clock: Clock, id: string): Promise<boolean> {
  const res = await db.updateTable('api_tokens').set({ revoked_at: clock() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function authenticateBearer(db: Db, authorization: string | undefined): Promise<PersonPrincipal> {
  const m = authorization ? /^Bearer (mjt_[A-Za-z0-9_-]{43})$/.exec(authorization) : null;
  if (!m) throw apiErrors.unauthenticated();
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256hex(m[1]!)).executeTakeFirst();
  if (!row || row.revoked_at !== null) throw apiErrors.unauthenticated();
  return { kind: 'person', tokenId: row.id, name: row.name, role: row.role };
}
