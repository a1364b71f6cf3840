// Runs under vitest (Node). `munjigi wedge-decode` in-process with fake streams: the vectors,
// options, end of input as idle, and bad lines reported by number without stopping.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing';

const vectorsPath = resolve(__dirname, '../../../../shared/spec/wedge-vectors.json');
const haveVectors = existsSync(vectorsPath);

const cli = (argv: string[], stdin: string) => runCli(['wedge-decode', ...argv], { stdin });

const key = (code: string, key: string, t: number, shiftKey = false) => JSON.stringify({ type: 'keydown', key, code, shiftKey, t });
const word = (s: string, start: number, every = 4) => [...s].map((c, i) => key(`Key${c.toUpperCase()}`, c, start + i * every));
const dataLines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { data: string }).data);

describe.skipIf(!haveVectors)('wedge-decode reproduces ../shared/spec/wedge-vectors.json', () => {
  const cases = haveVectors
    ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: { name: string; options?: { maxGapMs?: number; minLength?: number }; events: unknown[]; expect: string[] }[] }).cases
    : [];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const argv: string[] = [];
    if (c.options?.maxGapMs !== undefined) argv.push('--max-gap', String(c.options.maxGapMs));
    if (c.options?.minLength !== undefined) argv.push('--min-length', String(c.options.minLength));
    const r = await cli(argv, c.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out === '' ? [] : dataLines(r.out)).toEqual(c.expect);
  });
});
if (!haveVectors) it.skip('wedge-decode vectors: ../shared/spec/wedge-vectors.json is absent', () => {});

describe('munjigi wedge-decode', () => {
  it('end of input counts as idle: a burst with no suffix is printed', async () => {
    const r = await cli([], word('abcdefgh', 0).join('\n'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('{"data":"abcdefgh"}\n');
  });

  it('--min-length and --max-gap change what counts as a scan', async () => {
    expect(dataLines((await cli(['--min-length', '3'], word('abc', 0).join('\n'))).out)).toEqual(['abc']);
    expect((await cli([], word('abcdefgh', 0, 80).join('\n'))).out).toBe('');
    expect(dataLines((await cli(['--max-gap', '90', '--idle', '200'], word('abcdefgh', 0, 80).join('\n'))).out)).toEqual(['abcdefgh']);
  });

  it('bad lines: Korean message with the line number on stderr, the rest still decoded, exit 2', async () => {
    const input = [
      ...word('abc', 0),
      'not json',
      '{"type":"keydown","key":"d","code":"KeyD","shiftKey":"yes","t":12}',
      '[1,2]',
      '',
      ...word('def', 12),
      key('KeyZ', 'z', 5),
      key('Enter', 'Enter', 30),
    ].join('\n');
    const r = await cli([], input);
    expect(r.code).toBe(2);
    expect(r.out).toBe('{"data":"abcdef"}\n');
    const errLines = r.err.trim().split('\n');
    expect(errLines[0]).toMatch(/^munjigi wedge-decode: 4번째 줄을 건너뜁니다: JSON 형식이 아닙니다 \(code: BAD_EVENT\)$/);
    expect(errLines[1]).toContain('5번째 줄');
    expect(errLines[1]).toContain('shiftKey');
    expect(errLines[2]).toContain('6번째 줄');
    expect(errLines[3]).toContain('11번째 줄');
    expect(errLines[3]).toContain('앞 줄보다 작습니다');
    expect(errLines.at(-1)).toContain('잘못된 줄 4개');
  });

  it('refuses a very long line without parsing it', async () => {
    const r = await cli([], 'x'.repeat(100_000) + '\n' + word('abcdefgh', 0).join('\n'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('1번째 줄');
    expect(r.err).toContain('너무 깁니다');
    expect(dataLines(r.out)).toEqual(['abcdefgh']);
  });

  it('bad options are a usage error (exit 2), not a crash', async () => {
    for (const argv of [['--max-gap', 'abc'], ['--min-length', '0'], ['--max-gap', '-5'], ['--nope'], ['positional']]) {
      const r = await cli(argv, '');
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/code: BAD_OPTION/);
    }
  });

  it('empty input prints nothing and succeeds', async () => {
    expect(await cli([], '')).toEqual({ code: 0, out: '', err: '' });
  });
});
