// Runs in Node after bundling (out/node/bench-npki.js). Measures the pure-TypeScript SEED
// cipher and how long opening a certificate key takes in each encryption form, which is what
// a person waits for after typing the certificate password. Prints {"metrics": …} last.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/core/paths';
import { decryptPrivateKey } from '../src/core/npki/privateKey';
import { seedCbcDecrypt, seedCbcEncrypt } from '../src/core/npki/seed';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

const metrics: Record<string, number> = {};

// SEED-CBC throughput on 1 MiB, best of 5 (both directions).
const key = Buffer.alloc(16, 7);
const iv = Buffer.alloc(16, 9);
const data = Buffer.alloc(1 << 20, 0x5a);
const enc: number[] = [];
const dec: number[] = [];
let ct: Buffer = Buffer.alloc(0);
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  ct = seedCbcEncrypt(key, iv, data);
  enc.push(performance.now() - t);
  t = performance.now();
  seedCbcDecrypt(key, iv, ct);
  dec.push(performance.now() - t);
}
metrics.seed_cbc_encrypt_mib_per_s = round(1000 / Math.min(...enc));
metrics.seed_cbc_decrypt_mib_per_s = round(1000 / Math.min(...dec));

// Opening a key (KDF + decrypt + PKCS#8 + KeyObject), median of 15, per form.
const fixtures = join(projectRoot(), 'src', 'core', 'npki', 'fixtures');
const info = JSON.parse(readFileSync(join(fixtures, 'keys.json'), 'utf8')) as { password: string; keys: Record<string, unknown> };
for (const name of Object.keys(info.keys)) {
  const file = readFileSync(join(fixtures, name));
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    decryptPrivateKey(file, { password: info.password });
    times.push(performance.now() - t);
  }
  metrics[`open_key_ms_${name.replace(/\.key$/, '').replace(/-/g, '_')}`] = round(median(times));
}

// A wrong password costs the same KDF work and must fail fast after it.
{
  const file = readFileSync(join(fixtures, 'pbes1-seed-randomnum.key'));
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    try {
      decryptPrivateKey(file, { password: 'wrong' });
    } catch {
      // expected: NPKI_WRONG_PASSWORD
    }
    times.push(performance.now() - t);
  }
  metrics.wrong_password_ms_pbes1_seed = round(median(times));
}

for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(40)} ${v}`);
console.log(JSON.stringify({ metrics }));
