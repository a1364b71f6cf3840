#!/usr/bin/env node
// The `munjigi` command. The TypeScript sources are bundled into out/node by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/node/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('munjigi: 빌드된 파일이 없습니다. 먼저 `npm run build`를 실행하세요. (code: NOT_BUILT)\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
