import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixParser } from '../lib/fix/index';
import { writeFile } from './parse';
import { timed } from './timed';

// `npm run bench -- compare`: our FIX parser against fixparser@2.9.5 (the last MIT-licensed
// version; a dev dependency of the benchmark only, issue 9) on the same generated SOH file
// (bench/parse.ts's message mix, one message per line), from one run, one core.
// - ours: fixParser.parse on a 1 MiB-chunk read stream: frames messages, verifies BodyLength (9)
//   and CheckSum (10), handles groups and duplicates, builds the rows of both outputs (with the
//   `fields` JSON); batches are consumed and dropped.
// - fixparser: its documented API `new FIXParser().parse(string): Message[]`. It takes whole
//   messages in one string, so the file is read in the same 1 MiB chunks, decoded latin1, cut
//   after the last complete line (the tail carried to the next chunk) and each piece handed to
//   parse(). Per message it splits on SOH, builds a Field object per field, looks up the FIX
//   5.0SP2 field spec (name, description, type) and enum meaning per field, recomputes BodyLength
//   and CheckSum (recording bodyLengthValid / checksumValid, not rejecting) and returns a Message
//   object with its field list. It builds no output rows. Messages are counted and dropped.
// Each parser runs in its own child process (a fresh V8 heap), `rounds` passes, best kept.
// Measured: with fixparser merely loaded (its bundle holds the whole FIX 5.0SP2 spec) in the
// same process before our parser warms up, ours ran at about half its speed (200k vs 400k+
// messages per CPU-s at 200k messages), so a single-process comparison would be unfair to ours.
// Rates are messages per CPU-second of the measuring process (user + system): the machine is
// shared, and wall time would also count waiting for a CPU.

export interface FixparserCompareResult {
  messages: number;
  bytes: number;
  rounds: number;
  ours_msgs_per_cpu_s: number;
  fixparser_msgs_per_cpu_s: number;
  /** ours / fixparser (> 1: ours is faster). */
  ratio: number;
  fixparser_input: string;
  fixparser_version: string;
  /** Messages fixparser flagged with a wrong BodyLength or CheckSum (0 expected: the file is valid). */
  fixparser_invalid_9_or_10: number;
  wall: { ours_msgs_per_s: number; fixparser_msgs_per_s: number };
}

interface FixparserMessage {
  checksumValid?: boolean;
  bodyLengthValid?: boolean;
}
interface FixparserInstance {
  parse(data: string): FixparserMessage[];
}
type FixparserCtor = new () => FixparserInstance;

// fixparser ships a CommonJS bundle without declarations for its main entry: load it through
// require and type the one method used.
const require = createRequire(import.meta.url);

function loadFixparser(): { FIXParser: FixparserCtor } {
  const mod = require('fixparser') as { default?: FixparserCtor } & FixparserCtor;
  return { FIXParser: mod.default ?? mod };
}

const CHUNK = 1 << 20;

async function ours(file: string): Promise<number> {
  const gen = fixParser.parse(createReadStream(file, { highWaterMark: CHUNK }));
  let r = await gen.next();
  while (!r.done) r = await gen.next();
  return r.value.messages;
}

async function theirs(file: string, FIXParser: FixparserCtor): Promise<{ messages: number; invalid: number }> {
  const parser = new FIXParser();
  let messages = 0;
  let invalid = 0;
  let carry = '';
  const take = (text: string) => {
    for (const m of parser.parse(text)) {
      messages++;
      if (m.checksumValid !== true || m.bodyLengthValid !== true) invalid++;
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const text = carry + (chunk as Buffer).toString('latin1');
    const cut = text.lastIndexOf('\n') + 1;
    if (cut > 0) take(text.slice(0, cut));
    carry = text.slice(cut);
  }
  if (carry.length > 0) take(carry);
  return { messages, invalid };
}

interface ChildResult {
  messages: number;
  invalid: number;
  cpuSec: number;
  wallSec: number;
}

type Side = 'ours' | 'fixparser';
const CHILD_FLAG = '--fixparser-compare-child';

/** One side measured in a fresh process (same tsx loader flags), `rounds` passes, best kept. */
function inChild(side: Side, file: string, rounds: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, side, file, String(rounds)], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ChildResult | null = null;
    child.on('message', (m) => (result = m as ChildResult));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`bench compare: ${side} child exited ${code}`))));
  });
}

