import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../lib/contracts/column-type';
import { checkDecimal } from '../../lib/pipeline/lexical/decimal';
import { CheckFailure } from '../../lib/pipeline/violation';
import { validateOne } from './helpers';

// Table-driven: every type and every violation. A row is [input, expected typed value] or
// [input, violation type].

type Case = [string | number | boolean | null, { value: unknown } | { violations: string[] }];
const ok = (value: unknown) => ({ value });
const bad = (...violations: string[]) => ({ violations });

function table(name: string, type: ColumnType, cases: Case[], opts: { format?: string; nullable?: boolean } = {}) {
  describe(name, () => {
    it.each(cases)('%j', (input, expected) => {
      expect(validateOne(type, input, opts)).toEqual(expected);
    });
  });
}

const D18_6: ColumnType = { kind: 'decimal', precision: 18, scale: 6 };
table('decimal(18,6)', D18_6, [
  ['-0.50', ok('-0.500000')],
  ['+1', ok('1.000000')],
  ['00012.30', ok('12.300000')],
  ['0', ok('0.000000')],
  ['-0', ok('0.000000')],
  ['-0.000', ok('0.000000')],
  ['.5', ok('0.500000')],
  ['5.', ok('5.000000')],
  ['123456789012.123456', ok('123456789012.123456')],
  ['000000000000000123456789012.5', ok('123456789012.500000')], // leading zeros do not count
  ['1234567890123.1', bad('precision_exceeded')], // 13 integer digits > 12
  ['1.1234567', bad('precision_exceeded')], // 7 fraction digits > 6
  ['1.1000000', bad('precision_exceeded')], // trailing zeros are digits too: never rewritten
  ['1e3', bad('type_mismatch')],
  ['1E3', bad('type_mismatch')],
  [' 1', bad('type_mismatch')],
  ['1 ', bad('type_mismatch')],
  ['1,5', bad('type_mismatch')],
  ['1.2.3', bad('type_mismatch')],
  ['--1', bad('type_mismatch')],
  ['+', bad('type_mismatch')],
  ['.', bad('type_mismatch')],
  ['NaN', bad('type_mismatch')],
  ['Infinity', bad('type_mismatch')],
  ['0x10', bad('type_mismatch')],
  ['', ok(null)],
  [null, ok(null)],
]);

table('decimal(38,0) with 38 and 39 digits', { kind: 'decimal', precision: 38, scale: 0 }, [
  ['9'.repeat(38), ok('9'.repeat(38))],
  ['-' + '9'.repeat(38), ok('-' + '9'.repeat(38))],
  ['9'.repeat(39), bad('precision_exceeded')],
  ['1' + '0'.repeat(38), bad('precision_exceeded')],
  ['0'.repeat(10) + '9'.repeat(38), ok('9'.repeat(38))],
  ['1.5', bad('precision_exceeded')],
]);

table('decimal(4,4): no integer digits', { kind: 'decimal', precision: 4, scale: 4 }, [
  ['0.1234', ok('0.1234')],
  ['-.1', ok('-0.1000')],
  ['1.0', bad('precision_exceeded')],
]);

table('int64', 'int64', [
  ['0', ok('0')],
  ['-0', ok('0')],
  ['+1', ok('1')],
  ['007', ok('7')],
  ['-42', ok('-42')],
  ['9223372036854775807', ok('9223372036854775807')],
  ['-9223372036854775808', ok('-9223372036854775808')],
  ['9223372036854775808', bad('precision_exceeded')],
  ['-9223372036854775809', bad('precision_exceeded')],
  ['99999999999999999999', bad('precision_exceeded')],
  ['0009223372036854775807', ok('9223372036854775807')],
  ['1.0', bad('type_mismatch')],
  ['1e3', bad('type_mismatch')],
  [' 1', bad('type_mismatch')],
  ['-', bad('type_mismatch')],
  ['abc', bad('type_mismatch')],
  [42, ok('42')], // a JS number cell (position metadata) is read as its text
  ['', ok(null)],
]);

table('float64', 'float64', [
  ['1.5', ok('1.5')],
  ['-1e3', ok('-1000')],
  ['+2.5E-3', ok('0.0025')],
  ['.5', ok('0.5')],
  ['1e999', bad('precision_exceeded')],
  ['1e', bad('type_mismatch')],
  ['NaN', bad('type_mismatch')],
  ['1 ', bad('type_mismatch')],
]);

table('boolean (documented spellings)', 'boolean', [
  ['true', ok(true)],
  ['TRUE', ok(true)],
  ['True', ok(true)],
  ['t', ok(true)],
  ['T', ok(true)],
  ['1', ok(true)],
  ['yes', ok(true)],
  ['Y', ok(true)],
  ['false', ok(false)],
  ['F', ok(false)],
  ['0', ok(false)],
  ['No', ok(false)],
  ['n', ok(false)],
  [true, ok(true)],
  [false, ok(false)],
  ['on', bad('type_mismatch')],
  ['2', bad('type_mismatch')],
  [' true', bad('type_mismatch')],
  ['truee', bad('type_mismatch')],
]);

