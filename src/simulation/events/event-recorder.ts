import type { AppliedEvent, EventTarget } from '../turn-report.js';
import type { EventType } from '../types.js';

/** Collects an event's targets as it is applied; keeps each target only when asked to. */
export interface EventRecorder {
  add(index: number, value: number): void;
  finish(): AppliedEvent;
}

/** A recorder for one event of `type`; `keepTargets` decides whether the target list is kept. */
export function createEventRecorder(type: EventType, keepTargets: boolean): EventRecorder {
  const targets: EventTarget[] | null = keepTargets ? [] : null;
  let targetCount = 0;
  let total = 0;
  return {
    add(index, value) {
      targetCount += 1;
      total += value;
      targets?.push({ index, value });
    },
    finish: () => ({ type, targetCount, total, targets }),
  };
}
