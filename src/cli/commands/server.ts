// Runs in Node. `munjigi server`: the central API (SQLite file by default, PostgreSQL with
// --database-url or DATABASE_URL), and `munjigi server token` to issue admin/investigator tokens.
import { systemClock } from '../../core/clock';
import { createLogger } from '../../core/log';
import type { DbTarget } from '../../server/db/open';
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

const dbOptions = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

function dbTarget(values: { db?: string | undefined; 'database-url'?: string | undefined }, io: CliIo): DbTarget {
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
