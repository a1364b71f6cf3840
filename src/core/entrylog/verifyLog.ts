// Runs in Node (CLI, main). Checks an entry log read-only: every receipt's signature and
// continuity, then the hash chain from the last receipt's cut to the recorded head, naming each
// entry changed, inserted or removed outside a signed purge by its chain position (seq).
import type { KeyObject } from 'node:crypto';
import { CodedError } from '../../shared/envelope';
import { GENESIS_HASH, recordHash } from './chain';
import type { ChainHead, EntryRecord } from './chain';
import { openReadOnly } from './open';
import { parseReceiptBody, publicKeyFromBase64url, receiptSignatureValid } from './receipts';

export type ProblemKind =
  | 'ENTRY_CHANGED'
  | 'ENTRY_INSERTED'
  | 'ENTRY_REMOVED'
  | 'REMOVED_WITHOUT_RECEIPT'
  | 'HEAD_MISMATCH'
  | 'RECEIPT_FORGED'
  | 'RECEIPT_MALFORMED'
  | 'RECEIPT_MISSING'
  | 'RECEIPT_DISCONTINUOUS';

export interface Problem {
  kind: ProblemKind;
  /** Chain position of the entry concerned, when it has one. */
  seq?: number | null;
  /** For removals: the first and last missing positions. */
  fromSeq?: number;
  toSeq?: number;
  entryId?: string;
  receipt?: number;
  /** Korean, for the person reading the report. */
  message: string;
}

export interface VerifyReport {
  intact: boolean;
  entries: number;
  receipts: number;
  head: ChainHead;
  /** 'option': receipts checked against the key the inspector gave; 'database': only against the key recorded in the log. */
  keySource: 'option' | 'database' | 'none';
  publicKey: string | null;
  problems: Problem[];
  /** Problems found beyond those listed (the list is capped). */
  moreProblems: number;
}

export const MAX_LISTED_PROBLEMS = 1000;

type Row = Omit<EntryRecord, 'seq'> & { seq: number | null; prev_hash: string | null; hash: string | null };

export const verifyErrors = {
  unchained: (version: number) =>
    new CodedError(
      'ENTRY_LOG_UNCHAINED',
      `이 출입 기록은 해시 체인이 없는 이전 형식입니다 (형식 ${version}). 키오스크에서 한 번 열어 변환한 뒤 다시 검사해 주세요.`,
    ),
  badKey: () => new CodedError('BAD_PUBLIC_KEY', '--public-key 값은 base64url 43자로 된 Ed25519 공개키여야 합니다.'),
};

/**
 * Verifies the entry log at path without writing to it. publicKey: the kiosk's receipt key as
 * the inspector knows it (base64url); without it, receipts are checked against the key the log
 * itself records, which proves consistency but not origin. Throws CodedError when the file
 * cannot be checked at all (ENTRY_LOG_* from opening, ENTRY_LOG_UNCHAINED, BAD_PUBLIC_KEY).
 */
