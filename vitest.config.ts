import { defineConfig } from 'vitest/config';

// Unit and integration tests. Browser tests live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lib/**/*.test.ts', 'db/**/*.test.ts', 'worker/**/*.test.ts', 'cli/**/*.test.ts'],
    exclude: ['node_modules', 'e2e', '.next', 'data'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
