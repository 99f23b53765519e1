import { describe, expect, it } from 'vitest';
import { createSystemSampler } from '../../src/monitoring/index.js';

describe('createSystemSampler', () => {
  // A run's last sample must not hold its exit: no module to load, timer or child process.
  it('takes its first sample without waiting for I/O or a timer (before the event loop turns)', async () => {
    const sampler = createSystemSampler(60_000);
    let turned = false;
    setImmediate(() => (turned = true));
    const sample = await sampler.sampleNow();
    expect(turned).toBe(false);
    expect(sample.machineCpu).toBeLessThanOrEqual(1);
  });

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

  it('never samples again once stopped, even when stopped before its first sample ends', async () => {
    const sampler = createSystemSampler(20);
    const started = sampler.start();
    sampler.stop();
    await started;
    const first = sampler.latest();
    expect(first).toBeDefined();
    // Time must pass to show no sample comes: five intervals.
    await new Promise((r) => setTimeout(r, 100));
    expect(sampler.latest()).toBe(first);
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
