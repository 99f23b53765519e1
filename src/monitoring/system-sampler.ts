import { cpus, freemem, totalmem } from 'node:os';

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

/** CPU time of the machine since boot, in ms summed over its CPUs: busy, and in all. */
function machineCpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const used = times.user + times.nice + times.sys + times.irq;
    busy += used;
    total += used + times.idle;
  }
  return { busy, total };
}

/**
 * Creates a sampler of CPU and memory (from Node's os and process: no child process, no
 * module to load, nothing left running), every `intervalMs` (default 5 s). Machine memory
 * used is the total less what is available (MemAvailable on Linux). The timer is unref'd:
 * it never keeps the process alive, so a run exits as soon as its last turn is flushed.
 */
export function createSystemSampler(intervalMs = 5_000, wallMs: () => number = Date.now): SystemSampler {
  let latest: SystemSample | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastCpu = process.cpuUsage();
  let lastMachine = machineCpuTimes();
  let lastAt = performance.now();

  async function sampleNow(): Promise<SystemSample> {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const machine = machineCpuTimes();
    const machineBusy = machine.busy - lastMachine.busy;
    const machineTotal = machine.total - lastMachine.total;
    const elapsedMicros = Math.max(1, (now - lastAt) * 1000);
    lastCpu = process.cpuUsage();
    lastMachine = machine;
    lastAt = now;
    const memory = process.memoryUsage();
    const memoryTotal = totalmem();
    latest = Object.freeze({
      processCpu: (cpu.user + cpu.system) / elapsedMicros,
      // No CPU tick since the last sample (two samples close together): the share since boot.
      machineCpu: Math.min(
        1,
        Math.max(0, machineTotal > 0 ? machineBusy / machineTotal : machine.busy / machine.total),
      ),
      processRssBytes: memory.rss,
      processHeapUsedBytes: memory.heapUsed,
      processHeapTotalBytes: memory.heapTotal,
      machineMemoryUsedBytes: memoryTotal - freemem(),
      machineMemoryTotalBytes: memoryTotal,
      sampledAtMs: wallMs(),
    });
    return latest;
  }

  return {
    latest: () => latest,
    sampleNow,
    async start() {
      await sampleNow();
      // Stopped meanwhile (a run that ended before its first sample): no timer.
      if (stopped) return;
      timer = setInterval(() => {
        // A failed sample keeps the previous one; the next interval tries again.
        sampleNow().catch(() => {});
      }, intervalMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
