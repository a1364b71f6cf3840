// Runs in Node (vitest). The central API set up for the staff-accounts tests on either engine:
// trusting the shared test CA, its CRL fetched only from loopback (a test can swap the CRL,
// count fetches and simulate an outage), a temp SQLite file or a fresh PostgreSQL database,
// and the tear-down; plus unlocking a person's certificate and the signed request helpers.
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { unlockCertificate } from '../../../src/core/npki';
import type { NpkiCertificate } from '../../../src/core/npki';
import type { NpkiMaterial } from '../../../src/core/npki/testSupport';
import type { SigningPurpose } from '../../../src/shared/accounts';
import { loadCertificates } from '../../../src/server/accounts/certificates';
import type { ServerOptions } from '../../../src/server/app';
import { createServer } from '../../../src/server/app';
import { openServerDb } from '../../../src/server/db/open';
import type { ServerDb } from '../../../src/server/db/open';
import { startPostgres } from '../../support/postgres';
import type { TestPostgres } from '../../support/postgres';

/** What the CRL distribution point answers: swap `body`, read `fetches`, set `down` for an outage. */
export interface CrlControl {
  body: Buffer;
  fetches: number;
  down: boolean;
}

/** A person's certificate and key, unlocked for signing requests. */
export interface Person {
  certB64: string;
  cert: NpkiCertificate;
  key: KeyObject;
}

export interface AccountsServer {
  db: ServerDb;
  app: FastifyInstance;
  crl: CrlControl;
  close(): Promise<void>;
}

/** The accounts policy of the test servers: the shared test CA, CRL from `crl`, loopback URLs only. */
export function testAccountsPolicy(mat: NpkiMaterial, crl: CrlControl): NonNullable<ServerOptions['accounts']> {
  return {
    anchors: loadCertificates([mat.trustAnchor]),
    intermediates: loadCertificates([mat.intermediate]),
    fetchCrl: async (url) => {
      crl.fetches++;
      if (crl.down) throw new Error('unreachable');
      if (!url.startsWith('http://127.0.0.1')) throw new Error('only loopback in tests');
      return crl.body;
    },
    audience: 'munjigi-test',
  };
}

/** A server over a temp SQLite file (`engine: 'sqlite'`) or a database `name` in a fresh PostgreSQL. */
export async function startAccountsServer(opts: { mat: NpkiMaterial; engine: 'sqlite' | 'pg'; name: string; clock: Clock }): Promise<AccountsServer> {
  let dir = '';
  let pg: TestPostgres | undefined;
  let db: ServerDb | undefined;
  let app: FastifyInstance | undefined;
  const close = async () => {
    await app?.close();
    await db?.close();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (opts.engine === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), `munjigi-${opts.name}-`));
      db = await openServerDb({ file: join(dir, 'server.db') });
    } else {
      pg = await startPostgres();
      db = await openServerDb({ url: pg.createDatabase(opts.name.replace(/-/g, '_')) });
    }
    const crl: CrlControl = { body: readFileSync(opts.mat.crl), fetches: 0, down: false };
    app = await createServer({ db, clock: opts.clock, logger: silentLogger, accounts: testAccountsPolicy(opts.mat, crl) });
    return { db, app, crl, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Unlocks the shared material's first certificate whose holder name starts with `holder`, or the one `pick` chooses. */
export async function unlockPerson(mat: NpkiMaterial, holder: string | ((i: NpkiMaterial['identities'][number]) => boolean)): Promise<Person> {
  const id = mat.identities.find(typeof holder === 'string' ? (i) => i.subjectCN.startsWith(holder) : holder);
  if (!id) throw new Error(`no certificate for ${String(holder)} in the shared NPKI material`);
  const base = join(mat.root, id.dir);
  const { cert, key } = await unlockCertificate({ certPath: join(base, 'signCert.der'), keyPath: join(base, 'signPri.key'), password: Buffer.from(id.password) });
  return { certB64: cert.der.toString('base64'), cert, key: key.privateKey };
}

/** Requests against the server `app()` returns (it is made in beforeAll), with an optional bearer token. */
export function accountsRequests(app: () => FastifyInstance) {
  const auth = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
  const post = (url: string, payload: unknown, token?: string) => app().inject({ method: 'POST', url, payload: payload as object, headers: auth(token) });
  const get = (url: string, token?: string) => app().inject({ method: 'GET', url, headers: auth(token) });
  return {
    post,
    get,
    challenge: async (purpose: SigningPurpose) => (await post('/v1/accounts/challenge', { purpose })).json<{ nonce: string; audience: string }>(),
    signB64: (p: Person, message: string) => sign('sha256', Buffer.from(message, 'utf8'), p.key).toString('base64'),
    /** The error code of an answer, if any. */
    code: (res: { json: () => unknown }) => (res.json() as { error?: { code: string } }).error?.code,
  };
}
