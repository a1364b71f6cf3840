// Runs in the central API and the admin CLI (Node). The authority: its root key pair (made on
// first start, kept in the database), the issuers and their keys, and the signed trust list.
import type { Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import type { TrustEnvelope, TrustList } from '../core/kp1';
import { generateKeyPair, importPublicKey, privateKeyFromPem, privateKeyToPem, publicKeyToBase64url, signTrustList } from '../core/kp1';
import type { Clock } from '../core/clock';
import type { ServerSchema } from './db/schema';
import { apiErrors } from './errors';

type Db = Kysely<ServerSchema>;

export interface AuthorityInfo {
  keyId: string;
  publicKey: string;
  created: boolean;
}

/** Loads the authority root key, creating it the first time (one row; a race keeps the first). */
export async function ensureAuthority(db: Db, clock: Clock): Promise<AuthorityInfo> {
  const existing = await db.selectFrom('authority_keys').select(['key_id', 'public_key']).orderBy('created_at').executeTakeFirst();
  if (existing) return { keyId: existing.key_id, publicKey: existing.public_key, created: false };
  const pair = generateKeyPair();
  const row = { key_id: 'root-1', public_key: publicKeyToBase64url(pair.publicKey), private_key_pem: privateKeyToPem(pair.privateKey), created_at: clock() };
  await db.insertInto('authority_keys').values(row).onConflict((oc) => oc.column('key_id').doNothing()).execute();
  const stored = await db.selectFrom('authority_keys').select(['key_id', 'public_key']).where('key_id', '=', 'root-1').executeTakeFirstOrThrow();
  return { keyId: stored.key_id, publicKey: stored.public_key, created: stored.public_key === row.public_key };
}

export interface NewIssuer {
  code: number;
  name: string;
  displayName: string;
}

export interface NewIssuerKey {
  issuerCode: number;
  keyId: number;
  publicKey: string;
  notBefore: number;
  notAfter: number;
}

export async function addIssuer(db: Db, clock: Clock, issuer: NewIssuer): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const clash = await tx
      .selectFrom('issuers')
      .select('code')
      .where((eb) => eb.or([eb('code', '=', issuer.code), eb('name', '=', issuer.name)]))
      .executeTakeFirst();
    if (clash) throw apiErrors.issuerExists();
    await tx.insertInto('issuers').values({ code: issuer.code, name: issuer.name, display_name: issuer.displayName, created_at: clock() }).execute();
    await publish(tx, clock);
  });
}

export async function addIssuerKey(db: Db, clock: Clock, key: NewIssuerKey): Promise<void> {
  try {
    importPublicKey(key.publicKey);
  } catch {
    throw apiErrors.publicKeyInvalid();
  }
  if (!(key.notBefore <= key.notAfter)) throw apiErrors.windowInvalid();
  await db.transaction().execute(async (tx) => {
    const issuer = await tx.selectFrom('issuers').select('code').where('code', '=', key.issuerCode).executeTakeFirst();
    if (!issuer) throw apiErrors.issuerNotFound();
    const clash = await tx
      .selectFrom('issuer_keys')
      .select('key_id')
      .where('issuer_code', '=', key.issuerCode)
      .where('key_id', '=', key.keyId)
      .executeTakeFirst();
    if (clash) throw apiErrors.issuerKeyExists();
    await tx
      .insertInto('issuer_keys')
      .values({
        issuer_code: key.issuerCode,
        key_id: key.keyId,
        public_key: key.publicKey,
        not_before: key.notBefore,
        not_after: key.notAfter,
        status: 'active',
        created_at: clock(),
      })
      .execute();
    await publish(tx, clock);
  });
}

/** Revokes an issuer key; kiosks refuse its tokens (KEY_REVOKED) once they refresh. */
export async function revokeIssuerKey(db: Db, clock: Clock, issuerCode: number, keyId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('issuer_keys')
      .set({ status: 'revoked' })
      .where('issuer_code', '=', issuerCode)
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw apiErrors.issuerKeyNotFound();
    await publish(tx, clock);
  });
}

export interface PublishedTrustList {
  sequence: number;
  envelope: TrustEnvelope;
  etag: string;
}

/** The current signed list; publishes the first one (sequence 1) if none exists yet. */
export async function currentTrustList(db: Db, clock: Clock): Promise<PublishedTrustList> {
  const row = await db.selectFrom('trust_state').selectAll().where('id', '=', 1).executeTakeFirst();
  if (row) return { sequence: row.sequence, envelope: JSON.parse(row.envelope) as TrustEnvelope, etag: row.etag };
  return db.transaction().execute((tx) => publish(tx, clock));
}

/** Rebuilds, signs and stores the list with the next sequence number (inside the caller's transaction). */
async function publish(tx: Db, clock: Clock): Promise<PublishedTrustList> {
  // Take the row lock first: concurrent publishers on PostgreSQL (several API instances)
  // then run one after the other and never hand out the same sequence twice.
  await tx.updateTable('trust_state').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', 1).execute();
  const state = await tx.selectFrom('trust_state').select('sequence').where('id', '=', 1).executeTakeFirst();
  const sequence = (state?.sequence ?? 0) + 1;
  const issuers = await tx.selectFrom('issuers').selectAll().orderBy('code').execute();
  const keys = await tx.selectFrom('issuer_keys').selectAll().orderBy('issuer_code').orderBy('key_id').execute();
  const list: TrustList = {
    version: 1,
    sequence,
    issuedAt: isoSeconds(clock()),
    issuers: issuers.map((i) => ({
      code: i.code,
      name: i.name,
      displayName: i.display_name,
      keys: keys
        .filter((k) => k.issuer_code === i.code)
        .map((k) => ({ keyId: k.key_id, publicKey: k.public_key, notBefore: isoSeconds(k.not_before), notAfter: isoSeconds(k.not_after), status: k.status })),
    })),
  };
  const root = await tx.selectFrom('authority_keys').select(['key_id', 'private_key_pem']).orderBy('created_at').executeTakeFirst();
  if (!root) throw new Error('authority key missing: call ensureAuthority first');
  const envelope = signTrustList(list, privateKeyFromPem(root.private_key_pem), root.key_id);
  const etag = `"tl-${sequence}-${createHash('sha256').update(envelope.signature).digest('hex').slice(0, 16)}"`;
  const values = { sequence, envelope: JSON.stringify(envelope), etag, updated_at: clock() };
  if (state) await tx.updateTable('trust_state').set(values).where('id', '=', 1).execute();
  else await tx.insertInto('trust_state').values({ id: 1, ...values }).execute();
  return { sequence, envelope, etag };
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
