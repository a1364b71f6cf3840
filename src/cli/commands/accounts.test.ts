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

describe('munjigi accounts institution-*', () => {
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-inst-cli-'));
    file = join(dir, 'server.db');
    const db = await openServerDb({ file });
    await db.close();
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a 보건소 and a clinic under it, changes and deactivates them, refusing bad input with codes and keeping the audit', async () => {
    const add = ['accounts', 'institution-add', '--db', file, '--operator', 'ops'];
    const hc = [...add, '--id', 'hc-busan-haeundae', '--name', '해운대구보건소', '--kind', 'health_center', '--sido', '부산광역시', '--sigungu', '해운대구', '--phone', '051-749-7500'];
    for (const [args, code] of [
      [['accounts', 'institution-add', '--db', file, '--id', 'hc-x-y', '--operator', ''], 'BAD_OPERATOR'],
      [['accounts', 'institution-add', '--db', file, '--operator', 'ops'], 'BAD_ID'],
      [[...add, '--id', 'hc-x-y', '--name', '엑스보건소', '--kind', 'health_center', '--sido', '부산', '--sigungu', '해운대구'], 'VALIDATION_FAILED'],
      [[...add, '--id', 'clinic-x', '--name', '엑스의원', '--kind', 'clinic', '--sido', '부산광역시', '--sigungu', '해운대구', '--health-center', 'hc-nowhere'], 'HEALTH_CENTER_INVALID'],
      [['accounts', 'institution-deactivate', '--db', file, '--id', 'hc-busan-haeundae', '--operator', 'ops'], 'VALIDATION_FAILED'],
      [['accounts', 'institutions', '--db', file, '--kind', 'hospital'], 'VALIDATION_FAILED'],
      [['accounts', 'institutions', '--db', file, '--bogus'], ''],
    ] as Array<[string[], string]>) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.err, args.join(' ')).toContain(code);
    }
    const made = await runCli(hc);
    expect(made.code, made.err).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ id: 'hc-busan-haeundae', healthCenterId: 'hc-busan-haeundae', active: true });
    expect((await runCli(hc)).err).toContain('INSTITUTION_EXISTS');
    const clinic = await runCli([...add, '--id', 'clinic-haeundae-1', '--name', '해운대예시의원', '--kind', 'clinic', '--sido', '부산광역시', '--sigungu', '해운대구', '--health-center', 'hc-busan-haeundae']);
    expect(clinic.code, clinic.err).toBe(0);
    const upd = await runCli(['accounts', 'institution-update', '--db', file, '--id', 'clinic-haeundae-1', '--phone', '051-123-4567', '--operator', 'ops', '--reason', '번호 확인']);
    expect(JSON.parse(upd.out)).toMatchObject({ phone: '051-123-4567' });
    expect((await runCli(['accounts', 'institution-deactivate', '--db', file, '--id', 'hc-busan-haeundae', '--operator', 'ops', '--reason', '통합'])).err).toContain('INSTITUTION_IN_USE');
    const off = await runCli(['accounts', 'institution-deactivate', '--db', file, '--id', 'clinic-haeundae-1', '--operator', 'ops', '--reason', '폐업']);
    expect(JSON.parse(off.out)).toMatchObject({ active: false });
    const listed = (await runCli(['accounts', 'institutions', '--db', file, '--q', '해운대', '--include-inactive'])).out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; active: boolean });
    expect(listed.map((i) => [i.id, i.active]).sort()).toEqual([['clinic-haeundae-1', false], ['hc-busan-haeundae', true]]);
    const db = await openServerDb({ file });
    try {
      const events = await db.db.withTables<{ institution_events: { institution_id: string; action: string; actor_id: string } }>().selectFrom('institution_events').select(['institution_id', 'action', 'actor_id']).execute();
      expect(events.filter((e) => e.institution_id === 'clinic-haeundae-1').map((e) => e.action)).toEqual(['create', 'update', 'deactivate']);
      expect(events.every((e) => e.actor_id === 'operator:ops')).toBe(true);
    } finally {
      await db.close();
    }
  });
});