table('enum', { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT'] }, [
  ['BUY', ok('BUY')],
  ['SELL_SHORT', ok('SELL_SHORT')],
  ['buy', bad('enum_invalid')],
  ['BUY ', bad('enum_invalid')],
  ['', ok(null)],
]);

table('string', 'string', [
  ['  padded  ', ok('  padded  ')],
  ['', ok(null)],
  ['é€', ok('é€')],
]);

table('date iso8601', 'date', [
  ['2024-02-29', ok('2024-02-29')], // leap day
  ['2023-02-29', bad('format_invalid')], // not a leap year
  ['2024-02-30', bad('format_invalid')], // Feb 30
  ['1900-02-29', bad('format_invalid')], // century, not leap
  ['2000-02-29', ok('2000-02-29')], // 400-year leap
  ['2024-04-31', bad('format_invalid')],
  ['2024-13-01', bad('format_invalid')],
  ['0000-01-01', bad('format_invalid')],
  ['2024-1-02', bad('format_invalid')],
  ['20240102', bad('format_invalid')],
  ['2024-01-02T00:00:00', bad('format_invalid')],
  ['', ok(null)],
]);

table('date fix_local_mkt_date', 'date', [
  ['20240229', ok('2024-02-29')],
  ['20240230', bad('format_invalid')],
  ['2024-02-29', bad('format_invalid')],
  ['2024022', bad('format_invalid')],
], { format: 'fix_local_mkt_date' });

table('date luxon pattern dd/MM/yyyy', 'date', [
  ['29/02/2024', ok('2024-02-29')],
  ['30/02/2024', bad('format_invalid')],
  ['2024-02-29', bad('format_invalid')],
], { format: 'dd/MM/yyyy' });

table('timestamp iso8601 (naive)', 'timestamp', [
  ['2024-01-02T03:04:05', ok('2024-01-02 03:04:05.000000')],
  ['2024-01-02 03:04:05.123456', ok('2024-01-02 03:04:05.123456')],
  ['2024-01-02T03:04', ok('2024-01-02 03:04:00.000000')],
  ['2024-01-02T03:04:05.1', ok('2024-01-02 03:04:05.100000')],
  ['2024-01-02T03:04:05.1234567', bad('precision_exceeded')],
  ['2024-01-02T03:04:05Z', bad('format_invalid')], // an offset in a timestamp without zone
  ['2024-01-02T24:00:00', bad('format_invalid')],
  ['2024-01-02T23:59:60', bad('format_invalid')],
  ['2024-02-30T00:00:00', bad('format_invalid')],
  ['2024-01-02', bad('format_invalid')],
]);

const UTC: ColumnType = { kind: 'timestamp_tz', tz: 'UTC' };
table('timestamp_tz(UTC) iso8601', UTC, [
  ['2024-01-02T03:04:05Z', ok('2024-01-02 03:04:05.000000+00')],
  ['2024-01-02T03:04:05.123456Z', ok('2024-01-02 03:04:05.123456+00')],
  ['2024-01-02T03:04:05+00:00', ok('2024-01-02 03:04:05.000000+00')],
  ['2024-01-02T03:04:05+01:00', ok('2024-01-02 02:04:05.000000+00')],
  ['2024-01-02T00:30:00+0100', ok('2024-01-01 23:30:00.000000+00')],
  ['2024-12-31T23:30:00-05', ok('2025-01-01 04:30:00.000000+00')],
  ['2024-02-28T23:00:00-02:00', ok('2024-02-29 01:00:00.000000+00')], // into a leap day
  ['2024-01-02t03:04:05z', ok('2024-01-02 03:04:05.000000+00')],
  ['2024-01-02T03:04:05', bad('timezone_required')],
  ['2024-01-02 03:04:05.5', bad('timezone_required')],
  ['2024-01-02T03:04:05.123456789Z', bad('precision_exceeded')],
  ['2024-01-02T03:04:05+25:00', bad('format_invalid')],
  ['2024-02-30T03:04:05Z', bad('format_invalid')],
  ['yesterday', bad('format_invalid')],
  ['2024-01-02T03:04:', bad('format_invalid')],
  ['2024-01-02T03:04:05+', bad('format_invalid')],
  ['2024-01-02T03:04:05+0', bad('format_invalid')],
  ['2024-01-02T03:04:05+01:', bad('format_invalid')],
  ['2024-01-02T03:04:05.', bad('format_invalid')],
  ['2024-01-02T03:04:05ZZ', bad('format_invalid')],
  ['2024-01-02T03:04.5Z', bad('format_invalid')],
]);

