// Runs in the central API (Node). Kiosk deletion receipts (the signed record of each 28-day
// purge, docs/entry-log.md): stored once per kiosk and receipt number after the signature is
// checked against the kiosk's pinned receipt key, and listed for inspectors per facility.
// Receipts hold no personal data (counts, hashes, times, ids).
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../core/clock';
import type { Clock } from '../core/clock';
import { parseReceiptBody, publicKeyFromBase64url, receiptSignatureValid } from '../core/entrylog/receipts';
import type { KioskPrincipal, PersonPrincipal } from './auth';
import type { ServerSchema } from './db/schema';
import { ApiError, apiErrors } from './errors';

type Db = Kysely<ServerSchema>;

export const MAX_RECEIPTS_PER_REQUEST = 100;
/** Receipts are evidence for inspections long after the entries are gone: a window may span a year. */
export const MAX_RECEIPT_WINDOW_MS = 366 * DAY_MS;

export interface WireReceipt {
  body: string;
  signature: string;
}

export const receiptErrors = {
  invalid: (i: number) => new ApiError(400, 'RECEIPT_INVALID', `삭제 영수증 ${i + 1}번의 내용이 올바른 영수증 형식이 아닙니다.`),
  badSignature: (i: number) => new ApiError(400, 'RECEIPT_SIGNATURE_INVALID', `삭제 영수증 ${i + 1}번의 서명이 맞지 않습니다. 영수증이 바뀌었거나 다른 키로 서명되었습니다.`),
  keyMismatch: () =>
    new ApiError(409, 'RECEIPT_KEY_MISMATCH', '이 키오스크에 등록된 영수증 서명 키와 다른 키로 서명된 영수증입니다. 키오스크를 다시 등록하거나 관리자에게 문의해 주세요.'),
  conflict: (n: number) => new ApiError(409, 'RECEIPT_CONFLICT', `이미 받은 삭제 영수증 ${n}번과 내용이 다릅니다.`),
  windowInvalid: () => new ApiError(400, 'WINDOW_INVALID', '조회 기간이 올바르지 않습니다 (시작 < 끝, 최대 366일).'),
};

/**
 * Verifies and stores a kiosk's receipts. All or nothing: one bad receipt refuses the request
 * and stores nothing. The first receipt a kiosk ever sends pins its receipt key (the request is
 * signed by the kiosk's device key, so the pin is bound to that enrolled kiosk); a receipt
 * signed by any other key later is refused. Re-sending a stored receipt is a duplicate.
 */
export async function storeReceipts(db: Db, clock: Clock, kiosk: KioskPrincipal, receipts: WireReceipt[]): Promise<{ stored: number; duplicates: number }> {
  const parsed = receipts.map((r, i) => {
    const body = parseReceiptBody(r.body);
    if (!body) throw receiptErrors.invalid(i);
    return { ...r, parsed: body };
  });
  const now = clock();
  return db.transaction().execute(async (tx) => {
    const pinned = await tx.selectFrom('kiosk_receipt_keys').select('public_key').where('kiosk_id', '=', kiosk.kioskId).executeTakeFirst();
    const keyText = pinned?.public_key ?? parsed[0]!.parsed.publicKey;
    const key = publicKeyFromBase64url(keyText);
    parsed.forEach((r, i) => {
      if (r.parsed.publicKey !== keyText) throw pinned ? receiptErrors.keyMismatch() : receiptErrors.badSignature(i);
      if (!key || !receiptSignatureValid(r.body, r.signature, key)) throw receiptErrors.badSignature(i);
    });
    if (!pinned) {
      // Two first uploads racing on two API instances: the pin that landed first decides.
      await tx.insertInto('kiosk_receipt_keys').values({ kiosk_id: kiosk.kioskId, public_key: keyText, pinned_at: now }).onConflict((oc) => oc.column('kiosk_id').doNothing()).execute();
      const won = await tx.selectFrom('kiosk_receipt_keys').select('public_key').where('kiosk_id', '=', kiosk.kioskId).executeTakeFirstOrThrow();
      if (won.public_key !== keyText) throw receiptErrors.keyMismatch();
    }
    const existing = await tx
      .selectFrom('deletion_receipts')
      .select(['n', 'body', 'signature'])
      .where('kiosk_id', '=', kiosk.kioskId)
      .where(
        'n',
        'in',
        parsed.map((r) => r.parsed.n),
      )
      .execute();
    const known = new Map(existing.map((e) => [e.n, e]));
    let stored = 0;
    let duplicates = 0;
    for (const r of parsed) {
      const before = known.get(r.parsed.n);
      if (before) {
        if (before.body !== r.body || before.signature !== r.signature) throw receiptErrors.conflict(r.parsed.n);
        duplicates++;
        continue;
      }
      await tx
        .insertInto('deletion_receipts')
        .values({
          kiosk_id: kiosk.kioskId,
          n: r.parsed.n,
          facility_id: kiosk.facilityId,
          purge_date: r.parsed.date.slice(0, 10),
          purged_at: r.parsed.purgedAt,
          cutoff: r.parsed.cutoff,
          entry_count: r.parsed.count,
          body: r.body,
          signature: r.signature,
          received_at: now,
        })
        .execute();
      known.set(r.parsed.n, { n: r.parsed.n, body: r.body, signature: r.signature });
      stored++;
    }
    return { stored, duplicates };
  });
}

/** A facility's receipts purged in [from, to), for inspectors; every query is audit-logged. */
export async function facilityReceipts(db: Db, clock: Clock, who: PersonPrincipal, q: { facilityId: string; from: number; to: number }) {
  if (!(q.from < q.to) || q.to - q.from > MAX_RECEIPT_WINDOW_MS) throw receiptErrors.windowInvalid();
  const facility = await db.selectFrom('facilities').select(['id', 'name']).where('id', '=', q.facilityId).executeTakeFirst();
  const rows = facility
    ? await db
        .selectFrom('deletion_receipts')
        .select(['kiosk_id', 'n', 'purge_date', 'purged_at', 'cutoff', 'entry_count', 'body', 'signature', 'received_at'])
        .where('facility_id', '=', q.facilityId)
        .where('purged_at', '>=', q.from)
        .where('purged_at', '<', q.to)
        .orderBy('purged_at')
        .orderBy('kiosk_id')
        .orderBy('n')
        .limit(10_000)
        .execute()
    : [];
  await db
    .insertInto('audit_log')
    .values({ id: randomUUID(), at: clock(), actor_id: who.tokenId, actor_name: who.name, action: 'deletion-receipts', params: JSON.stringify(q), result_count: rows.length })
    .execute();
  if (!facility) throw apiErrors.facilityNotFound();
  const keys = await db
    .selectFrom('kiosk_receipt_keys')
    .select(['kiosk_id', 'public_key'])
    .where(
      'kiosk_id',
      'in',
      [...new Set(rows.map((r) => r.kiosk_id)), ''],
    )
    .execute();
  return {
    facility: { id: facility.id, name: facility.name },
    /** Each kiosk's pinned receipt public key: what an inspector checks the signatures with. */
    kioskKeys: keys.map((k) => ({ kioskId: k.kiosk_id, publicKey: k.public_key })),
    receipts: rows.map((r) => ({
      kioskId: r.kiosk_id,
      n: r.n,
      date: r.purge_date,
      purgedAt: r.purged_at,
      cutoff: r.cutoff,
      count: r.entry_count,
      receivedAt: r.received_at,
      body: r.body,
      signature: r.signature,
    })),
  };
}
