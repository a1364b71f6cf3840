// Runs in Node. `munjigi log`: inspects a kiosk's entry log without changing it — checks the
// hash chain and the signed deletion receipts (verify), or prints the receipts (receipts).
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import { openReadOnly, parseReceiptBody, verifyEntryLog } from '../../core/entrylog';
import type { VerifyReport } from '../../core/entrylog';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { required } from '../options';

const usage = `Usage:
  munjigi log verify --db FILE [--public-key KEY] [--json]
      checks the entry log's hash chain and every signed deletion receipt, read-only, and
      names each entry changed, inserted or removed outside a purge by its position (seq)
  munjigi log receipts --db FILE
      prints the deletion receipts, one JSON object a line (no personal data)
  --public-key KEY  the kiosk's receipt public key as the inspector knows it (base64url; from
                    the kiosk status, or munjigi keys public --key <data dir>/receipt-key.pem).
                    Without it receipts are checked against the key the log itself names,
                    which shows consistency but not that this kiosk signed them.
Exit 0 if intact, 1 if tampering was found, 2 if the log cannot be checked.`;

const KIND_LABEL: Record<string, string> = {
  ENTRY_CHANGED: '변경',
  ENTRY_INSERTED: '추가',
  ENTRY_REMOVED: '삭제',
  REMOVED_WITHOUT_RECEIPT: '영수증 없는 삭제',
  HEAD_MISMATCH: '체인 머리 불일치',
  RECEIPT_FORGED: '영수증 위조',
  RECEIPT_MALFORMED: '영수증 형식 오류',
  RECEIPT_MISSING: '영수증 누락',
  RECEIPT_DISCONTINUOUS: '영수증 불연속',
};

function printHuman(report: VerifyReport, write: (line: string) => void) {
  write(`기록 ${report.entries}건, 삭제 영수증 ${report.receipts}건, 체인 머리 위치 ${report.head.seq}`);
  if (report.keySource === 'database') write('주의: --public-key 없이 기록에 적힌 키로 영수증을 확인했습니다 (일관성만 확인, 출처는 미확인).');
  if (report.intact) {
    write('결과: 무결 — 변경, 추가, 영수증 없는 삭제가 없습니다.');
    return;
  }
  write(`결과: 변조 발견 — ${report.problems.length + report.moreProblems}건`);
  for (const p of report.problems) write(`  [${p.kind} ${KIND_LABEL[p.kind] ?? ''}] ${p.message}`);
  if (report.moreProblems > 0) write(`  … 외 ${report.moreProblems}건`);
}

export const command: Command = {
  name: 'log',
  summary: 'check an entry log’s hash chain and deletion receipts (read-only)',
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      options: { db: { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError('BAD_OPTION', `알 수 없는 인자입니다: ${positionals[0]!.slice(0, 40)}`);
    const db = resolve(io.cwd, required(values.db, '--db'));

    if (action === 'verify') {
      const report = verifyEntryLog(db, { publicKey: values['public-key'] });
      if (values.json) writeLine(io.stdout, JSON.stringify(report));
      else printHuman(report, (line) => writeLine(io.stdout, line));
      return report.intact ? 0 : 1;
    }
    if (action === 'receipts') {
      if (values['public-key'] !== undefined || values.json) throw new UsageError('BAD_OPTION', 'receipts 에는 --db 만 씁니다.');
      const conn = openReadOnly(db);
      try {
        const hasTable = conn.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'deletion_receipt'").get() !== undefined;
        if (!hasTable) return 0;
        for (const r of conn.prepare('SELECT id, body, signature, sent_at FROM deletion_receipt ORDER BY id').iterate() as IterableIterator<{ id: number; body: string; signature: string; sent_at: number | null }>) {
          writeLine(io.stdout, JSON.stringify({ id: r.id, receipt: parseReceiptBody(r.body), body: r.body, signature: r.signature, sentAt: r.sent_at }));
        }
      } finally {
        conn.close();
      }
      return 0;
    }
    throw new UsageError('BAD_OPTION', 'verify 또는 receipts 중 하나를 지정해 주세요.');
  },
};
