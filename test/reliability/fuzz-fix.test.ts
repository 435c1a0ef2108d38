// FIX fuzzing (issue 10): fast-check properties over the real parser and the real validator with
// the FIX default contracts. FUZZ_RUNS runs each (10,000 under `npm run test:reliability`, 500 in
// `npm test`), seed logged and settable with FUZZ_SEED. A counterexample is saved under
// test/reliability/fixtures/fuzz-regressions/ and every saved case is replayed on every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, loadFixtures, runFuzz } from './fuzz-harness';
import {
  arbitraryBytesProperty,
  arbitraryInput,
  byteMutation,
  byteMutationsProperty,
  dataFieldsProperty,
  dataValue,
  decimalTextProperty,
  fixValue,
  mutatedMessagesProperty,
  mutation,
  orderSpec,
  PROPERTIES,
  valuesExactProperty,
} from './fuzz-fix-cases';

const RUNS = fuzzRuns();
// Generous: 10,000 runs of a property take tens of seconds on a shared 2-core machine. Not an assertion.
const TIMEOUT = Math.max(60_000, RUNS * 60);
const chunk = fc.integer({ min: 1, max: 97 });

async function fuzz<Ts extends unknown[]>(name: string, arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => Promise<void>) {
  const out = await runFuzz(name, arbs, predicate);
  expect(out.fixture === null ? null : { fixture: out.fixture, seed: out.seed, error: out.error }, `replay with FUZZ_SEED=${out.seed}`).toBeNull();
}

describe('FIX fuzzing', () => {
  it(`never throws on arbitrary bytes; counts add up; chunking changes nothing (${RUNS} runs)`, async () => {
    await fuzz('fix-arbitrary-bytes', [arbitraryInput, chunk], arbitraryBytesProperty);
  }, TIMEOUT);

  it(`accounts for every mutated valid message, with the right CheckSum and BodyLength flags (${RUNS} runs)`, async () => {
    await fuzz(
      'fix-mutated-messages',
      [fc.array(orderSpec, { minLength: 1, maxLength: 6 }), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), chunk],
      mutatedMessagesProperty,
    );
  }, TIMEOUT);

  it(`keeps its invariants when a message is damaged byte by byte anywhere, and its neighbours come out whole (${RUNS} runs)`, async () => {
    await fuzz(
      'fix-byte-mutations',
      [fc.array(orderSpec, { minLength: 1, maxLength: 6 }), fc.nat(), fc.array(byteMutation, { minLength: 1, maxLength: 3 }), chunk],
      byteMutationsProperty,
    );
  }, TIMEOUT);

  it(`keeps every value exact across many messages: interning, JSON escaping, UTF-8 (${RUNS} runs)`, async () => {
    await fuzz('fix-values-exact', [fc.array(fc.array(fixValue, { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 25 }), chunk], valuesExactProperty);
  }, TIMEOUT);

  it(`reads length-prefixed data fields (SOH, line breaks, 10= inside) exactly (${RUNS} runs)`, async () => {
    await fuzz('fix-data-fields', [fc.nat(), dataValue, fc.string({ unit: fc.constantFrom(...'abc =.'), minLength: 1, maxLength: 10 }), chunk], dataFieldsProperty);
  }, TIMEOUT);

  it(`keeps the exact decimal text, and refuses '+' prices as format_invalid (${RUNS} runs)`, async () => {
    await fuzz('fix-decimal-text', [fc.array(orderSpec, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), chunk], decimalTextProperty);
  }, TIMEOUT);

  it('replays every saved regression fixture', async () => {
    const fixtures = loadFixtures();
    // The fixtures folder is never empty: it holds the cases found so far (and hand-kept ones).
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) {
      const predicate = PROPERTIES[f.property];
      expect(predicate, `${f.file}: unknown property ${f.property}`).toBeDefined();
      try {
        await predicate(...(f.case as never[]));
      } catch (e) {
        throw new Error(`regression fixture ${f.file} (seed ${f.seed}) fails again: ${(e as Error).message}`);
      }
    }
  }, 60_000);
});
