import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContractFor } from '../../lib/contracts';
import { generateDataset, type GeneratedDataset } from '../../lib/demo/generate-dataset';
import { fixParser } from '../../lib/fix';
import { confirmationsParser } from '../../lib/parsers/confirmations';
import type { ParseSummary, ParserDefinition, ParserRow } from '../../lib/parsers/parser-types';
import { compileValidator } from '../../lib/pipeline';

// The generated files read by the real parsers and validated by the real default contracts
// (no mocks): no parse error, every FIX integrity flag OK, and the quarantined rows are exactly
// the ones truth.json lists (so the demo's quarantine counts are right by construction).

interface ReadBack {
  summary: ParseSummary;
  rows: Record<string, ParserRow[]>;
  quarantined: { output: string; source_row: number; violation_type: string }[];
}

async function readBack(parser: ParserDefinition, file: string): Promise<ReadBack> {
  const gen = parser.parse(createReadStream(file) as AsyncIterable<Uint8Array>);
  const rows: Record<string, ParserRow[]> = {};
  const quarantined: ReadBack['quarantined'] = [];
  const validators = new Map<string, ReturnType<typeof compileValidator>>();
  for (;;) {
    const next = await gen.next();
    if (next.done) return { summary: next.value, rows, quarantined };
    const { output, rows: batch } = next.value;
    (rows[output] ??= []).push(...batch);
    if (output === parser.errorOutput) continue;
    let validator = validators.get(output);
    if (!validator) validators.set(output, (validator = compileValidator(defaultContractFor(parser, output))));
    for (const row of batch) {
      const result = validator.validate(row);
      if (!result.ok) {
        for (const v of result.violations) quarantined.push({ output, source_row: Number(row.__cf_row_id), violation_type: v.violation_type });
      }
    }
  }
}

let root: string;
let seeded: GeneratedDataset;
let clean: GeneratedDataset;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'demo-parse-'));
  seeded = await generateDataset({ orders: 300, seed: 42, outDir: path.join(root, 'seeded') });
  clean = await generateDataset({ orders: 300, seed: 11, outDir: path.join(root, 'clean'), clean: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([['seeded', () => seeded], ['clean', () => clean]])('%s dataset read by the real parsers', (_name, dataset) => {
  it('fix.log: every message parsed, no parse error, every integrity flag OK', async () => {
    const { summary, rows } = await readBack(fixParser, dataset().fixPath);
    expect(summary.messages).toBe(dataset().stats.messages);
    expect(rows[fixParser.errorOutput] ?? []).toEqual([]);
    expect(summary.parseErrors).toEqual({});
    const all = [...(rows.fix_order_events ?? []), ...(rows.fix_session_events ?? [])];
    expect(all).toHaveLength(dataset().stats.messages);
    const flagged = all.filter((r) => r.body_length_ok !== true || r.checksum_ok !== true || r.checksum_present !== true || r.duplicate_tags !== null);
    expect(flagged).toEqual([]);
  });

  it('quarantine under the default contracts is exactly truth.json', async () => {
    const truth = JSON.parse(await readFile(dataset().truthPath, 'utf8')) as { quarantine: ReadBack['quarantined'] };
    const fix = await readBack(fixParser, dataset().fixPath);
    const csv = await readBack(confirmationsParser, dataset().confirmationsPath);
    expect(csv.rows[confirmationsParser.errorOutput] ?? []).toEqual([]);
    const key = (q: ReadBack['quarantined'][number]) => `${q.output}:${q.source_row}:${q.violation_type}`;
    const actual = [...fix.quarantined, ...csv.quarantined].map(key).sort();
    expect(actual).toEqual(truth.quarantine.map(key).sort());
  });
});
