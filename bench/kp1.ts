// Runs in Node after bundling (out/node/bench-kp1.js). Measures what a kiosk pays per scan in
// the KP1 verifier: an admitted token (all twelve rules, Ed25519 included), a refused garbage
// burst of 100 KB, and opening a signed trust list. Prints {"metrics": …} as its last line.
import { sign, verify } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createMemoryReplayState,
  generateKeyPair,
  mintToken,
  openEnvelope,
  parseTrustList,
  publicKeyToBase64url,
  signTrustList,
  verifyToken,
} from '../src/core/kp1';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

const T0 = 1_795_392_000;
const root = generateKeyPair();
const issuers = [1, 2, 3].map((code) => ({ code, pair: generateKeyPair() }));
const trustList = parseTrustList({
  version: 1,
  sequence: 1,
  issuedAt: '2026-11-23T00:00:00Z',
  issuers: issuers.map(({ code, pair }) => ({
    code,
    name: `issuer${code}`,
    displayName: `발급기관${code}`,
    keys: [{ keyId: 1, publicKey: publicKeyToBase64url(pair.publicKey), notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-12-31T23:59:59Z', status: 'active' }],
  })),
});

const N = 10_000;
const tokens = Array.from({ length: N + 1000 }, (_, i) => {
  const { code, pair } = issuers[i % issuers.length]!;
  return mintToken({ privateKey: pair.privateKey, issuer: code, keyId: 1, issuedAt: T0 });
});

function measure(run: (i: number) => void, n: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    run(i);
    times.push(performance.now() - t);
  }
  return times;
}

const replay = createMemoryReplayState();
let ok = 0;
const verifyOne = (i: number) => {
  const r = verifyToken(tokens[i]!, { trustList, now: T0 + 1, lookup: replay.lookup });
  if (r.ok && r.tokenId) {
    replay.remember(r.tokenId);
    ok++;
  }
};
measure((i) => verifyOne(N + i), 1000); // warm-up
ok = 0;
const okTimes = measure(verifyOne, N);
if (ok !== N) throw new Error(`expected ${N} OK verifications, got ${ok}`);

const huge = 'KP1.' + 'A'.repeat(100_000);
const hugeTimes = measure(() => verifyToken(huge, { trustList, now: T0 }), 10_000);
const tampered = tokens[0]!.slice(0, 40) + (tokens[0]![40] === 'A' ? 'B' : 'A') + tokens[0]!.slice(41);
const badSigTimes = measure(() => verifyToken(tampered, { trustList, now: T0 }), 10_000);

const envelope = signTrustList(trustList, root.privateKey, 'root-1');
const roots = [{ keyId: 'root-1', publicKey: publicKeyToBase64url(root.publicKey) }];
const openTimes = measure(() => openEnvelope(envelope, roots), 200);

// Baseline: node:crypto Ed25519 alone on the same message size, to separate our overhead from
// the signature check itself (and from a busy machine, which moves both alike).
const message = Buffer.alloc(36, 1);
const signature = sign(null, message, root.privateKey);
const rawTimes = measure(() => verify(null, message, root.publicKey, signature), N);

const totalOk = okTimes.reduce((a, b) => a + b, 0);
const metrics = {
  kp1_verify_ok_p50_ms: round(quantile(okTimes, 0.5)),
  kp1_verify_ok_p99_ms: round(quantile(okTimes, 0.99)),
  kp1_verify_ok_per_s: Math.round((N / totalOk) * 1000),
  kp1_ed25519_raw_verify_p50_ms: round(quantile(rawTimes, 0.5)),
  kp1_verify_bad_signature_p50_ms: round(quantile(badSigTimes, 0.5)),
  kp1_verify_malformed_100kb_p99_ms: round(quantile(hugeTimes, 0.99)),
  kp1_trust_envelope_open_p50_ms: round(quantile(openTimes, 0.5), 3),
};
console.log(`KP1 verify: ${N} admitted tokens, p50 ${metrics.kp1_verify_ok_p50_ms} ms, p99 ${metrics.kp1_verify_ok_p99_ms} ms`);
console.log(JSON.stringify({ metrics, notes: `${N} distinct tokens of 3 issuers with an in-memory replay state; times per call with performance.now(); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}` }));
