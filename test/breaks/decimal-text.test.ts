// The drill-down copy keeps prices and quantities as exact text. textOfSql narrows a wide decimal
// to DECIMAL(18, s) before the cast (three times faster); the text must be the plain cast's, for
// every value: inside and at the edge of the narrow range, past it, negative, zero and NULL.
import { describe, expect, it } from 'vitest';
import { textOfSql } from '../../db/breaks/sql-fragments';
import { useTempDb } from './fix-scenario';

const VALUES: [string, string[]][] = [
  ['DECIMAL(24,8)', ['0', '1.5', '-0.00000001', '9999999999.99999999', '-9999999999.99999999', '10000000000', '-10000000000.00000001', '9999999999999999.99999999', '-9999999999999999.99999999']],
  ['DECIMAL(24,10)', ['123.4567890123', '99999999.9999999999', '100000000', '-100000000.0000000001', '99999999999999.9999999999']],
  ['DECIMAL(18,4)', ['12345678901234.5678', '-1']],
  ['DECIMAL(38,0)', ['99999999999999999999999999999999999999', '999999999999999999', '1000000000000000000']],
];

describe('decimal columns as text (order_chain_messages)', () => {
  const t = useTempDb({ reset: false });

  it('gives the plain cast text for every value, wide or narrow, and keeps NULL', async () => {
    for (const [type, values] of VALUES) {
      const rows = await t.db.all<{ fast: string | null; plain: string | null }>(
        `SELECT ${textOfSql('v', type)} AS fast, v::VARCHAR AS plain
         FROM (SELECT unnest(from_json(?, '["VARCHAR"]'))::${type} AS v UNION ALL SELECT NULL::${type})`,
        [JSON.stringify(values)],
      );
      expect(rows).toHaveLength(values.length + 1);
      for (const r of rows) expect(r.fast, type).toBe(r.plain);
      expect(rows.filter((r) => r.fast === null)).toHaveLength(1);
      // The plain cast keeps the column's scale: the text is exact, not a float.
      if (type === 'DECIMAL(24,8)') expect(rows.map((r) => r.fast)).toContain('-10000000000.00000001');
    }
  });

  it('takes the narrow path only where it is exact', () => {
    expect(textOfSql('x', 'DECIMAL(24,8)')).toContain('DECIMAL(18,8)');
    expect(textOfSql('x', 'DECIMAL(18,4)')).toBe('x::VARCHAR');
    expect(textOfSql('x', 'DECIMAL(38,18)')).toBe('x::VARCHAR');
    expect(textOfSql('x', 'VARCHAR')).toBe('x::VARCHAR');
  });
});
