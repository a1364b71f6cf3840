// Runs in the central API (Node). Session tokens for people: "mjs_<payload>.<mac>", HMAC-SHA256
// with a server key kept in the database (every API instance shares it), 15 minutes, carrying
// the account id and its roles. Nothing but the MAC is trusted; expiry uses the injected clock.
import type { Kysely } from 'kysely';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { AccountRole } from '../../shared/accounts';
import { ROLES, SESSION_TTL_MS } from '../../shared/accounts';
import { randomSecret } from '../crypto';
import type { ServerSchema } from '../db/schema';

export interface SessionClaims {
  sub: string;
  name: string;
  roles: AccountRole[];
  iat: number;
  exp: number;
}

export interface SessionKeys {
  issue(claims: { sub: string; name: string; roles: AccountRole[] }): { token: string; expiresAt: number };
  /** The claims of a valid, unexpired token, or null. */
  verify(token: string): SessionClaims | null;
}

const KEY_NAME = 'session-hmac-1';

export async function loadSessionKeys(db: Kysely<ServerSchema>, clock: Clock): Promise<SessionKeys> {
  await db
    .insertInto('server_secrets')
    .values({ name: KEY_NAME, value: randomSecret(32), created_at: clock() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', KEY_NAME).executeTakeFirstOrThrow();
  const key = Buffer.from(row.value, 'base64url');
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();

  return {
    issue({ sub, name, roles }) {
      const iat = clock();
      const exp = iat + SESSION_TTL_MS;
      const body = Buffer.from(JSON.stringify({ sub, name, roles, iat, exp })).toString('base64url');
      return { token: `mjs_${body}.${mac(body).toString('base64url')}`, expiresAt: exp };
    },
    verify(token) {
      const m = /^mjs_([A-Za-z0-9_-]{10,4000})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return null;
      const given = Buffer.from(m[2]!, 'base64url');
      const want = mac(m[1]!);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
      let claims: SessionClaims;
      try {
        claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as SessionClaims;
      } catch {
        return null;
      }
      if (typeof claims.exp !== 'number' || clock() >= claims.exp) return null;
      if (!Array.isArray(claims.roles) || !claims.roles.every((r) => (ROLES as readonly string[]).includes(r))) return null;
      return claims;
    },
  };
}
