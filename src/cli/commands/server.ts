// Runs in Node. `munjigi server`: the central API (SQLite file by default, PostgreSQL with
// --database-url or DATABASE_URL), and `munjigi server token` to issue admin/investigator tokens.
import { resolve } from 'node:path';
import { systemClock } from '../../core/clock';
import { publicKeyToBase64url, readPrivateKeyFile } from '../../core/kp1';
import { createLogger } from '../../core/log';
import { openServerDb } from '../../server/db/open';
import type { DbTarget, ServerDb } from '../../server/db/open';
import { addIssuer, addIssuerKey, currentTrustList, ensureAuthority, revokeIssuerKey } from '../../server/trust';
import { issueToken, startServer } from '../../server/start';
import type { CliIo, Command } from '../io';
import { UsageError, writeLine } from '../io';
import { parseArgs } from '../index';

const usage = `Usage:
  munjigi server [--db FILE | --database-url URL] [--port P] [--host 127.0.0.1] [--demo]
  munjigi server token --role admin|investigator --name NAME [--db FILE | --database-url URL]

  --db FILE           SQLite database file (default: munjigi-server.db in the current folder)
  --database-url URL  PostgreSQL, postgres://user@host:port/db (or the DATABASE_URL variable)
  --port P            TCP port (default 8080; 0 picks a free one)
  --host H            address to listen on (default 127.0.0.1; put a TLS proxy in front for the network)
  --demo              demo issuers (네이버/카카오/PASS), a demo facility, an enrollment code and
                      the demo issuer page at /demo/issuer

First start creates the authority root key and prints its public key: pin it in every kiosk.`;

export const dbOptions = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

export function dbTarget(values: { db?: string | undefined; 'database-url'?: string | undefined }, io: CliIo): DbTarget {
  if (values.db && values['database-url']) throw new UsageError('BAD_OPTION', '--db 와 --database-url 은 함께 쓸 수 없습니다.');
  const url = values['database-url'] ?? (values.db ? undefined : io.env.DATABASE_URL);
  if (url) {
    if (!/^postgres(ql)?:\/\/\S+$/.test(url)) throw new UsageError('BAD_DATABASE_URL', 'PostgreSQL 주소는 postgres:// 로 시작해야 합니다.');
    return { url };
  }
  return { file: values.db ?? 'munjigi-server.db' };
}

async function runToken(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...dbOptions, role: { type: 'string' }, name: { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.role !== 'admin' && values.role !== 'investigator') throw new UsageError('BAD_ROLE', '--role 은 admin 또는 investigator 여야 합니다.');
  const name = (values.name ?? '').trim();
  if (name.length < 1 || name.length > 80) throw new UsageError('BAD_NAME', '--name 에 토큰 주인의 이름(1~80자)을 지정해 주세요.');
  const { id, token } = await issueToken(dbTarget(values, io), systemClock, values.role, name);
  writeLine(io.stdout, JSON.stringify({ id, role: values.role, name, token }));
  writeLine(io.stderr, '이 토큰은 다시 표시되지 않습니다. 안전한 곳에 보관하세요.');
  return 0;
}