async function measureSide(side: Side, file: string, rounds: number): Promise<ChildResult> {
  const once = async () => {
    if (side === 'ours') {
      const t = await timed(() => ours(file));
      return { messages: t.value, invalid: 0, cpuSec: t.cpuSec, wallSec: t.wallSec };
    }
    const { FIXParser } = loadFixparser();
    const t = await timed(() => theirs(file, FIXParser));
    return { messages: t.value.messages, invalid: t.value.invalid, cpuSec: t.cpuSec, wallSec: t.wallSec };
  };
  let r = await once();
  for (let i = 1; i < rounds; i++) {
    const n = await once();
    r = { ...r, cpuSec: Math.min(r.cpuSec, n.cpuSec), wallSec: Math.min(r.wallSec, n.wallSec) };
  }
  return r;
}

if (process.argv[2] === CHILD_FLAG && process.send) {
  const [side, file, rounds] = process.argv.slice(3);
  const r = await measureSide(side as Side, file, Number(rounds));
  process.send(r, () => process.exit(0));
}

/** rounds: passes per parser, best kept (default 2). */
export async function benchFixparserCompare(opts: { messages: number; json: boolean; rounds?: number }): Promise<FixparserCompareResult> {
  const version = (require('fixparser/package.json') as { version: string }).version;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
  try {
    const file = path.join(dir, 'bench.fix');
    await writeFile(file, opts.messages);
    const bytes = statSync(file).size;
    if (!opts.json) console.log(`generated ${opts.messages} messages, ${(bytes / 1e6).toFixed(1)} MB`);

    const rounds = Math.max(1, opts.rounds ?? 2);
    const a = await inChild('ours', file, rounds);
    const b = await inChild('fixparser', file, rounds);
    if (a.messages !== opts.messages || b.messages !== opts.messages) {
      throw new Error(`bench compare: expected ${opts.messages} messages, ours ${a.messages}, fixparser ${b.messages}`);
    }
    const oursRate = opts.messages / a.cpuSec;
    const theirRate = opts.messages / b.cpuSec;
    const result: FixparserCompareResult = {
      messages: opts.messages,
      bytes,
      rounds,
      ours_msgs_per_cpu_s: Math.round(oursRate),
      fixparser_msgs_per_cpu_s: Math.round(theirRate),
      ratio: Number((oursRate / theirRate).toFixed(2)),
      fixparser_input: '1 MiB read chunks, cut at the last complete line, each piece one parse(string) call',
      fixparser_version: version,
      fixparser_invalid_9_or_10: b.invalid,
      wall: {
        ours_msgs_per_s: Math.round(opts.messages / a.wallSec),
        fixparser_msgs_per_s: Math.round(opts.messages / b.wallSec),
      },
    };
    if (!opts.json) {
      const f = (n: number) => n.toLocaleString('en-US').padStart(11);
      console.log(`messages per CPU-second (one core), each parser in its own process, best of ${rounds} passes:`);
      console.log(`  ours (frame, verify 9/10, build rows):          ${f(result.ours_msgs_per_cpu_s)}`);
      console.log(`  fixparser ${version} (parse(), spec lookups, 9/10): ${f(result.fixparser_msgs_per_cpu_s)}`);
      console.log(`  ratio ours / fixparser:                         ${result.ratio}`);
      console.log(`fixparser input: ${result.fixparser_input}; messages it flagged bad 9/10: ${result.fixparser_invalid_9_or_10}`);
      console.log(`wall clock: ours ${f(result.wall.ours_msgs_per_s)}, fixparser ${f(result.wall.fixparser_msgs_per_s)} messages/s`);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
