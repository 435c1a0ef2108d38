// Browser tests against the built app. The web server is `npm start`'s script (builds when the
// build is missing or stale, then `next start`), on a free port, with a fresh temp DATA_DIR and
// demo mode on. Playwright re-evaluates this file in its worker processes: the port and data
// directory are chosen once and passed down through the environment so every process agrees.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

process.env.E2E_PORT ??= String(await freePort());
if (!process.env.E2E_DATA_DIR) {
  const root = mkdtempSync(path.join(tmpdir(), 'wb-e2e-'));
  process.env.E2E_DATA_DIR = path.join(root, 'data');
  // Only the runner process gets here (workers inherit E2E_DATA_DIR); it outlives the server.
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
}
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR,
      WORKBENCH_DEMO: '1',
      WORKBENCH_DEMO_PASSWORD: 'demo-password',
      NEXT_TELEMETRY_DISABLED: '1',
      WORKBENCH_SKIP_BUILD_TYPECHECK: '1',
    },
  },
});