export const command: Command = {
  name: 'server',
  summary: 'run the central API (trust list, time, kiosks, entries, investigations)',
  usage,
  async run(argv, io) {
    if (argv[0] === 'token') return runToken(argv.slice(1), io);
    const { values } = parseArgs({
      args: argv,
      options: { ...dbOptions, port: { type: 'string' }, host: { type: 'string' }, demo: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    const port = Number(values.port ?? '8080');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('BAD_PORT', '--port 는 0~65535 정수여야 합니다.');
    const host = values.host ?? '127.0.0.1';
    const logger = createLogger({ write: (line) => io.stderr.write(line + '\n') });
    const running = await startServer({ target: dbTarget(values, io), host, port, demo: values.demo ?? false, clock: systemClock, logger });
    const auth = running.app.authority;
    writeLine(io.stdout, `munjigi central API: ${running.url}  (OpenAPI ${running.url}/openapi.json, docs ${running.url}/docs)`);
    writeLine(io.stdout, `authority root key ${auth.keyId}: ${auth.publicKey}${auth.created ? '  (new: pin this in every kiosk)' : ''}`);
    if (running.demo) {
      writeLine(io.stdout, '');
      writeLine(io.stdout, 'Demo:');
      writeLine(io.stdout, `  facility id       ${running.demo.facilityId}`);
      writeLine(io.stdout, `  enrollment code   ${running.demo.enrollmentCode}   (one use, 24 h)`);
      writeLine(io.stdout, `  admin token       ${running.demo.adminToken}`);
      writeLine(io.stdout, `  issuer page       ${running.url}/demo/issuer   (open on a phone on the same network via a proxy, or here)`);
      writeLine(io.stdout, '  Point a kiosk at it: set its central API URL to the address above, pin the root key,');
      writeLine(io.stdout, '  and enroll with the code; the kiosk then syncs entries and fetches the trust list.');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    return 0;
  },
};

// `munjigi trust add-issuer|add-key|revoke-key`: the trust list as the central server keeps
// it. Registered by src/cli/commands/trust.ts; each change re-signs the list (next sequence).
interface DbSubcommand {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

const U8 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function u8(value: string | undefined, flag: string): number {
  if (value === undefined || !U8.test(value)) throw new UsageError('BAD_OPTION', `${flag} 는 0~255 정수여야 합니다.`);
  return Number(value);
}

function isoTime(value: string | undefined, flag: string): number {
  const ms = value === undefined ? NaN : Date.parse(value);
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || !Number.isFinite(ms)) {
    throw new UsageError('BAD_OPTION', `${flag} 는 ISO 8601 시각이어야 합니다 (예: 2026-01-01T00:00:00Z).`);
  }
  return ms;
}

async function withTrustDb<T>(values: { db?: string | undefined; 'database-url'?: string | undefined }, io: CliIo, work: (db: ServerDb['db']) => Promise<T>): Promise<{ result: T; sequence: number }> {
  const db = await openServerDb(dbTarget(values, io));
  try {
    await ensureAuthority(db.db, systemClock);
    const result = await work(db.db);
    const { sequence } = await currentTrustList(db.db, systemClock);
    return { result, sequence };
  } finally {
    await db.close();
  }
}

export const trustServerSubcommands: Record<string, DbSubcommand> = {
  'add-issuer': {
    usage: `munjigi trust add-issuer --code N --name NAME --display-name TEXT [--db FILE | --database-url URL]
      admits a QR issuer to the central server's trust list (re-signed with the next sequence)`,
    async run(argv, io) {
      const { values } = parseArgs({ args: argv, options: { ...dbOptions, code: { type: 'string' }, name: { type: 'string' }, 'display-name': { type: 'string' } }, strict: true });
      const code = u8(values.code, '--code');
      const name = values.name ?? '';
      if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) throw new UsageError('BAD_OPTION', '--name 은 영문 소문자로 시작하는 64자 이하 이름이어야 합니다 (예: naver).');
      const displayName = (values['display-name'] ?? '').trim();
      if (displayName.length < 1 || displayName.length > 128) throw new UsageError('BAD_OPTION', '--display-name 에 화면에 보일 이름(1~128자)을 지정해 주세요.');
      const { sequence } = await withTrustDb(values, io, (db) => addIssuer(db, systemClock, { code, name, displayName }));
      writeLine(io.stdout, JSON.stringify({ added: { code, name, displayName }, sequence }));
      return 0;
    },
  },
  'add-key': {
    usage: `munjigi trust add-key --issuer N --key-id K (--public-key BASE64URL | --key ISSUER_PEM) --not-before ISO --not-after ISO [--db FILE | --database-url URL]
      adds an issuer's Ed25519 public key (from the base64url key or the issuer's private key file)`,
    async run(argv, io) {
      const { values } = parseArgs({
        args: argv,
        options: { ...dbOptions, issuer: { type: 'string' }, 'key-id': { type: 'string' }, 'public-key': { type: 'string' }, key: { type: 'string' }, 'not-before': { type: 'string' }, 'not-after': { type: 'string' } },
        strict: true,
      });
      const issuerCode = u8(values.issuer, '--issuer');
      const keyId = u8(values['key-id'], '--key-id');
      if (!!values['public-key'] === !!values.key) throw new UsageError('BAD_OPTION', '--public-key 와 --key 중 하나만 지정해 주세요.');
      const publicKey = values['public-key'] ?? publicKeyToBase64url(readPrivateKeyFile(resolve(io.cwd, values.key!)));
      const notBefore = isoTime(values['not-before'], '--not-before');
      const notAfter = isoTime(values['not-after'], '--not-after');
      const { sequence } = await withTrustDb(values, io, (db) => addIssuerKey(db, systemClock, { issuerCode, keyId, publicKey, notBefore, notAfter }));
      writeLine(io.stdout, JSON.stringify({ added: { issuer: issuerCode, keyId, publicKey }, sequence }));
      return 0;
    },
  },
  'revoke-key': {
    usage: `munjigi trust revoke-key --issuer N --key-id K [--db FILE | --database-url URL]
      marks an issuer key revoked; kiosks refuse its tokens (KEY_REVOKED) after their next refresh`,
    async run(argv, io) {
      const { values } = parseArgs({ args: argv, options: { ...dbOptions, issuer: { type: 'string' }, 'key-id': { type: 'string' } }, strict: true });
      const issuerCode = u8(values.issuer, '--issuer');
      const keyId = u8(values['key-id'], '--key-id');
      const { sequence } = await withTrustDb(values, io, (db) => revokeIssuerKey(db, systemClock, issuerCode, keyId));
      writeLine(io.stdout, JSON.stringify({ revoked: { issuer: issuerCode, keyId }, sequence }));
      return 0;
    },
  },
};
