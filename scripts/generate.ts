// npm run generate -- --orders N --seed S --out DIR [--clean]
// Writes DIR/fix.log, DIR/confirmations.csv and DIR/truth.json (see lib/demo/generate-dataset.ts).
import { generateDataset } from '../lib/demo/generate-dataset';

const USAGE = 'usage: npm run generate -- --orders N --seed S --out DIR [--clean]';

function parseArgs(argv: string[]): { orders: number; seed: number; outDir: string; clean: boolean } | string {
  let orders: number | undefined;
  let seed = 42;
  let outDir: string | undefined;
  let clean = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const integer = (v: string) => {
      if (!/^-?\d+$/.test(v)) throw new Error(`${arg} needs an integer, got '${v}'`);
      return Number(v);
    };
    if (arg === '--orders') orders = integer(value());
    else if (arg === '--seed') seed = integer(value());
    else if (arg === '--out') outDir = value();
    else if (arg === '--clean') clean = true;
    else if (arg === '--help' || arg === '-h') return USAGE;
    else throw new Error(`unknown option '${arg}'`);
  }
  if (orders === undefined || outDir === undefined) throw new Error('--orders and --out are required');
  return { orders, seed, outDir, clean };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`generate: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (typeof args === 'string') {
    console.log(args);
    return 0;
  }
  const large = args.orders >= 100_000;
  const started = process.hrtime.bigint();
  const result = await generateDataset({
    ...args,
    onProgress: large
      ? (p) => process.stderr.write(`\rgenerate: ${p.orders}/${p.totalOrders} orders, ${p.messages} messages`)
      : undefined,
  });
  if (large) process.stderr.write('\n');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const s = result.stats;
  console.log(
    `generate: ${s.orders} orders, ${s.messages} FIX messages, ${s.confirmations} confirmations, ` +
      `${s.seededBreaks} seeded breaks, ${s.quarantineRows} seeded quarantine rows (trade date ${s.tradeDate}) in ${seconds.toFixed(1)} s`,
  );
  console.log(`  ${result.fixPath}\n  ${result.confirmationsPath}\n  ${result.truthPath}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`generate: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
