// Runs in Node. `munjigi verify`: checks KP1 tokens against a trust list (bare or signed) with
// the kiosk's own verifier and one replay state per run, printing the spec's result objects.
import { parseArgs } from '../args';
import type { RootKey, TrustList, VerifyContext } from '../../core/kp1';
import { DEFAULT_MAX_TTL, DEFAULT_SKEW, createMemoryReplayState, isEnvelope, readTrustDocument, verifyToken } from '../../core/kp1';
import type { Command } from '../io';
import { UsageError, lines, writeLine } from '../io';
import { integerOption, numberOption, readJsonFile, required } from '../options';

const usage = `Usage: munjigi verify --trust FILE [--root [KEYID=]KEY]... [--at UNIX] [--skew S] [--max-ttl N] [TOKEN...]

Verifies KP1 tokens and prints one JSON result object a line (../shared/spec/kp1-token.md).
  --trust FILE   a trust list (JSON) or a signed trust envelope
  --root KEY     pinned authority root public key (base64url, 32 bytes); required for an
                 envelope. KEYID=KEY pins it under that root key id; a bare KEY stands for
                 the key id the envelope names. May be given more than once.
  --at UNIX      verifier clock in Unix seconds (fraction allowed); default: this machine's clock
  --skew S       clock tolerance in seconds (default ${DEFAULT_SKEW})
  --max-ttl N    longest token validity the policy admits, seconds (default ${DEFAULT_MAX_TTL})
With no TOKEN, reads stdin lines: TOKEN, or UNIX<TAB>TOKEN to give that token's clock.
A token admitted (OK) earlier in the run is DUPLICATE when seen again.
Exit 0 if every token is OK, 1 if any is refused, 2 for bad options, files or lines.`;

const MAX_TRUST_FILE_BYTES = 2_000_000;
const MAX_UNIX = 2 ** 32;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

function parseRoots(values: string[], envelopeKeyId: unknown): RootKey[] {
  return values.map((value) => {
    const eq = value.indexOf('=');
    const keyId = eq >= 0 ? value.slice(0, eq) : typeof envelopeKeyId === 'string' ? envelopeKeyId : '';
    const publicKey = eq >= 0 ? value.slice(eq + 1) : value;
    if (!BASE64URL_KEY.test(publicKey) || keyId === '') {
      throw new UsageError('BAD_OPTION', '--root 값은 base64url 43자로 된 Ed25519 공개키(또는 KEYID=공개키)여야 합니다.');
    }
    return { keyId, publicKey };
  });
}

/** Loads the trust file: a bare list, or an envelope opened with the pinned roots. */
export function loadTrustFile(path: string, rootValues: string[], cwd: string): TrustList {
  const doc = readJsonFile(path, cwd, MAX_TRUST_FILE_BYTES, '신뢰 목록');
  const envelopeKeyId = isEnvelope(doc) ? (doc as { keyId?: unknown }).keyId : undefined;
  return readTrustDocument(doc, parseRoots(rootValues, envelopeKeyId));
}

/** Splits a stdin line into its clock (if given) and token. */
function parseLine(text: string): { at?: number; token: string } | string {
  const tab = text.indexOf('\t');
  if (tab < 0) return { token: text };
  const stamp = text.slice(0, tab).trim();
  const at = Number(stamp);
  if (!/^\d+(\.\d+)?$/.test(stamp) || !(at < MAX_UNIX)) return `시각이 Unix 초가 아닙니다: ${JSON.stringify(stamp.slice(0, 20))}`;
  return { at, token: text.slice(tab + 1) };
}

export const command: Command = {
  name: 'verify',
  summary: 'verify KP1 tokens against a trust list (one JSON result a line)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        trust: { type: 'string' },
        root: { type: 'string', multiple: true },
        at: { type: 'string' },
        skew: { type: 'string' },
        'max-ttl': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const trustList = loadTrustFile(required(values.trust, '--trust'), values.root ?? [], io.cwd);
    const fixedAt = numberOption(values.at, '--at', 0, MAX_UNIX);
    const skew = numberOption(values.skew, '--skew', 0, 3600, DEFAULT_SKEW);
    const maxTtl = integerOption(values['max-ttl'], '--max-ttl', 1, 60, DEFAULT_MAX_TTL);
    const replay = createMemoryReplayState();
    let refused = 0;
    const check = (token: string, at: number | undefined) => {
      const ctx: VerifyContext = { trustList, now: at ?? fixedAt ?? Date.now() / 1000, skew, maxTtl, lookup: replay.lookup };
      const result = verifyToken(token, ctx);
      if (result.ok && result.tokenId) replay.remember(result.tokenId);
      else refused++;
      writeLine(io.stdout, JSON.stringify(result));
    };

    if (positionals.length > 0) {
      for (const token of positionals) check(token, undefined);
      return refused > 0 ? 1 : 0;
    }
    let lineNo = 0;
    let bad = 0;
    for await (const text of lines(io.stdin)) {
      lineNo++;
      if (text.trim() === '') continue;
      const line = parseLine(text);
      if (typeof line === 'string') {
        bad++;
        writeLine(io.stderr, `munjigi verify: ${lineNo}번째 줄을 건너뜁니다: ${line} (code: BAD_LINE)`);
        continue;
      }
      check(line.token, line.at);
    }
    if (bad > 0) {
      writeLine(io.stderr, `munjigi verify: 잘못된 줄 ${bad}개를 건너뛰었습니다. (code: BAD_INPUT)`);
      return 2;
    }
    if (lineNo === 0) writeLine(io.stderr, 'munjigi verify: 확인할 토큰이 없습니다. 인자나 표준입력으로 토큰을 주세요.');
    return refused > 0 ? 1 : 0;
  },
};
