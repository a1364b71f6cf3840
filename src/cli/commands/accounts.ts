// Runs in Node. `munjigi accounts`: operator tools for staff accounts on the central server
// database. grant-role makes the first 시스템관리자 (nobody can approve them) or fixes an
// account; it is recorded in the role request audit trail under the operator's name. The
// institution-* subcommands manage the institution directory before any 시스템관리자 exists
// (e.g. the 보건소 of another 시도), through the same code and audit as the admin routes.
import { parseArgs } from '../args';
import type { z } from 'zod';
import { systemClock } from '../../core/clock';
import { silentLogger } from '../../core/log';
import { INSTITUTION_KINDS, ROLES, adminInstitutionQuery, institutionCreate, institutionStatusChange, institutionUpdate } from '../../shared/accounts';
import type { AccountRole } from '../../shared/accounts';
import { grantRoleDirectly } from '../../server/accounts/bootstrap';
import { createDirectoryAdmin } from '../../server/directory/admin';
import type { DirectoryAdmin } from '../../server/directory/admin';
import { openServerDb } from '../../server/db/open';
import type { CliIo, Command } from '../io';
import { UsageError, writeLine } from '../io';
import { dbOptions, dbTarget } from './server';

const SUBCOMMANDS = ['grant-role', 'institutions', 'institution-add', 'institution-update', 'institution-deactivate', 'institution-reactivate'] as const;

const institutionOptions = {
  id: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  sido: { type: 'string' },
  sigungu: { type: 'string' },
  phone: { type: 'string' },
  'health-center': { type: 'string' },
  operator: { type: 'string' },
  reason: { type: 'string' },
} as const;

/** Checks with the route's own schema, so the CLI and the API refuse the same things. */
function checked<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError('VALIDATION_FAILED', `입력값이 올바르지 않습니다: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}

function operatorOf(values: { operator?: string | undefined }) {
  const operator = (values.operator ?? '').trim();
  if (operator.length < 1 || operator.length > 80) throw new UsageError('BAD_OPERATOR', '--operator 에 작업자 이름(1~80자)을 지정해 주세요.');
  return { id: `operator:${operator}`, name: operator };
}

async function withDirectory<T>(values: { db?: string | undefined; 'database-url'?: string | undefined }, io: CliIo, use: (d: DirectoryAdmin) => Promise<T>): Promise<T> {
  const db = await openServerDb(dbTarget(values, io));
  try {
    return await use(createDirectoryAdmin({ db: db.db, clock: systemClock, logger: silentLogger }));
  } finally {
    await db.close();
  }
}

async function institutionCommand(sub: (typeof SUBCOMMANDS)[number], rest: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: { ...dbOptions, ...institutionOptions, q: { type: 'string' }, 'include-inactive': { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const id = values.id?.trim();
  if (sub === 'institutions') {
    const q = checked(adminInstitutionQuery, { q: values.q, kind: values.kind, includeInactive: values['include-inactive'] ? 'true' : undefined });
    const list = await withDirectory(values, io, (d) => d.list(q));
    for (const inst of list) writeLine(io.stdout, JSON.stringify(inst));
    return 0;
  }
  if (!id) throw new UsageError('BAD_ID', '--id 에 기관 코드를 지정해 주세요 (예: hc-gyeonggi-suwon).');
  const actor = operatorOf(values);
  const phone = values.phone === undefined ? undefined : values.phone.trim() === '' ? null : values.phone.trim();
  const result = await (async () => {
    switch (sub) {
      case 'institution-add': {
        const input = checked(institutionCreate, { id, name: values.name, kind: values.kind, sido: values.sido, sigungu: values.sigungu, phone, healthCenterId: values['health-center'] });
        return withDirectory(values, io, (d) => d.create(actor, input));
      }
      case 'institution-update': {
        const input = checked(institutionUpdate, { name: values.name, sido: values.sido, sigungu: values.sigungu, phone, healthCenterId: values['health-center'], reason: values.reason });
        return withDirectory(values, io, (d) => d.update(actor, id, input));
      }
      default: {
        const { reason } = checked(institutionStatusChange, { reason: values.reason ?? '' });
        return withDirectory(values, io, (d) => d.setActive(actor, id, sub === 'institution-reactivate', reason));
      }
    }
  })();
  writeLine(io.stdout, JSON.stringify(result));
  return 0;
}

export const command: Command = {
  name: 'accounts',
  summary: 'staff account tools (grant-role: the first system administrator; institution directory)',
  usage: `Usage:
  munjigi accounts grant-role --login-id ID --role ROLE --operator NAME --reason TEXT [--db FILE | --database-url URL]
      grants ROLE (${ROLES.join(', ')}) to a signed-up account without a request; audited
  munjigi accounts institutions [--q TEXT] [--kind KIND] [--include-inactive] [--db FILE | --database-url URL]
      one JSON line per institution
  munjigi accounts institution-add --id ID --name NAME --kind ${INSTITUTION_KINDS.join('|')} --sido 시도 --sigungu 시군구
      [--phone 02-0000-0000] [--health-center HC_ID] --operator NAME [--db FILE | --database-url URL]
  munjigi accounts institution-update --id ID [--name …] [--sido …] [--sigungu …] [--phone … ('' clears)] [--health-center …]
      --operator NAME [--reason TEXT]
  munjigi accounts institution-deactivate|institution-reactivate --id ID --operator NAME --reason TEXT
      institutions are never deleted; every change is audited under the operator`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new UsageError('UNKNOWN_SUBCOMMAND', `accounts 다음에는 ${SUBCOMMANDS.join(', ')} 중 하나를 써 주세요${sub ? ` (받은 값: ${sub.slice(0, 40)})` : ''}.`);
    }
    if (sub !== 'grant-role') return institutionCommand(sub as (typeof SUBCOMMANDS)[number], rest, io);
    const { values } = parseArgs({
      args: rest,
      options: { ...dbOptions, 'login-id': { type: 'string' }, role: { type: 'string' }, operator: { type: 'string' }, reason: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const role = values.role as AccountRole | undefined;
    if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError('BAD_ROLE', `--role 은 ${ROLES.join(', ')} 중 하나여야 합니다.`);
    const loginId = (values['login-id'] ?? '').trim();
    if (!/^[a-z][a-z0-9_.]{5,19}$/.test(loginId)) throw new UsageError('BAD_LOGIN_ID', '--login-id 에 가입한 아이디를 지정해 주세요.');
    const operator = operatorOf(values).name;
    const reason = (values.reason ?? '').trim();
    if (reason.length < 1 || reason.length > 500) throw new UsageError('BAD_REASON', '--reason 에 부여 사유(1~500자)를 지정해 주세요.');
    const db = await openServerDb(dbTarget(values, io));
    try {
      const res = await grantRoleDirectly(db.db, systemClock, { loginId, role, operator, reason });
      writeLine(io.stdout, JSON.stringify({ loginId, role, ...res }));
      return 0;
    } finally {
      await db.close();
    }
  },
};
