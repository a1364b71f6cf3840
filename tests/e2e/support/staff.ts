// Runs in the Playwright test process (Node). Staff accounts for the Chromium tests: a central
// API on loopback (SQLite in a temp dir) that trusts the shared test CA and serves its CRL from
// memory (no traffic leaves the machine), the development host pointed at it with a temp copy
// of the shared NPKI folder as the only place certificates are looked for, and the steps by
// which a person signs up with a 공동인증서, gets a role approved and logs in in the browser.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../../src/core/log';
import { unlockCertificate } from '../../../src/core/npki';
import type { NpkiMaterial } from '../../../src/core/npki/testSupport';
import { CURRENT_CONSENT, signingMessage } from '../../../src/shared/accounts';
import type { AccountRole } from '../../../src/shared/accounts';
import { grantRoleDirectly } from '../../../src/server/accounts/bootstrap';
import { loadCertificates } from '../../../src/server/accounts/certificates';
import type { ServerOptions } from '../../../src/server/app';
import { createServer } from '../../../src/server/app';
import { openServerDb } from '../../../src/server/db/open';
import type { ServerDb } from '../../../src/server/db/open';
import { spawnDevhost } from './devhost';
import type { RunningDevhost } from './devhost';

/** The password of every certificate in the shared NPKI test material. */
export const STAFF_PASSWORD = 'Test1234!';

