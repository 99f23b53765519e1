import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { schemaProblemText, type TurnLoop } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';

/** The exporter's own faults, for exercises: none is part of the market or its figures. */
export const FAULT_KINDS = ['latency', 'errors', 'stall', 'leak'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** Which requests a latency or error fault hits: the scrape, or the JSON API. */
export const FAULT_TARGETS = ['metrics', 'api'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** The longest added latency, ms, and the largest leak, MiB. */
export const FAULT_LATENCY_MAX_MS = 10_000;
export const FAULT_LEAK_MAX_MIB = 1_024;

/**
 * A fault to switch on. latency: `ms` added to each request of `target`, fixed or drawn from
 * an exponential distribution of that mean; errors: a `share` of `target`'s requests answered
 * 500; stall: the loop plays no turn; leak: `mibPerSecond` kept until `maxMib`, freed on stop.
 */
export const FaultSchema = Type.Object(
  {
    fault: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
    target: Type.Optional(Type.Union(FAULT_TARGETS.map((t) => Type.Literal(t)))),
    ms: Type.Optional(Type.Integer({ minimum: 1, maximum: FAULT_LATENCY_MAX_MS })),
    distribution: Type.Optional(Type.Union([Type.Literal('fixed'), Type.Literal('exponential')])),
    share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    mibPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 256 })),
    maxMib: Type.Optional(Type.Integer({ minimum: 1, maximum: FAULT_LEAK_MAX_MIB })),
  },
  { additionalProperties: false },
);
export type FaultRequest = Static<typeof FaultSchema>;

/** The fields each fault takes besides `fault`: any other is refused, not ignored. */
export const FAULT_FIELDS: Readonly<Record<FaultKind, readonly string[]>> = {
  latency: ['target', 'ms', 'distribution'],
  errors: ['target', 'share'],
  stall: [],
  leak: ['mibPerSecond', 'maxMib'],
};

/** A field `request` carries that its fault does not take, or undefined. */
const fieldNotTaken = (request: FaultRequest): string | undefined =>
  Object.keys(request).find((key) => key !== 'fault' && !FAULT_FIELDS[request.fault].includes(key));

/** A fault that is on, with its settings filled in. */
export type ActiveFault =
  | { readonly fault: 'latency'; readonly target: FaultTarget; readonly ms: number; readonly distribution: string }
  | { readonly fault: 'errors'; readonly target: FaultTarget; readonly share: number }
  | { readonly fault: 'stall' }
  | { readonly fault: 'leak'; readonly mibPerSecond: number; readonly maxMib: number; readonly heldMib: number };

/** The faults of one run, off until switched on. */
export interface Faults {
  /** Switches a fault on (or changes it); returns it as applied. */
  start(request: FaultRequest): ActiveFault;
  /** Switches a fault off (every target when none is given); returns how many were on. */
  stop(fault: FaultKind, target?: FaultTarget): number;
  list(): ActiveFault[];
  /** True while a latency or errors fault is on: only then is a request's target looked up. */
  hitsRequests(): boolean;
  /** What a request to `target` suffers: ms to wait, and whether to fail. */
  requestFault(target: FaultTarget): { readonly delayMs: number; readonly fail: boolean };
  /** Everything off and the leak freed (the server's close). */
  close(): void;
}

const LEAK_TICK_MS = 100;

/**
 * A full collection now, without starting node with --expose-gc: a stopped leak's buffers
 * are garbage, but nothing else would make V8 collect them soon, and the exercise is to see
 * the memory go.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
const MIB = 1024 * 1024;

/**
 * The leak fault: memory held on purpose, filled (so the pages are resident) at a steady
 * rate up to a ceiling, and dropped on stop. Invariant: `heldBytes` never passes the ceiling.
 */
