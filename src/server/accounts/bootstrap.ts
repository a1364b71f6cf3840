// Runs in the central API and the CLI (Node). Grants a role without a request, for the first
// system administrator (who has no one to approve them) and for operators fixing an account.
// Recorded in the audit trail as a request approved by the operator.
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { AccountRole } from '../../shared/accounts';
import type { ServerSchema } from '../db/schema';
import { accountErrors, recordEvent } from './service';

export async function grantRoleDirectly(db: Kysely<ServerSchema>, clock: Clock, opts: { loginId: string; role: AccountRole; operator: string; reason: string }) {
  const user = await db.selectFrom('users').select(['id', 'institution_id']).where('login_id', '=', opts.loginId).executeTakeFirst();
  if (!user) throw accountErrors.userNotFound();
  const now = clock();
  const actor = `operator:${opts.operator}`;
  return db.transaction().execute(async (trx) => {
    // A pending request for the same role is the one granted; otherwise the grant gets its own record.
    const pending = await trx.selectFrom('role_requests').select('id').where('user_id', '=', user.id).where('role', '=', opts.role).where('state', '=', 'pending').executeTakeFirst();
    const id = pending?.id ?? randomUUID();
    if (pending) {
      await trx.updateTable('role_requests').set({ state: 'approved', decided_at: now, decided_by: actor, comment: opts.reason }).where('id', '=', id).execute();
    } else {
      await trx
        .insertInto('role_requests')
        .values({ id, user_id: user.id, role: opts.role, approver_id: user.institution_id, state: 'approved', requested_at: now, expires_at: now, decided_at: now, decided_by: actor, comment: opts.reason, signed_message: '', signature: '' })
        .execute();
    }
    await trx.insertInto('user_roles').values({ user_id: user.id, role: opts.role, granted_at: now, granted_by: actor, request_id: id }).onConflict((oc) => oc.columns(['user_id', 'role']).doNothing()).execute();
    await trx.updateTable('users').set({ status: 'active' }).where('id', '=', user.id).where('status', '=', 'pending').execute();
    await recordEvent(trx, clock, { requestId: id, actorId: actor, actorName: opts.operator, action: 'grant', from: pending ? 'pending' : null, to: 'approved', comment: opts.reason });
    return { userId: user.id, requestId: id };
  });
}
