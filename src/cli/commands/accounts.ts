// Runs in Node. `munjigi accounts`: operator tools for staff accounts on the central server
// database. grant-role makes the first 시스템관리자 (nobody can approve them) or fixes an
// account; it is recorded in the role request audit trail under the operator's name.
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock';
import { ROLES } from '../../shared/accounts';
import type { AccountRole } from '../../shared/accounts';
import { grantRoleDirectly } from '../../server/accounts/bootstrap';
import { openServerDb } from '../../server/db/open';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { dbOptions, dbTarget } from './server';

export const command: Command = {
  name: 'accounts',
  summary: 'staff account tools (grant-role: the first system administrator)',
  usage: `Usage:
  munjigi accounts grant-role --login-id ID --role ROLE --operator NAME --reason TEXT [--db FILE | --database-url URL]
      grants ROLE (${ROLES.join(', ')}) to a signed-up account without a request; audited`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'grant-role') throw new UsageError('UNKNOWN_SUBCOMMAND', `accounts 다음에는 grant-role 을 써 주세요${sub ? ` (받은 값: ${sub.slice(0, 40)})` : ''}.`);
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
    const operator = (values.operator ?? '').trim();
    const reason = (values.reason ?? '').trim();
    if (operator.length < 1 || operator.length > 80) throw new UsageError('BAD_OPERATOR', '--operator 에 작업자 이름(1~80자)을 지정해 주세요.');
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
