// Runs in vitest (Node). `munjigi accounts grant-role`: bad input exits 2 with a stable code and
// writes nothing; a signed-up account gets the role, audited under the operator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../../server/db/open';
import type { ServerDb } from '../../server/db/open';
import { runCli } from '../testing';

describe('munjigi accounts grant-role', () => {
  let dir = '';
  let file = '';
  let db: ServerDb;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-acct-cli-'));
    file = join(dir, 'server.db');
    db = await openServerDb({ file });
    await db.db
      .insertInto('institutions')
      .values({ id: 'hc-seoul-gangnam', name: '강남구보건소', kind: 'health_center', sido: '서울특별시', sigungu: '강남구', phone: null, health_center_id: 'hc-seoul-gangnam' })
      .execute();
    await db.db
      .insertInto('users')
      .values({
        id: '00000000-0000-4000-8000-000000000001', login_id: 'adminkim', name: '김관리', institution_id: 'hc-seoul-gangnam', department: null, mobile: '010-0000-0000',
        office_phone: '02-000-0000', status: 'pending', cert_spki_sha256: 'a'.repeat(64), cert_der: 'AA==', cert_subject: 'CN=x', cert_serial: '1', cert_not_after: 0,
        consent_version: '2026-1', consent_sha256: 'b'.repeat(64), consent_agreed_at: 0, consent_received_at: 0, created_at: 0,
      })
      .execute();
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad input with stable codes', async () => {
    const base = ['accounts', 'grant-role', '--db', file, '--login-id', 'adminkim', '--operator', 'ops', '--reason', '초기 관리자'];
    for (const [args, code] of [
      [['accounts', 'nope'], 'UNKNOWN_SUBCOMMAND'],
      [[...base, '--role', 'root'], 'BAD_ROLE'],
      [['accounts', 'grant-role', '--db', file, '--login-id', 'X', '--role', 'system_admin', '--operator', 'o', '--reason', 'r'], 'BAD_LOGIN_ID'],
      [['accounts', 'grant-role', '--db', file, '--login-id', 'nobody1', '--role', 'system_admin', '--operator', 'o', '--reason', 'r'], 'USER_NOT_FOUND'],
    ] as Array<[string[], string]>) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.err, args.join(' ')).toContain(code);
    }
    expect(await db.db.selectFrom('user_roles').selectAll().execute()).toEqual([]);
  });

  it('grants the role and records it in the audit trail', async () => {
    const run = await runCli(['accounts', 'grant-role', '--db', file, '--login-id', 'adminkim', '--role', 'system_admin', '--operator', 'ops', '--reason', '초기 관리자']);
    expect(run.code, run.err).toBe(0);
    expect(await db.db.selectFrom('user_roles').select(['role', 'granted_by']).execute()).toEqual([{ role: 'system_admin', granted_by: 'operator:ops' }]);
    expect((await db.db.selectFrom('role_request_events').select(['action', 'comment']).execute())[0]).toEqual({ action: 'grant', comment: '초기 관리자' });
    expect((await db.db.selectFrom('users').select('status').executeTakeFirstOrThrow()).status).toBe('active');
  });
});