table('timestamp_tz(America/New_York) iso8601: naive is still timezone_required', { kind: 'timestamp_tz', tz: 'America/New_York' }, [
  ['2024-03-10T02:30:00', bad('timezone_required')],
  ['2024-03-10T02:30:00-05:00', ok('2024-03-10 07:30:00.000000+00')],
]);

table('timestamp_tz fix_utc_timestamp', UTC, [
  ['20240102-03:04:05', ok('2024-01-02 03:04:05.000000+00')],
  ['20240102-03:04:05.123', ok('2024-01-02 03:04:05.123000+00')],
  ['20240102-03:04:05.123456', ok('2024-01-02 03:04:05.123456+00')],
  ['20240102-03:04:05.123456789', bad('precision_exceeded')],
  ['20240102-03:04:05.12', bad('format_invalid')],
  ['20240102-03:04:05.1234', bad('format_invalid')],
  ['20240230-03:04:05', bad('format_invalid')],
  ['20240102-03:04:60', bad('format_invalid')],
  ['2024-01-02T03:04:05Z', bad('format_invalid')],
  ['20240102 03:04:05', bad('format_invalid')],
], { format: 'fix_utc_timestamp' });

// A luxon pattern without a zone token: the text is wall-clock time in the column's zone,
// converted through luxon. DST gap → format_invalid; DST overlap → luxon's choice (the earlier
// instant, i.e. the first occurrence of that wall time), pinned here.
const NY: ColumnType = { kind: 'timestamp_tz', tz: 'America/New_York' };
table('timestamp_tz(America/New_York) pattern around DST', NY, [
  ['2024-01-15 10:00:00', ok('2024-01-15 15:00:00.000000+00')], // EST, -05:00
  ['2024-07-15 10:00:00', ok('2024-07-15 14:00:00.000000+00')], // EDT, -04:00
  ['2024-03-10 01:59:59', ok('2024-03-10 06:59:59.000000+00')], // just before the gap
  ['2024-03-10 02:30:00', bad('format_invalid')], // in the spring-forward gap: does not exist
  ['2024-03-10 03:00:00', ok('2024-03-10 07:00:00.000000+00')], // just after the gap
  ['2024-11-03 01:30:00', ok('2024-11-03 05:30:00.000000+00')], // overlap: earlier instant (EDT, the first 01:30)
  ['2024-11-03 00:59:00', ok('2024-11-03 04:59:00.000000+00')],
  ['2024-11-03 02:00:00', ok('2024-11-03 07:00:00.000000+00')],
  ['2024-02-30 10:00:00', bad('format_invalid')],
], { format: 'yyyy-MM-dd HH:mm:ss' });

table('timestamp_tz(Europe/London) pattern around DST', { kind: 'timestamp_tz', tz: 'Europe/London' }, [
  ['31/03/2024 00:30', ok('2024-03-31 00:30:00.000000+00')],
  ['31/03/2024 01:30', bad('format_invalid')], // gap 01:00–02:00
  ['31/03/2024 02:30', ok('2024-03-31 01:30:00.000000+00')],
], { format: 'dd/MM/yyyy HH:mm' });

table('timestamp_tz pattern with an offset token: the text carries the zone', NY, [
  ['2024-01-02 03:04:05 +01:00', ok('2024-01-02 02:04:05.000000+00')],
  ['2024-01-02 03:04:05.250 Z', bad('format_invalid')],
], { format: 'yyyy-MM-dd HH:mm:ss ZZ' });

describe('null handling', () => {
  it.each([['int64'], ['string'], ['date'], [D18_6], [UTC]] as [ColumnType][])('%j: empty and null in a non-nullable column', (type) => {
    expect(validateOne(type, '', { nullable: false })).toEqual(bad('null_not_allowed'));
    expect(validateOne(type, null, { nullable: false })).toEqual(bad('null_not_allowed'));
  });
});

describe('decimal property: the canonical text has the same value and is never rounded', () => {
  it('agrees with decimal.js on random decimal text', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits(0, 14), fc.boolean(), digits(0, 8), (sign, int, point, frac) => {
        const text = sign + int + (point ? '.' + frac : '');
        const r = checkDecimal(text, 18, 6);
        const hasDigits = int.length > 0 || (point && frac.length > 0);
        if (!hasDigits) return r instanceof CheckFailure && r.type === 'type_mismatch';
        const sig = int.replace(/^0+/, '').length;
        const fracLen = point ? frac.length : 0;
        if (fracLen > 6 || sig > 12) return r instanceof CheckFailure && r.type === 'precision_exceeded';
        return typeof r === 'string' && new Decimal(r).equals(new Decimal(text === '' ? '0' : text)) && /^-?\d+\.\d{6}$/.test(r) && !/^-0\.0+$/.test(r);
      }),
      { numRuns: 2000 },
    );
  });
});
