import { describe, expect, it } from 'vitest';
import { isFixDecimal, isZeroDecimal, lifecycleEvent, parseFixTimestamp, parseLocalMktDate } from '../../lib/fix/index';

// Lexical value checks (timestamps, dates, decimals) and lifecycle normalisation across versions.

describe('parseFixTimestamp', () => {
  it.each([
    ['20240102-03:04:05', '2024-01-02T03:04:05.000000Z', 0],
    ['20240102-03:04:05.123', '2024-01-02T03:04:05.123000Z', 3],
    ['20240102-03:04:05.123456', '2024-01-02T03:04:05.123456Z', 6],
    ['20240102-03:04:05.123456789', '2024-01-02T03:04:05.123456Z', 9],
    ['20240102-03:04:05.123456789012', '2024-01-02T03:04:05.123456Z', 12],
    ['20240229-23:59:59.999', '2024-02-29T23:59:59.999000Z', 3],
  ])('%s → %s (precision %i)', (raw, iso, precision) => {
    expect(parseFixTimestamp(raw)).toEqual({ iso, precision });
  });

  it.each([
    '20230229-00:00:00', '20240132-00:00:00', '20240102-24:00:00', '20240102-03:60:00', '20240102-03:04:60',
    '20240102 03:04:05', '2024-01-02T03:04:05Z', '20240102-03:04:05.12', '20240102-03:04:05.1234', '20240102-03:04:05.', '',
    '20240102-03:04:05Z', '00000000-00:00:00.000',
  ])('rejects %j', (raw) => {
    expect(parseFixTimestamp(raw)).toBeNull();
  });
});

describe('parseLocalMktDate', () => {
  it('reads YYYYMMDD as a date', () => {
    expect(parseLocalMktDate('20240104')).toBe('2024-01-04');
    expect(parseLocalMktDate('20240230')).toBeNull();
    expect(parseLocalMktDate('2024014')).toBeNull();
    expect(parseLocalMktDate('2024-01-04')).toBeNull();
  });
});

describe('isFixDecimal (lexical, never a JS number)', () => {
  it.each(['0', '100', '-1.5', '101.25', '0.00000001', '12345678901234567890.123456789', '.5', '5.'])('accepts %s', (v) => {
    expect(isFixDecimal(v)).toBe(true);
  });
  it.each(['', '-', '.', '+200.00', '1e5', '1,000', '1.2.3', ' 1', 'NaN', '0x10'])('rejects %j', (v) => {
    expect(isFixDecimal(v)).toBe(false);
  });
  it('knows zero', () => {
    expect(isZeroDecimal('0.0000')).toBe(true);
    expect(isZeroDecimal('-0')).toBe(true);
    expect(isZeroDecimal('0.0001')).toBe(false);
  });
});

describe('lifecycleEvent: FIX 4.2 and 4.4 land on the same events', () => {
  const reader = (tags: Record<number, string>) => ({ tagValue: (t: number) => tags[t] ?? null });
  it.each([
    ['4.2 partial fill', { 20: '0', 150: '1', 39: '1' }, 'partial_fill'],
    ['4.4 partial fill', { 150: 'F', 39: '1' }, 'partial_fill'],
    ['4.2 fill', { 20: '0', 150: '2', 39: '2' }, 'fill'],
    ['4.4 fill', { 150: 'F', 39: '2' }, 'fill'],
    ['4.4 fill known from LeavesQty', { 150: 'F', 151: '0.000' }, 'fill'],
    ['4.4 trade of unknown completeness', { 150: 'F' }, 'trade'],
    ['4.2 bust', { 20: '1', 150: '2' }, 'trade_cancel'],
    ['4.4 bust', { 150: 'H' }, 'trade_cancel'],
    ['4.2 correction', { 20: '2', 150: '1' }, 'trade_correct'],
    ['4.4 correction', { 150: 'G' }, 'trade_correct'],
    ['4.2 status', { 20: '3', 150: '0' }, 'order_status'],
    ['4.4 status', { 150: 'I' }, 'order_status'],
    ['ack', { 150: '0', 39: '0' }, 'ack'],
    ['canceled', { 150: '4' }, 'canceled'],
    ['replaced', { 150: '5' }, 'replaced'],
    ['pending cancel', { 150: '6' }, 'pending_cancel'],
    ['pending replace', { 150: 'E' }, 'pending_replace'],
    ['rejected', { 150: '8' }, 'rejected'],
    ['done for day', { 150: '3' }, 'done_for_day'],
    ['expired', { 150: 'C' }, 'expired'],
    ['restated', { 150: 'D' }, 'restated'],
    ['4.0 fill (no ExecType)', { 20: '0', 39: '2' }, 'fill'],
    ['4.0 partial (no ExecType)', { 20: '0', 39: '1' }, 'partial_fill'],
    ['unknown', { 150: 'Z' }, 'other'],
  ])('ExecutionReport %s', (_name, tags, event) => {
    expect(lifecycleEvent('8', reader(tags as Record<number, string>))).toBe(event);
  });

  it.each([
    ['D', 'new_order'], ['F', 'cancel_request'], ['G', 'replace_request'], ['H', 'status_request'], ['9', 'cancel_reject'],
    ['Q', 'dont_know_trade'], ['AE', 'trade_capture'], ['J', 'other'],
  ])('MsgType %s → %s', (type, event) => {
    expect(lifecycleEvent(type, reader({}))).toBe(event);
  });
});