export interface StaffSetup {
  mat: NpkiMaterial;
  tmp: string;
  db: ServerDb;
  api: FastifyInstance;
  apiUrl: string;
  /** The kiosk in the browser (the development host), its accounts client pointed at `apiUrl`. */
  hostUrl: string;
  devhost: RunningDevhost;
  /** The temp NPKI folder the kiosk looks in (tests may write more certificates into it). */
  npkiRoot: string;
  /** Requests the central API has received so far. */
  requests(): number;
  /** POSTs JSON to the central API, with a bearer token when given. */
  post(path: string, body: unknown, token?: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A person's certificate and key, unlocked for signing over the API. */
export interface StaffKey {
  certDer: Buffer;
  key: KeyObject;
  spkiSha256: string;
}

export async function startStaffSetup(opts: {
  mat: NpkiMaterial;
  /** Temp directory prefix, e.g. 'munjigi-accounts-e2e-'. */
  prefix: string;
  /** Extra routes on the central API; called with the opened database. */
  plugins?: (db: ServerDb) => NonNullable<ServerOptions['plugins']>;
  /** Extra development-host arguments (e.g. a shorter --accounts-refresh-ms). */
  devhostArgs?: string[];
}): Promise<StaffSetup> {
  const { mat } = opts;
  const tmp = mkdtempSync(join(tmpdir(), opts.prefix));
  const npkiRoot = join(tmp, 'NPKI');
  cpSync(join(mat.root, 'NPKI'), npkiRoot, { recursive: true });
  let db: ServerDb | null = null;
  let api: FastifyInstance | null = null;
  let devhost: RunningDevhost | null = null;
  const close = async () => {
    await devhost?.stop();
    await api?.close();
    await db?.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    db = await openServerDb({ file: join(tmp, 'server.db') });
    const crl = readFileSync(mat.crl);
    api = await createServer({
      db,
      clock: Date.now,
      logger: silentLogger,
      accounts: { anchors: loadCertificates([mat.trustAnchor]), intermediates: loadCertificates([mat.intermediate]), fetchCrl: async () => crl, audience: 'munjigi-e2e' },
      plugins: opts.plugins?.(db) ?? [],
    });
    let requests = 0;
    api.addHook('onRequest', async () => {
      requests++;
    });
    const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    devhost = await spawnDevhost(['--data', join(tmp, 'kiosk'), '--port', '0', '--accounts-api', apiUrl, '--npki-root', npkiRoot, ...(opts.devhostArgs ?? [])]);
    const post = async (path: string, body: unknown, token?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return res.json() as Promise<Record<string, unknown>>;
    };
    return { mat, tmp, db, api, apiUrl, hostUrl: devhost.url, devhost, npkiRoot, requests: () => requests, post, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Unlocks the shared material's certificate whose holder name starts with `holder` (e.g. '홍길동'). */
export async function staffKey(mat: NpkiMaterial, holder: string): Promise<StaffKey> {
  const id = mat.identities.find((i) => i.subjectCN.startsWith(holder) && i.kind === 'personal' && !i.expired && !i.revoked);
  if (!id) throw new Error(`no usable certificate of ${holder} in the shared NPKI material`);
  const dir = join(mat.root, id.dir);
  const { cert, key } = await unlockCertificate({ certPath: join(dir, 'signCert.der'), keyPath: join(dir, 'signPri.key'), password: Buffer.from(id.password) });
  return { certDer: cert.der, key: key.privateKey, spkiSha256: cert.spkiSha256 };
}

export interface StaffPerson {
  role: AccountRole;
  /** The person's institution (e.g. 'clinic-example-gangnam'); its 관할 보건소 approves. */
  institution: string;
  /** Holder name of the certificate in the shared material (default 홍길동). */
  holder?: string;
  /** Default: 'hong.gildong' for 홍길동, else derived from the certificate serial. */
  loginId?: string;
  /** A certificate the test made itself instead of one of the shared material. */
  key?: StaffKey;
}

const loginIdOf = (p: StaffPerson, holder: string) => p.loginId ?? (holder === '홍길동' ? 'hong.gildong' : 'staff.' + (p.key?.spkiSha256 ?? holder).slice(0, 8));

/**
 * Signs the person up over the API with their own key (what the sign-up wizard does; the
 * accounts e2e covers its screens), then the role is approved (granted by the operator, as the
 * bootstrap command does). Returns the key and login id.
 */
export async function signUpAndApprove(setup: StaffSetup, person: StaffPerson): Promise<StaffKey & { loginId: string; holder: string }> {
  const holder = person.holder ?? '홍길동';
  const loginId = loginIdOf(person, holder);
  const key = person.key ?? (await staffKey(setup.mat, holder));
  const { nonce, audience } = (await setup.post('/v1/accounts/challenge', { purpose: 'signup' })) as { nonce: string; audience: string };
  const consent = { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: Date.now() };
  const user = { name: holder, loginId, institutionId: person.institution, mobile: '010-2222-3333', officePhone: '02-3423-5555' };
  const payload = { consent, user, roles: [person.role], approverId: null, spkiSha256: key.spkiSha256 };
  const signature = sign('sha256', Buffer.from(signingMessage('signup', audience, nonce, payload)), key.key).toString('base64');
  const res = await setup.post('/v1/accounts/signup', { consent, certificate: key.certDer.toString('base64'), user, roles: [person.role], nonce, signature });
  if (res.status !== 'pending') throw new Error(`sign-up failed: ${JSON.stringify(res)}`);
  await grantRoleDirectly(setup.db.db, Date.now, { loginId, role: person.role, operator: 'e2e', reason: 'e2e 초기 권한' });
  return { ...key, loginId, holder };
}

/** The 인증서 선택 row of a holder (optionally the one valid until `notAfter`, YYYY-MM-DD). */
export const certRow = (page: Page, holder: string, notAfter?: string) =>
  page.locator(`[data-testid="cert-row"][data-holder="${holder}"]${notAfter ? `[data-not-after="${notAfter}"]` : ''}`);

/** Opens the staff panel signed out (main keeps one staff session for the kiosk across pages). */
export async function openAccountsSignedOut(page: Page, hostUrl: string): Promise<void> {
  await page.goto(hostUrl);
  await page.getByTestId('open-accounts').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-ready', 'true');
  if ((await page.getByTestId('accounts').getAttribute('data-signed-in')) === 'true') await page.getByTestId('accounts-logout').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'false');
}

/** 로그인 in the open staff panel: login id, the holder's certificate, its password. */
export async function loginInPanel(page: Page, who: { loginId: string; holder: string; password?: string }): Promise<void> {
  await page.getByTestId('accounts-login').click();
  await page.getByTestId('login-id').fill(who.loginId);
  await certRow(page, who.holder).click();
  await page.getByTestId('cert-password').fill(who.password ?? STAFF_PASSWORD);
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'true');
}

/** Opens the staff panel and logs in unless a staff session is already open (main keeps one per kiosk). */
export async function openAccountsAs(page: Page, hostUrl: string, who: { loginId: string; holder: string; password?: string }): Promise<void> {
  await page.goto(hostUrl);
  await page.getByTestId('open-accounts').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-ready', 'true');
  if ((await page.getByTestId('accounts').getAttribute('data-signed-in')) !== 'true') await loginInPanel(page, who);
}

/** Sign-up over the API, the role approved, then logged in in the browser's staff panel. */
export async function signUpApproveAndLogin(page: Page, setup: StaffSetup, person: StaffPerson) {
  const staff = await signUpAndApprove(setup, person);
  await openAccountsSignedOut(page, setup.hostUrl);
  await loginInPanel(page, { loginId: staff.loginId, holder: staff.holder });
  return staff;
}
