// Runs in Node. Where the installed project lives, found from the running file upwards, so
// source (vitest), bundled (out/node/…) and packaged layouts all resolve the same way.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  if (cached) return cached;
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'munjigi') return (cached = dir);
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('munjigi package root not found');
    dir = up;
  }
}

export const resourcePath = (...parts: string[]) => join(projectRoot(), 'resources', ...parts);

export function projectVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
