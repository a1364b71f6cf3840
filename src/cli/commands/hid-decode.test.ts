// Runs under vitest (Node). `munjigi hid-decode` in-process with fake streams: the shared vectors,
// long and binary scans, drops named on stderr, and bad lines reported by number without stopping.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/paths';
import { scanToReports, toHex } from '../../core/scanner/simulate';
import { jsonLines, runCli } from '../testing';

const vectorsPath = join(projectRoot(), '..', 'shared', 'spec', 'hid-pos-vectors.json');
const haveVectors = existsSync(vectorsPath);

async function cli(argv: string[], stdin: string) {
  const r = await runCli(['hid-decode', ...argv], { stdin });
  return { ...r, scans: jsonLines(r.out) as Record<string, unknown>[] };
}

const hexLines = (data: string, opts?: Parameters<typeof scanToReports>[1]) => scanToReports(data, opts).map(toHex);

describe.skipIf(!haveVectors)('hid-decode reproduces ../shared/spec/hid-pos-vectors.json', () => {
  const cases = haveVectors
    ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: { name: string; reports: string[]; expect: Record<string, unknown>[] }[] }).cases
    : [];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const r = await cli([], c.reports.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.scans).toHaveLength(c.expect.length);
    c.expect.forEach((e, i) => expect(r.scans[i]).toMatchObject(e));
    for (const s of r.scans) expect(Object.keys(s)).toEqual(['data', 'aim', 'symbology']);
  });
});
if (!haveVectors) it.skip('hid-decode vectors: ../shared/spec/hid-pos-vectors.json is absent', () => {});

describe('munjigi hid-decode', () => {
  it('prints one JSON line per scan, across many reports', async () => {
    const data = 'KP1.' + 'x'.repeat(400);
    const r = await cli([], [...hexLines(data), ...hexLines('8801234567893', { aim: ']E0', codeId: 'd' })].join('\n'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.scans).toEqual([
      { data, aim: ']Q1', symbology: 'qr' },
      { data: '8801234567893', aim: ']E0', symbology: 'ean13' },
    ]);
  });

  it('accepts upper case, spaces or colons between bytes, CRLF line ends, blank and # lines', async () => {
    const [line] = hexLines('ABC123', { aim: ']C0', codeId: 'j' });
    const spaced = (line as string).toUpperCase().replace(/(..)/g, '$1 ').trim();
    const coloned = (line as string).replace(/(..)(?!$)/g, '$1:');
    const r = await cli([], `# recorded at the desk\r\n\r\n${spaced}\r\n${coloned}\r\n`);
    expect(r.code).toBe(0);
    expect(r.scans.map((s) => s.data)).toEqual(['ABC123', 'ABC123']);
  });

  it('keeps 0x00 inside the data (JSON-escaped)', async () => {
    const r = await cli([], hexLines('A\u0000B', { aim: ']d1', codeId: 'w' }).join('\n'));
    expect(r.out).toBe('{"data":"A\\u0000B","aim":"]d1","symbology":"datamatrix"}\n');
  });

  it('bad lines: Korean message with the line number, the rest is still decoded, exit 2', async () => {
    const good = hexLines('hello-world');
    const input = ['zz' + (good[0] as string).slice(2), 'abc', 'f'.repeat(2000), good[0]].join('\n');
    const r = await cli([], input);
    expect(r.code).toBe(2);
    expect(r.scans.map((s) => s.data)).toEqual(['hello-world']);
    expect(r.err).toContain('1번째 줄을 건너뜁니다: 16진수(0-9, a-f)가 아닌 글자가 있습니다 (code: BAD_REPORT_LINE)');
    expect(r.err).toContain('2번째 줄을 건너뜁니다: 16진수 자릿수가 홀수입니다');
    expect(r.err).toContain('3번째 줄을 건너뜁니다: 보고서가 너무 깁니다');
    expect(r.err).toContain('잘못된 줄 3개를 건너뛰었습니다. (code: BAD_INPUT)');
  });

  it('dropped reports are named on stderr with their line and code, and do not fail the run', async () => {
    const reports = hexLines('K'.repeat(100));
    const r = await cli([], [reports[0], (reports[1] as string).slice(0, 40), ...hexLines('after')].join('\n'));
    expect(r.code).toBe(0);
    expect(r.scans.map((s) => s.data)).toEqual(['after']);
    expect(r.err).toMatch(/2번째 줄: .*잘려서.* \(code: HID_TRUNCATED_REPORT\)/);
  });

  it('a recording that ends mid-scan says so', async () => {
    const r = await cli([], (hexLines('Z'.repeat(100))[0] as string) + '\n');
    expect(r.code).toBe(0);
    expect(r.scans).toEqual([]);
    expect(r.err).toContain('(code: HID_UNFINISHED_SCAN)');
  });

  it('empty input prints nothing and succeeds', async () => {
    const r = await cli([], '');
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
  });

  it('refuses unknown options and positional arguments', async () => {
    expect((await cli(['--fast'], '')).code).toBe(2);
    expect((await cli(['file.txt'], '')).code).toBe(2);
  });
});