class MemoryLeak {
  private setting:
    { readonly mibPerSecond: number; readonly maxMib: number; readonly timer: NodeJS.Timeout } | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** Starts leaking (a running leak is stopped first); returns the fault as applied. */
  start(mibPerSecond: number, maxMib: number): ActiveFault {
    this.stop();
    const chunk = Math.max(1, Math.round((mibPerSecond * MIB * LEAK_TICK_MS) / 1000));
    const timer = setInterval(() => {
      // The last piece is what is left under the bound: a tick's chunk may be larger than it.
      const size = Math.min(chunk, maxMib * MIB - this.heldBytes);
      if (size <= 0) return;
      this.held.push(Buffer.alloc(size, 1));
      this.heldBytes += size;
    }, LEAK_TICK_MS);
    timer.unref();
    this.setting = { mibPerSecond, maxMib, timer };
    return { fault: 'leak', mibPerSecond, maxMib, heldMib: 0 };
  }

  /** The leak as an active fault, when on. */
  active(): ActiveFault[] {
    const s = this.setting;
    return s ? [{ fault: 'leak', mibPerSecond: s.mibPerSecond, maxMib: s.maxMib, heldMib: this.heldBytes / MIB }] : [];
  }

  /** Stops leaking and lets the memory go. */
  stop(): void {
    if (this.setting) clearInterval(this.setting.timer);
    this.setting = undefined;
    const freed = this.heldBytes > 0;
    this.held = [];
    this.heldBytes = 0;
    if (freed) collectGarbage();
  }
}

/**
 * The faults of a run. `random` draws latencies and failures (the exporter's side, never the
 * market's); `notice` is told each change, for stderr.
 */
export function createFaults(
  loop: Pick<TurnLoop, 'stall' | 'stalled'>,
  notice: (message: string) => void = () => {},
  random: () => number = Math.random,
): Faults {
  const latency = new Map<FaultTarget, { ms: number; distribution: string }>();
  const errors = new Map<FaultTarget, number>();
  const leak = new MemoryLeak();
  const list = (): ActiveFault[] => [
    ...[...latency].map(([target, l]) => ({ fault: 'latency' as const, target, ...l })),
    ...[...errors].map(([target, share]) => ({ fault: 'errors' as const, target, share })),
    ...(loop.stalled ? [{ fault: 'stall' as const }] : []),
    ...leak.active(),
  ];

  return {
    start(request) {
      const problem = [...Value.Errors(FaultSchema, request)][0];
      if (problem) {
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(`fault${problem.path}: ${schemaProblemText(problem)}`);
      }
      const extra = fieldNotTaken(request);
      if (extra !== undefined) {
        const takes = FAULT_FIELDS[request.fault].join(', ') || 'no other field';
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(
          `fault/${extra}: a ${request.fault} fault does not take it (it takes ${takes})`,
        );
      }
      const target = request.target ?? 'metrics';
      let applied: ActiveFault;
      switch (request.fault) {
        case 'latency': {
          const setting = { ms: request.ms ?? 1_000, distribution: request.distribution ?? 'fixed' };
          latency.set(target, setting);
          applied = { fault: 'latency', target, ...setting };
          break;
        }
        case 'errors':
          errors.set(target, request.share ?? 0.5);
          applied = { fault: 'errors', target, share: request.share ?? 0.5 };
          break;
        case 'stall':
          loop.stall(true);
          applied = { fault: 'stall' };
          break;
        case 'leak':
          applied = leak.start(request.mibPerSecond ?? 10, request.maxMib ?? 256);
          break;
      }
      notice(`fault on: ${JSON.stringify(applied)}`);
      return applied;
    },
    stop(fault, target) {
      const before = list().length;
      const targets = target ? [target] : FAULT_TARGETS;
      if (fault === 'latency') for (const t of targets) latency.delete(t);
      if (fault === 'errors') for (const t of targets) errors.delete(t);
      if (fault === 'stall') loop.stall(false);
      if (fault === 'leak') leak.stop();
      const stopped = before - list().length;
      if (stopped > 0) notice(`fault off: ${fault}${target ? ` on ${target}` : ''}`);
      return stopped;
    },
    list,
    hitsRequests: () => latency.size > 0 || errors.size > 0,
    requestFault(target) {
      const l = latency.get(target);
      const share = errors.get(target);
      const delayMs = !l ? 0 : l.distribution === 'exponential' ? -Math.log(1 - random()) * l.ms : l.ms;
      return { delayMs: Math.min(delayMs, FAULT_LATENCY_MAX_MS), fail: share !== undefined && random() < share };
    },
    close() {
      latency.clear();
      errors.clear();
      leak.stop();
    },
  };
}
