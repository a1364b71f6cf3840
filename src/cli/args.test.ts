// Runs under vitest (Node). Option values that start with a dash (base64url keys) are values.
import { describe, expect, it } from 'vitest';
import { joinDashValues, parseArgs } from './args';

const options = { root: { type: 'string' as const, multiple: true }, trust: { type: 'string' as const }, json: { type: 'boolean' as const } };

describe('CLI option values starting with a dash', () => {
  it('reads a key that starts with - or -- as the value of a string option', () => {
    const { values, positionals } = parseArgs({ args: ['--trust', 'envelope.json', '--root', '-Ab3_x', '--root', '--9zQ', 'TOKEN'], options, allowPositionals: true, strict: true });
    expect(values).toEqual({ trust: 'envelope.json', root: ['-Ab3_x', '--9zQ'] });
    expect(positionals).toEqual(['TOKEN']);
  });

  it('leaves a known option where a value is missing, so the mistake is still reported', () => {
    expect(joinDashValues(['--root', '--trust', 'x'], options)).toEqual(['--root', '--trust', 'x']);
    expect(() => parseArgs({ args: ['--root', '--trust', 'x'], options, strict: true })).toThrow();
    expect(joinDashValues(['--root', '--', 'x'], options)).toEqual(['--root', '--', 'x']);
  });

  it('touches neither boolean options, unknown options, --name=value forms nor plain values', () => {
    const args = ['--json', '-x', '--unknown', '-y', '--trust=-a', '--root', 'plain'];
    expect(joinDashValues(args, options)).toEqual(args);
    expect(() => parseArgs({ args: ['--unknown', '-y'], options, strict: true })).toThrow();
  });
});
