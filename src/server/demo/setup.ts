// Runs in the central API (Node), with --demo only. A demo world on a real server: issuers
// 네이버/카카오/PASS with demo keys kept beside the database, a demo facility, an admin token
// and a fresh one-time enrollment code for a kiosk.
import type { Kysely } from 'kysely';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import { DAY_MS } from '../../core/clock';
import { generateKeyPair, publicKeyToBase64url, readPrivateKeyFile, writePrivateKeyFile } from '../../core/kp1';
import { DEMO_ISSUERS, DEMO_KEY_ID } from '../../core/app/demoAuthority';
import { issueApiToken } from '../auth';
import type { ServerSchema } from '../db/schema';
import { createEnrollmentCode, createFacility } from '../facilities';
import { addIssuer, addIssuerKey } from '../trust';

// The same three demo issuers as the kiosk's standalone demo, so screens and voices match.
export { DEMO_ISSUERS, DEMO_KEY_ID };
const DEMO_FACILITY = { name: '문지기 데모 의원', address: '서울특별시 종로구 세종대로 1', businessNo: '220-81-62517', jurisdiction: '서울특별시 종로구' };

export interface DemoWorld {
  facilityId: string;
  enrollmentCode: string;
  adminToken: string;
  issuerKeys: Map<number, KeyObject>;
}

export async function setupDemo(db: Kysely<ServerSchema>, clock: Clock, demoDir: string): Promise<DemoWorld> {
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const issuerKeys = new Map<number, KeyObject>();
  for (const issuer of DEMO_ISSUERS) {
    const path = join(demoDir, `issuer-${issuer.code}.key.pem`);
    const known = await db.selectFrom('issuers').select('code').where('code', '=', issuer.code).executeTakeFirst();
    if (!known) await addIssuer(db, clock, issuer);
    const hasKey = await db.selectFrom('issuer_keys').select('key_id').where('issuer_code', '=', issuer.code).where('key_id', '=', DEMO_KEY_ID).executeTakeFirst();
    if (!hasKey || !existsSync(path)) {
      if (hasKey) throw new Error(`demo issuer ${issuer.code} has a key in the database but its private key file is missing: ${path}`);
      const pair = generateKeyPair();
      writePrivateKeyFile(path, pair.privateKey);
      await addIssuerKey(db, clock, { issuerCode: issuer.code, keyId: DEMO_KEY_ID, publicKey: publicKeyToBase64url(pair.publicKey), notBefore: clock() - DAY_MS, notAfter: clock() + 730 * DAY_MS });
    }
    issuerKeys.set(issuer.code, readPrivateKeyFile(path));
  }
  const existing = await db.selectFrom('facilities').select('id').where('business_no', '=', DEMO_FACILITY.businessNo.replace(/-/g, '')).executeTakeFirst();
  const facilityId = existing?.id ?? (await createFacility(db, clock, DEMO_FACILITY)).id;
  const { code } = await createEnrollmentCode(db, clock, facilityId);
  const { token } = await issueApiToken(db, clock, 'admin', 'demo admin');
  return { facilityId, enrollmentCode: code, adminToken: token, issuerKeys };
}
