// The upload limits read from the environment: defaults that hold a day of 10M FIX messages
// (2.8 GB, the largest day measured end to end), the decompressed limit following a raised raw
// one, and a clear error for a limit that is not a positive byte count.
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_MAX_BYTES, uploadLimits } from '../../lib/server/uploads/upload-limits';

const TEN_MILLION_MESSAGE_DAY = 2_778_490_087; // bytes of the benchmark's 10M-message FIX file

describe('uploadLimits', () => {
  it('lets a day of 10M FIX messages through by default, raw or gzipped', () => {
    const limits = uploadLimits({});
    expect(limits.maxBytes).toBe(DEFAULT_UPLOAD_MAX_BYTES);
    expect(limits.maxBytes).toBeGreaterThan(TEN_MILLION_MESSAGE_DAY);
    expect(limits.maxDecompressedBytes).toBeGreaterThan(TEN_MILLION_MESSAGE_DAY);
  });

  it('takes the limits from the environment; the decompressed one follows a raised raw one', () => {
    expect(uploadLimits({ UPLOAD_MAX_BYTES: '1024' })).toEqual({ maxBytes: 1024, maxDecompressedBytes: DEFAULT_UPLOAD_MAX_BYTES });
    expect(uploadLimits({ UPLOAD_MAX_BYTES: String(8 * 2 ** 30) })).toEqual({ maxBytes: 8 * 2 ** 30, maxDecompressedBytes: 8 * 2 ** 30 });
    expect(uploadLimits({ UPLOAD_MAX_BYTES: '1024', UPLOAD_MAX_DECOMPRESSED_BYTES: '4096' })).toEqual({ maxBytes: 1024, maxDecompressedBytes: 4096 });
  });

  it('refuses a limit that is not a positive byte count', () => {
    for (const bad of ['0', '-1', '1.5', 'lots', '1e400']) expect(() => uploadLimits({ UPLOAD_MAX_BYTES: bad })).toThrow(/upload\.bad_limit/);
  });
});
