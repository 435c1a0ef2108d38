// result_hash (lib/pipeline/result-hasher.ts): sha256(H ‖ digest of each staged row line), rows
// in order. Combining across byte ranges is tested in test/jobs/plan-byte-ranges.test.ts.
import { describe, expect, it } from 'vitest';
import { createStagedResultHasher } from '../../lib/pipeline/result-hasher';

const constants = { _cf_source_hash: 'a'.repeat(64), _cf_parser_version: '1.0.0', _cf_contract_hash: 'b'.repeat(64) };
const columns = ['x', 'y'];

function hashOf(lines: string[], opts: { constants?: Record<string, string>; columns?: string[] } = {}): string {
  const h = createStagedResultHasher({ constants: opts.constants ?? constants, columns: opts.columns ?? columns });
  h.updateBytes(Buffer.from(lines.map((l) => l + '\n').join('')));
  return h.digest();
}

describe('createStagedResultHasher', () => {
  it('depends on row order, on every value, on the lineage constants and on the columns', () => {
    const base = hashOf(['1\u001fa', '2\u001fb']);
    expect(hashOf(['1\u001fa', '2\u001fb'])).toBe(base);
    expect(hashOf(['2\u001fb', '1\u001fa'])).not.toBe(base);
    expect(hashOf(['1\u001fa', '2\u001fc'])).not.toBe(base);
    // NULL (an empty cell) is not the empty string (an empty quoted cell).
    expect(hashOf(['1\u001f', '2\u001fb'])).not.toBe(hashOf(['1\u001f\u001e\u001e', '2\u001fb']));
    expect(hashOf(['1\u001fa', '2\u001fb'], { constants: { ...constants, _cf_contract_hash: 'c'.repeat(64) } })).not.toBe(base);
    expect(hashOf(['1\u001fa', '2\u001fb'], { columns: ['x', 'z'] })).not.toBe(base);
  });

  it('counts staged lines not yet passed to updateBytes, and can be read more than once', () => {
    const h = createStagedResultHasher({ constants, columns });
    h.updateBytes(Buffer.from('1\u001fa\n'));
    const pending = Buffer.from('2\u001fb\n');
    expect(h.digest(pending)).toBe(hashOf(['1\u001fa', '2\u001fb']));
    expect(h.digest()).toBe(hashOf(['1\u001fa']));
    expect(h.digest()).toBe(h.digest());
  });

  it('gives the same value whatever the chunking of the staged bytes', () => {
    const text = '1\u001fa\n2\u001f\u001eb\nc\u001e\n3\u001fd\n';
    const whole = createStagedResultHasher({ constants, columns });
    whole.updateBytes(Buffer.from(text));
    const byLines = createStagedResultHasher({ constants, columns });
    byLines.updateBytes(Buffer.from('1\u001fa\n'));
    byLines.updateBytes(Buffer.from('2\u001f\u001eb\nc\u001e\n3\u001fd\n'));
    expect(byLines.digest()).toBe(whole.digest());
  });
});
