import { defineConfig } from 'vitest/config';

// Unit tests live beside the code (`*.test.ts`); tests that cross processes or need the
// built output live in tests/integration. Renderer pieces with no DOM run under Node too.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-report/vitest.json' },
  },
});
