// An upload the server's disk cannot take is refused with a clear code, and nothing of it is
// kept. Through the real upload route (withRoute → acceptUpload → handleUpload, a real DuckDB in
// a temp DATA_DIR): a write failing with ENOSPC (injected at the write of the upload's temporary
// file: WORKBENCH_FAULT_IO=upload_write:ENOSPC, a Node errno error of the real shape) answers 507
// upload.disk_full; another I/O error 503 upload.storage_unavailable; a body announced larger
// than the free space of the uploads' file system (statfs) 507 before a byte is read. It used to
// answer 500 internal, after streaming the whole body.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../app/temp-db';
import { routeRequest } from '../support/route-request';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
const SOH = '\x01';
const FIX = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => `8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}34=${i + 1}${SOH}10=000${SOH}\n`).join(''),
);

let uploads: Handler;
let login: Handler;
let closeDb: () => Promise<void>;
let getDb: () => Promise<{ all<T>(sql: string): Promise<T[]> }>;
let tempRoot = '';
let dataDir = '';
let cookie = '';

const req = routeRequest;

beforeAll(async () => {
  tempRoot = makeTempDir('wb-upload-disk-');
  dataDir = path.join(tempRoot, 'data');
  process.env.DATA_DIR = dataDir;
  process.env.WORKBENCH_DEMO_PASSWORD = 'disk-full-pw';
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  getDb = open.getDb as never;
  const { ensureInitialUsers } = await import('../../lib/server/auth/initial-users');
  await ensureInitialUsers(await open.getDb(), process.env, () => undefined);
  login = (await import('../../app/api/auth/login/route')).POST as Handler;
  uploads = (await import('../../app/api/uploads/route')).POST as Handler;
  const res = await login(req('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ops', password: 'disk-full-pw' }) }), {});
  expect(res.status).toBe(200);
  cookie = res.headers.get('set-cookie')!.split(';')[0];
}, 60_000);

afterEach(() => {
  delete process.env.WORKBENCH_FAULT_IO;
  delete process.env.UPLOAD_MAX_BYTES;
});

afterAll(async () => {
  await closeDb?.();
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});

/** Files under data/uploads (the stored uploads and the temporary files in .incoming). */
function storedFiles(): string[] {
  const dir = path.join(dataDir, 'uploads');
  if (!existsSync(dir)) return [];
  const incoming = path.join(dir, '.incoming');
  return [
    ...readdirSync(dir).filter((f) => f !== '.incoming'),
    ...(existsSync(incoming) ? readdirSync(incoming).map((f) => `.incoming/${f}`) : []),
  ];
}

async function uploadRows(): Promise<number> {
  const rows = await (await getDb()).all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM uploads');
  return Number(rows[0].n);
}

async function post(body: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; body: { error?: { code: string; message: string }; job_ids?: string[] } }> {
  const res = await uploads(req('/api/uploads?kind=fix&filename=day.fix', { method: 'POST', body, headers, cookie }), {});
  return { status: res.status, body: await res.json() };
}

describe('an upload the disk cannot take', () => {
  it('a write failing with ENOSPC answers 507 upload.disk_full and keeps nothing; the same file goes through once there is room', async () => {
    process.env.WORKBENCH_FAULT_IO = 'upload_write:ENOSPC';
    const refused = await post(FIX);
    expect(refused.status).toBe(507);
    expect(refused.body.error?.code).toBe('upload.disk_full');
    expect(refused.body.error?.message).toMatch(/^The server's disk has no room for this upload \(disk full \(ENOSPC on write\)\); nothing of it was kept\./);
    expect(storedFiles()).toEqual([]);
    expect(await uploadRows()).toBe(0);

    delete process.env.WORKBENCH_FAULT_IO;
    const accepted = await post(FIX);
    expect(accepted.status).toBe(201);
    expect(accepted.body.job_ids).toHaveLength(1);
    expect(storedFiles()).toHaveLength(1);
    expect(await uploadRows()).toBe(1);
  });

  it('another I/O error answers 503 upload.storage_unavailable and keeps nothing', async () => {
    const before = storedFiles();
    process.env.WORKBENCH_FAULT_IO = 'upload_write:EIO';
    const refused = await post(Buffer.concat([FIX, Buffer.from('\n')]));
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe('upload.storage_unavailable');
    expect(storedFiles()).toEqual(before);
  });

  it('a body announced larger than the free space is refused with 507 before it is read', async () => {
    const before = storedFiles();
    process.env.UPLOAD_MAX_BYTES = String(Number.MAX_SAFE_INTEGER);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(FIX);
      },
    });
    const refused = await post(body, { 'content-length': String(9e15) });
    expect(refused.status).toBe(507);
    expect(refused.body.error?.code).toBe('upload.disk_full');
    expect(refused.body.error?.message).toMatch(/^The server's disk has \d+ bytes free and the upload is 9000000000000000 bytes; nothing of it was kept\./);
    // At most what the stream queued before the refusal: the handler never read it.
    expect(pulled).toBeLessThanOrEqual(1);
    expect(storedFiles()).toEqual(before);
  });
});
