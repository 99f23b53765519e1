import { describe, expect, it } from 'vitest';
import { createSystemSampler } from '../../src/monitoring/index.js';

describe('createSystemSampler', () => {
  it('samples CPU and memory of the process and the machine', async () => {
    const sampler = createSystemSampler(60_000, () => 1_234);
    expect(sampler.latest()).toBeUndefined();
    const sample = await sampler.sampleNow();
    expect(sampler.latest()).toBe(sample);
    expect(sample.machineMemoryTotalBytes).toBeGreaterThan(2 ** 28);
    expect(sample.machineMemoryUsedBytes).toBeGreaterThan(0);
    expect(sample.machineMemoryUsedBytes).toBeLessThanOrEqual(sample.machineMemoryTotalBytes);
    expect(sample.processRssBytes).toBeGreaterThan(sample.processHeapUsedBytes);
    expect(sample.machineCpu).toBeGreaterThanOrEqual(0);
    expect(sample.machineCpu).toBeLessThanOrEqual(1);
    expect(sample.processCpu).toBeGreaterThanOrEqual(0);
    expect(sample.sampledAtMs).toBe(1_234);
  });

  it('keeps sampling in the background until stopped', async () => {
    const sampler = createSystemSampler(20);
    await sampler.start();
    const first = sampler.latest();
    const deadline = Date.now() + 5_000;
    while (sampler.latest() === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sampler.latest()).not.toBe(first);
    sampler.stop();
  });
});
