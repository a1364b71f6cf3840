// Runs as a child Node process of tests/integration/entrylog-crash.test.ts (bundled by that
// test). Opens the entry log at argv[2] and admits freshly minted valid tokens in a tight
// loop, writing each acknowledged entry id to stdout — synchronously, only after admit
// returned — until the parent SIGKILLs it at a random moment (mid-commit, mid-checkpoint, …).
import { writeSync } from 'node:fs';
import { CodedError } from '../../../src/shared/envelope';
import { createAdmitter, openEntryLog } from '../../../src/core/entrylog';
import { createTestIssuer } from '../../../src/core/entrylog/testIssuer';
import { silentLogger } from '../../../src/core/log';

function writeLine(fd: number, line: string) {
  const buf = Buffer.from(line + '\n');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      // A non-blocking pipe that is momentarily full: wait for the parent to read.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

const [path, expectExisting] = process.argv.slice(2);
if (!path) {
  writeLine(2, 'usage: admit-loop <db> <expectExisting 0|1>');
  process.exit(2);
}

let log;
try {
  log = openEntryLog({ path, clock: Date.now, logger: silentLogger, expectExisting: expectExisting === '1' });
} catch (err) {
  writeLine(2, `OPEN_FAILED ${err instanceof CodedError ? err.code : String(err)}`);
  process.exit(3);
}

const issuer = createTestIssuer();
const admit = createAdmitter({
  log,
  trustList: () => issuer.trustList,
  clock: Date.now,
  settings: () => ({ facilityId: 'crash-test', kioskId: `child-${process.pid}`, skewSeconds: 3, maxTtlSeconds: 15 }),
  logger: silentLogger,
});

writeLine(1, 'READY');
for (;;) {
  // Let the loop turn between scans as at a kiosk, so deferred WAL checkpoints run (and get killed) too.
  await new Promise((done) => setImmediate(done));
  const answer = admit({ data: issuer.mint(Math.floor(Date.now() / 1000)), source: 'selftest' });
  if (!answer.ok || !answer.entryId) {
    writeLine(2, `NOT_ADMITTED ${answer.code}`);
    process.exit(4);
  }
  writeLine(1, answer.entryId);
}
