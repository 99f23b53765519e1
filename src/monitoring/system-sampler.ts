/** One sample of CPU and memory. */
export interface SystemSample {
  /** CPU time of this process over the last interval, in CPUs (1 = one core busy). */
  readonly processCpu: number;
  /** Busy share of the machine's CPUs over the last interval, 0..1. */
  readonly machineCpu: number;
  readonly processRssBytes: number;
  readonly processHeapUsedBytes: number;
  readonly processHeapTotalBytes: number;
  readonly machineMemoryUsedBytes: number;
  readonly machineMemoryTotalBytes: number;
  readonly sampledAtMs: number;
}

/** Samples in the background; readers get the cached last sample, never a fresh one. */
export interface SystemSampler {
  latest(): SystemSample | undefined;
  /** Takes one sample now (the first one is taken by start()). */
  sampleNow(): Promise<SystemSample>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * Creates a sampler of CPU and memory (machine figures from systeminformation, process
 * figures from Node), every `intervalMs` (default 5 s). The timer is unref'd: it never
 * keeps the process alive.
 */
export function createSystemSampler(intervalMs = 5_000, wallMs: () => number = Date.now): SystemSampler {
  let latest: SystemSample | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();

  async function sampleNow(): Promise<SystemSample> {
    // Loaded at the first sample, after the first turn: a large module the start need not wait for.
    const si = (await import('systeminformation')).default;
    const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const elapsedMicros = Math.max(1, (now - lastAt) * 1000);
    lastCpu = process.cpuUsage();
    lastAt = now;
    const memory = process.memoryUsage();
    latest = Object.freeze({
      processCpu: (cpu.user + cpu.system) / elapsedMicros,
      machineCpu: Math.min(1, Math.max(0, load.currentLoad / 100)),
      processRssBytes: memory.rss,
      processHeapUsedBytes: memory.heapUsed,
      processHeapTotalBytes: memory.heapTotal,
      machineMemoryUsedBytes: mem.total - mem.available,
      machineMemoryTotalBytes: mem.total,
      sampledAtMs: wallMs(),
    });
    return latest;
  }

  return {
    latest: () => latest,
    sampleNow,
    async start() {
      timer = setInterval(() => {
        // A failed sample keeps the previous one; the next interval tries again.
        sampleNow().catch(() => {});
      }, intervalMs);
      timer.unref();
      // The first sample may fail too (its module cannot be loaded: ulimit -n): the timer retries.
      await sampleNow();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