export function verifyEntryLog(path: string, opts: { publicKey?: string } = {}): VerifyReport {
  let givenKey: KeyObject | null = null;
  if (opts.publicKey !== undefined) {
    givenKey = publicKeyFromBase64url(opts.publicKey);
    if (!givenKey) throw verifyErrors.badKey();
  }
  const db = openReadOnly(path);
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 2) throw verifyErrors.unchained(version);

    const problems: Problem[] = [];
    let total = 0;
    const report = (p: Problem) => {
      total++;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
    };

    // 1. Receipts: signature, numbering, and each one starting where the one before it cut.
    const receiptRows = db.prepare('SELECT id, body, signature FROM deletion_receipt ORDER BY id').all() as Array<{ id: number; body: string; signature: string }>;
    let keySource: VerifyReport['keySource'] = givenKey ? 'option' : 'none';
    let publicKeyText: string | null = opts.publicKey ?? null;
    let cut = GENESIS_HASH;
    let lastSeq = 0;
    let expectedN = 1;
    for (const row of receiptRows) {
      const body = parseReceiptBody(row.body);
      if (!body) {
        report({ kind: 'RECEIPT_MALFORMED', receipt: row.id, message: `삭제 영수증 ${row.id}번의 내용이 올바른 형식이 아닙니다.` });
        continue;
      }
      let key = givenKey;
      if (!key) {
        // Without an inspector's key, the first receipt's key stands for the log's.
        publicKeyText ??= body.publicKey;
        keySource = 'database';
        key = publicKeyFromBase64url(publicKeyText);
      }
      if (!key || body.publicKey !== publicKeyText || !receiptSignatureValid(row.body, row.signature, key)) {
        report({ kind: 'RECEIPT_FORGED', receipt: row.id, message: `삭제 영수증 ${row.id}번의 서명이 이 키오스크의 영수증 키와 맞지 않습니다 (위조 또는 변조).` });
      }
      if (body.n !== row.id || row.id !== expectedN) {
        report({ kind: 'RECEIPT_MISSING', receipt: row.id, message: `삭제 영수증 번호가 이어지지 않습니다: ${expectedN}번이 와야 할 자리에 ${row.id}번(본문 ${body.n}번)이 있습니다.` });
      }
      if (body.firstPrevHash !== cut || body.firstSeq !== lastSeq + 1 || body.count !== body.lastSeq - body.firstSeq + 1) {
        report({
          kind: 'RECEIPT_DISCONTINUOUS',
          receipt: row.id,
          fromSeq: lastSeq + 1,
          toSeq: body.firstSeq - 1,
          message: `삭제 영수증 ${row.id}번이 앞 영수증의 끝(위치 ${lastSeq})에서 이어지지 않습니다: 영수증 없이 지워진 기록이 있습니다.`,
        });
      }
      expectedN = row.id + 1;
      cut = body.cutHash;
      lastSeq = body.lastSeq;
    }

    // 2. The chain, from the last cut to the recorded head.
    const head = db.prepare('SELECT seq, hash FROM chain_head WHERE one = 1').get() as ChainHead | undefined;
    const recordedHead: ChainHead = head ?? { seq: 0, hash: GENESIS_HASH };
    if (!head) report({ kind: 'HEAD_MISMATCH', message: '체인 머리(chain_head) 기록이 없습니다.' });

    for (const r of db.prepare('SELECT * FROM entry WHERE seq IS NULL OR prev_hash IS NULL OR hash IS NULL').iterate() as IterableIterator<Row>) {
      report({ kind: 'ENTRY_INSERTED', seq: r.seq, entryId: r.id, message: `체인에 속하지 않은 출입 기록이 있습니다 (id ${r.id}): 추가되었습니다.` });
    }

    let entries = 0;
    let expectedPrev = cut;
    let expectedSeq = lastSeq + 1;
    const it = db.prepare('SELECT * FROM entry WHERE seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL ORDER BY seq').iterate() as IterableIterator<Row>;
    let next = it.next();
    while (!next.done) {
      const e = next.value;
      next = it.next();
      const after = next.done ? null : next.value;
      const seq = e.seq!;
      entries++;
      if (seq < lastSeq + 1) {
        report({ kind: 'ENTRY_INSERTED', seq, entryId: e.id, message: `위치 ${seq}의 기록은 이미 영수증과 함께 삭제된 범위에 있습니다: 추가되었거나 되살려졌습니다.` });
        continue;
      }
      if (seq > recordedHead.seq) {
        report({ kind: 'ENTRY_INSERTED', seq, entryId: e.id, message: `위치 ${seq}의 기록은 체인 머리(위치 ${recordedHead.seq}) 뒤에 있습니다: 추가되었습니다.` });
        continue;
      }
      const valid = recordHash(e.prev_hash!, e) === e.hash;
      const links = e.prev_hash === expectedPrev;
      // The one after continues from where we stand, skipping this one: this one was slipped in.
      const skippedOver = after !== null && after.prev_hash === expectedPrev && after.prev_hash !== e.hash;
      if (skippedOver) {
        report({ kind: 'ENTRY_INSERTED', seq, entryId: e.id, message: `위치 ${seq}에 체인에 없던 기록이 끼워 넣어졌습니다.` });
        continue;
      }
      if (!links) {
        if (seq > expectedSeq) {
          const atStart = expectedPrev === cut;
          report({
            kind: atStart ? 'REMOVED_WITHOUT_RECEIPT' : 'ENTRY_REMOVED',
            fromSeq: expectedSeq,
            toSeq: seq - 1,
            message: atStart
              ? `위치 ${expectedSeq}~${seq - 1}의 기록 ${seq - expectedSeq}건이 삭제 영수증 없이 지워졌습니다.`
              : `위치 ${expectedSeq}~${seq - 1}의 기록 ${seq - expectedSeq}건이 지워졌습니다.`,
          });
        } else {
          report({ kind: 'ENTRY_CHANGED', seq, entryId: e.id, message: `위치 ${seq - 1}과 ${seq} 사이의 연결이 끊겼습니다: 둘 중 하나가 바뀌었습니다.` });
        }
      } else if (seq !== expectedSeq) {
        report({ kind: 'ENTRY_CHANGED', seq, entryId: e.id, message: `위치 ${expectedSeq}의 기록 번호가 ${seq}로 바뀌었습니다.` });
      }
      if (!valid) report({ kind: 'ENTRY_CHANGED', seq, entryId: e.id, message: `위치 ${seq}의 기록 내용이 바뀌었습니다.` });
      expectedPrev = e.hash!;
      expectedSeq = seq + 1;
    }

    if (expectedSeq - 1 < recordedHead.seq) {
      report({
        kind: 'ENTRY_REMOVED',
        fromSeq: expectedSeq,
        toSeq: recordedHead.seq,
        message: `마지막 기록 위치 ${expectedSeq}~${recordedHead.seq}의 ${recordedHead.seq - expectedSeq + 1}건이 지워졌습니다.`,
      });
    } else if (expectedPrev !== recordedHead.hash) {
      report({ kind: 'HEAD_MISMATCH', seq: recordedHead.seq, message: `체인 머리(위치 ${recordedHead.seq})의 해시가 마지막 기록과 맞지 않습니다.` });
    }

    return {
      intact: total === 0,
      entries,
      receipts: receiptRows.length,
      head: recordedHead,
      keySource,
      publicKey: publicKeyText,
      problems,
      moreProblems: total - problems.length,
    };
  } finally {
    db.close();
  }
}
