import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent, quoteString } from '../../db/sql';
import { openTempDb, type TempDb } from './temp-db';

const awkward = ['plain', 'with space', 'dot.ted', 'qu"ote', '""', "single'quote", 'new\nline', 'tab\there', 'semi;colon --', 'ümlaut€', 'back\\slash', 'a"; DROP TABLE users; --'];

describe('quoteIdent / quoteString', () => {
  it('doubles embedded quotes and wraps', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x.y')).toBe('"x.y"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString('a\nb')).toBe("'a\nb'");
  });

  it('refuses empty identifiers and NUL', () => {
    expect(() => quoteIdent('')).toThrow(/sql.empty_identifier/);
    expect(() => quoteIdent('a\u0000b')).toThrow(/sql.bad_identifier/);
    expect(() => quoteString('a\u0000b')).toThrow(/sql.bad_string/);
  });

  describe('round trip through DuckDB', () => {
    let t: TempDb;
    beforeAll(async () => {
      t = await openTempDb();
    });
    afterAll(async () => t.cleanup());

    it('every awkward name becomes exactly that column and table name, every string exactly that value', async () => {
      for (const name of awkward) {
        const table = `t ${name}`;
        await t.db.run(`CREATE TABLE ${quoteIdent(table)} (${quoteIdent(name)} VARCHAR)`);
        await t.db.run(`INSERT INTO ${quoteIdent(table)} VALUES (${quoteString(name)})`);
        const rows = await t.db.all<Record<string, string>>(`SELECT * FROM ${quoteIdent(table)}`);
        expect(Object.keys(rows[0])).toEqual([name]);
        expect(rows[0][name]).toBe(name);
        const tables = await t.db.all<{ n: string }>('SELECT table_name AS n FROM information_schema.tables WHERE table_name = ?', [table]);
        expect(tables).toEqual([{ n: table }]);
      }
      // Nothing was dropped by the injection attempt.
      expect(await t.db.all('SELECT count(*) AS n FROM users')).toEqual([{ n: '0' }]);
    });
  });
});
