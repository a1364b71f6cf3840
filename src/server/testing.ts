// Runs in Node tests and benchmarks only. Fixtures for the central API: a server over a
// given database with an admin token, a facility, and enrolled kiosks that sign requests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, publicKeyToBase64url } from '../core/kp1';
import type { Clock } from '../core/clock';
import { silentLogger } from '../core/log';
import type { Logger } from '../core/log';
import { signedHeaders } from '../core/sync/requestSignature';
import { createServer } from './app';
import { issueApiToken } from './auth';
import type { ServerDb } from './db/open';
import { createEnrollmentCode, createFacility } from './facilities';
import { addIssuer, addIssuerKey, ensureAuthority } from './trust';
import type { AuthorityInfo } from './trust';

const YEAR_MS = 365 * 86_400_000;

/**
 * What a kiosk needs to verify tokens against this server: the authority key pair, the test
 * issuer (code 2, 카카오) and one issuer key (id 1) valid from a day ago for a year.
 */
export async function seedTrust(db: ServerDb, clock: Clock, issuerPublicKey: KeyObject): Promise<AuthorityInfo> {
  const authority = await ensureAuthority(db.db, clock);
  await addIssuer(db.db, clock, { code: 2, name: 'kakao', displayName: '카카오' });
  await addIssuerKey(db.db, clock, {
    issuerCode: 2,
    keyId: 1,
    publicKey: publicKeyToBase64url(issuerPublicKey),
    notBefore: clock() - 86_400_000,
    notAfter: clock() + YEAR_MS,
  });
  return authority;
}

/** A valid 사업자등록번호 (check digit correct) for fixtures. */
export const TEST_BUSINESS_NO = '220-81-62517';

export interface TestKiosk {
  kioskId: string;
  facilityId: string;
  privateKey: KeyObject;
  /** Signs and injects one request as this kiosk. */
  request(method: 'GET' | 'POST', url: string, body?: unknown, opts?: { nonce?: string; now?: number }): Promise<LightMyRequestResponse>;
}

export interface TestServer {
  app: FastifyInstance;
  adminToken: string;
  investigatorToken: string;
  facilityId: string;
  enrollKiosk(facilityId?: string): Promise<TestKiosk>;
}

export async function startTestServer(db: ServerDb, clock: Clock, logger: Logger = silentLogger): Promise<TestServer> {
  const app = await createServer({ db, clock, logger });
  const adminToken = (await issueApiToken(db.db, clock, 'admin', 'test admin')).token;
  const investigatorToken = (await issueApiToken(db.db, clock, 'investigator', 'test investigator')).token;
  const facility = await createFacility(db.db, clock, { name: '테스트 의원', address: '서울특별시 강남구 테헤란로 1', businessNo: TEST_BUSINESS_NO, jurisdiction: '서울특별시 강남구' });

  async function enrollKiosk(facilityId = facility.id): Promise<TestKiosk> {
    const { code } = await createEnrollmentCode(db.db, clock, facilityId);
    const pair = generateKeyPair();
    const res = await app.inject({ method: 'POST', url: '/v1/kiosks/enroll', payload: { code, publicKey: publicKeyToBase64url(pair.publicKey), label: 'test kiosk' } });
    if (res.statusCode !== 200) throw new Error(`enroll failed: ${res.statusCode} ${res.body}`);
    const { kioskId } = res.json<{ kioskId: string }>();
    return {
      kioskId,
      facilityId,
      privateKey: pair.privateKey,
      request(method, url, body, opts = {}) {
        const payload = body === undefined ? '' : JSON.stringify(body);
        const headers = signedHeaders({ kioskId, privateKey: pair.privateKey, method, path: url, body: payload, now: opts.now ?? clock(), ...(opts.nonce ? { nonce: opts.nonce } : {}) });
        return app.inject({ method, url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload }) });
      },
    };
  }

  return { app, adminToken, investigatorToken, facilityId: facility.id, enrollKiosk };
}
