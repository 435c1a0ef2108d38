// The CLI as a real process: a clear one-line error (exit 3) when no server listens, and usage errors.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineArgs } from '../../cli/commands/pipeline';

const bin = path.join(process.cwd(), 'bin', 'workbench.mjs');

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('workbench pipeline', () => {
  it('says clearly that the server is not running', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = spawnSync(process.execPath, [bin, 'pipeline', 'run', 'desk-a', '--logical-date', '2024-03-05', '--json'], {
      env: { ...process.env, WORKBENCH_URL: url, WORKBENCH_USER: 'ops', WORKBENCH_PASSWORD: 'x' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot reach the workbench server at ${url}`);
  });

  it('parses the subcommands and refuses bad usage', () => {
    expect(parsePipelineArgs(['run', 'desk-a', '--logical-date=2024-03-05', '--dry-run'])).toEqual({
      command: 'run',
      target: 'desk-a',
      flags: { '--logical-date': '2024-03-05', '--dry-run': true },
    });
    expect(parsePipelineArgs(['backfill', 'desk-a', '--start', '2024-03-01', '--end', '2024-03-02', '--json']).flags).toEqual({
      '--start': '2024-03-01',
      '--end': '2024-03-02',
      '--json': true,
    });
    expect(() => parsePipelineArgs(['run', 'desk-a'])).toThrow(/--logical-date/);
    expect(() => parsePipelineArgs(['backfill', 'desk-a', '--start', '2024-03-01'])).toThrow(/--end/);
    expect(() => parsePipelineArgs(['run', 'desk-a', '--logical-date'])).toThrow(/needs a value/);
    expect(() => parsePipelineArgs(['delete', 'desk-a'])).toThrow(/unknown subcommand/);
  });
});
