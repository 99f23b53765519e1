import { describe, expect, it } from 'vitest';
import { createRingBuffer } from '../../../src/services/index.js';

describe('createRingBuffer', () => {
  it('keeps values oldest first until full', () => {
    const rb = createRingBuffer(3);
    expect(rb.length).toBe(0);
    expect(rb.last()).toBeUndefined();
    rb.push(1);
    rb.push(2);
    expect([...rb]).toEqual([1, 2]);
    expect(rb.at(0)).toBe(1);
    expect(rb.last()).toBe(2);
    expect(rb.at(2)).toBeUndefined();
  });

  it('drops the oldest value at capacity and keeps the order', () => {
    const rb = createRingBuffer(3);
    for (const v of [1, 2, 3, 4, 5]) rb.push(v);
    expect([...rb]).toEqual([3, 4, 5]);
    expect(Array.from(rb.toArray())).toEqual([3, 4, 5]);
    expect(Array.from(rb.toArray(2))).toEqual([4, 5]);
    expect(Array.from(rb.toArray(10))).toEqual([3, 4, 5]);
  });

  it('stays bounded: 10,000 appends into 200 keep 200, the newest', () => {
    const rb = createRingBuffer(200);
    for (let i = 0; i < 10_000; i++) rb.push(i);
    expect(rb.length).toBe(200);
    expect(rb.at(0)).toBe(9_800);
    expect(rb.last()).toBe(9_999);
    expect(rb.version).toBe(10_000);
  });

  it('changes its version on every append', () => {
    const rb = createRingBuffer(2);
    const versions = [rb.version];
    for (let i = 0; i < 4; i++) {
      rb.push(i);
      versions.push(rb.version);
    }
    expect(new Set(versions).size).toBe(5);
  });

  it('copies a window that ends some appends ago', () => {
    const rb = createRingBuffer(5);
    for (const v of [1, 2, 3, 4, 5]) rb.push(v);
    const out = new Float64Array(5);
    expect(rb.copyInto(out, 2, 1)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([3, 4]);
    expect(rb.copyInto(out, 5, 3)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 2]);
  });

  it('refuses a capacity below 1 with its code', () => {
    expect(() => createRingBuffer(0)).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_HISTORY_CAPACITY_INVALID' }),
    );
  });
});
