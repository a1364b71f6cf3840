import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// Node entry points that run without Electron: the `munjigi` CLI, the WebSocket development
// host and every benchmark in bench/ (bench/<name>.ts → out/node/bench-<name>.js).
// Dependencies stay external; our own TypeScript is bundled.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.devDependencies),
];

const benches = Object.fromEntries(
  readdirSync('bench')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => [`bench-${f.replace(/\.ts$/, '')}`, resolve('bench', f)]),
);

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: resolve('src/cli/index.ts'),
        devhost: resolve('src/devhost/index.ts'),
        ...benches,
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
