import { mkdtempSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

type Write = (this: FileHandle, bytes: Buffer, offset?: number, length?: number) => Promise<{ bytesWritten: number }>;

/**
 * Replaces FileHandle#write, the call the JSONL writer makes, with `around`, which gets the
 * real write to call; returns the restore function. For faults and slow disks in unit tests.
 */
export async function spyOnFileWrites(
  around: (
    write: (bytes: Buffer) => Promise<{ bytesWritten: number }>,
    bytes: Buffer,
  ) => Promise<{ bytesWritten: number }>,
  times = Number.POSITIVE_INFINITY,
): Promise<() => void> {
  const probe = await open(join(mkdtempSync(join(tmpdir(), 'tradesim-probe-')), 'probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const real = Object.getOwnPropertyDescriptor(prototype, 'write')!.value as Write;
  const callReal = (handle: FileHandle, bytes: Buffer) => real.call(handle, bytes, 0, bytes.length);
  let left = times;
  const spy = vi.spyOn(prototype, 'write').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
    const [bytes, offset = 0, length] = args as [Buffer, number?, number?];
    const part = bytes.subarray(offset, length === undefined ? undefined : offset + length);
    if (left <= 0) return callReal(this, part);
    left -= 1;
    return around((b) => callReal(this, b), part);
  } as unknown as FileHandle['write']);
  return () => spy.mockRestore();
}
