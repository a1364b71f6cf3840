// Runs in Node (vitest). Docs are part of done: the error-code list is generated from the
// source and must be current, and the README shows the two commands a newcomer needs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('documentation', () => {
  it('docs/error-codes.md lists every error code the source raises', () => {
    expect(() => execFileSync(process.execPath, ['scripts/error-codes.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the README names the start and test commands, and every doc it links exists', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    for (const [, link] of readme.matchAll(/\]\(((?:docs|resources)\/[^)#]+)\)/g)) {
      expect(() => readFileSync(link!), `README links ${link}`).not.toThrow();
    }
  });
});
