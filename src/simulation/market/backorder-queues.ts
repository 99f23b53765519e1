/*
 * The queues of backorders: one FIFO queue per product, threaded through flat arrays indexed
 * by company (a company waits for at most one order at a time), so placing, filling and
 * cancelling an order allocates nothing and a checkpoint carries the queues as plain arrays.
 *
 * Invariant: product p's queue is backlogHead[p], backorderNext[head], ... up to backlogTail[p],
 * its orders in the order they were placed (oldest first), backlogLength[p] of them holding
 * backlogUnits[p] units; company c is in p's queue exactly when backorderProduct[c] === p, with
 * backorderPrev/backorderNext its neighbours (-1 at the ends) and backorderUnits[c] > 0;
 * backlogOnTime[p] is the oldest order of the queue not yet counted late (-1 when every one is):
 * the orders before it have been counted, it and those after it have not.
 */

import type { BackorderQueues } from '../world.js';

/** Empty queues for `companies` company slots and `products` products. */
export function createBackorderQueues(companies: number, products: number): BackorderQueues {
  return {
    backorderProduct: new Int32Array(companies).fill(-1),
    backorderUnits: new Float64Array(companies),
    backorderPlaced: new Float64Array(companies),
    backorderLate: new Uint8Array(companies),
    backorderPrev: new Int32Array(companies).fill(-1),
    backorderNext: new Int32Array(companies).fill(-1),
    backlogHead: new Int32Array(products).fill(-1),
    backlogTail: new Int32Array(products).fill(-1),
    backlogLength: new Int32Array(products),
    backlogUnits: new Float64Array(products),
    backlogOnTime: new Int32Array(products).fill(-1),
  };
}

/** Appends company c's order of `units` of `product`, placed at `turn`, to the product's queue. c must have none open. */
export function enqueueBackorder(q: BackorderQueues, c: number, product: number, units: number, turn: number): void {
  const tail = q.backlogTail[product]!;
  q.backorderProduct[c] = product;
  q.backorderUnits[c] = units;
  q.backorderPlaced[c] = turn;
  q.backorderLate[c] = 0;
  q.backorderPrev[c] = tail;
  q.backorderNext[c] = -1;
  if (tail < 0) q.backlogHead[product] = c;
  else q.backorderNext[tail] = c;
  q.backlogTail[product] = c;
  if (q.backlogOnTime[product] === -1) q.backlogOnTime[product] = c;
  q.backlogLength[product] = q.backlogLength[product]! + 1;
  q.backlogUnits[product] = q.backlogUnits[product]! + units;
}

/**
 * Takes company c's open order out of its queue (wherever it stands); returns the units it
 * still waited for.
 */
export function removeBackorder(q: BackorderQueues, c: number): number {
  const product = q.backorderProduct[c]!;
  const prev = q.backorderPrev[c]!;
  const next = q.backorderNext[c]!;
  if (q.backlogOnTime[product] === c) q.backlogOnTime[product] = next;
  if (prev < 0) q.backlogHead[product] = next;
  else q.backorderNext[prev] = next;
  if (next < 0) q.backlogTail[product] = prev;
  else q.backorderPrev[next] = prev;
  const units = q.backorderUnits[c]!;
  q.backorderProduct[c] = -1;
  q.backorderUnits[c] = 0;
  q.backorderLate[c] = 0;
  q.backorderPrev[c] = -1;
  q.backorderNext[c] = -1;
  q.backlogLength[product] = q.backlogLength[product]! - 1;
  q.backlogUnits[product] = q.backlogUnits[product]! - units;
  return units;
}

/**
 * Counts the orders of `product` that turn late at `turn`: waiting longer than `lateTurns`,
 * from the oldest not yet counted on (each order is counted once, in the turn it turns late).
 */
export function countLate(q: BackorderQueues, product: number, turn: number, lateTurns: number): number {
  let late = 0;
  let c = q.backlogOnTime[product]!;
  while (c !== -1 && turn - q.backorderPlaced[c]! > lateTurns) {
    q.backorderLate[c] = 1;
    late += 1;
    c = q.backorderNext[c]!;
  }
  q.backlogOnTime[product] = c;
  return late;
}

/** Takes `units` off company c's open order (fewer than it waits for: a partial fill). */
export function reduceBackorder(q: BackorderQueues, c: number, units: number): void {
  q.backorderUnits[c] = q.backorderUnits[c]! - units;
  const product = q.backorderProduct[c]!;
  q.backlogUnits[product] = q.backlogUnits[product]! - units;
}

/**
 * Why decoded queues break the invariant (empty when they keep it), walking each queue at most
 * as many steps as there are companies, so a cycle is found rather than followed.
 */
export function backorderQueueProblems(q: BackorderQueues): string[] {
  const companies = q.backorderProduct.length;
  const seen = new Uint8Array(companies);
  const problems: string[] = [];
  const inRange = (v: number) => v >= -1 && v < companies;
  for (let p = 0; p < q.backlogHead.length && problems.length === 0; p++) {
    let c = q.backlogHead[p]!;
    let prev = -1;
    let n = 0;
    let units = 0;
    while (c !== -1) {
      if (!inRange(c) || seen[c] === 1 || q.backorderProduct[c] !== p || q.backorderPrev[c] !== prev) {
        problems.push(`world.backlogHead[${p}]: its queue is broken at company ${c}`);
        break;
      }
      if (!(q.backorderUnits[c]! > 0)) problems.push(`world.backorderUnits[${c}]: expected > 0`);
      seen[c] = 1;
      units += q.backorderUnits[c]!;
      n += 1;
      prev = c;
      c = q.backorderNext[c]!;
      if (!inRange(c)) c = -2;
    }
    if (problems.length > 0) break;
    const onTime = q.backlogOnTime[p]!;
    if (onTime !== -1 && (!inRange(onTime) || q.backorderProduct[onTime] !== p || q.backorderLate[onTime] === 1)) {
      problems.push(`world.backlogOnTime[${p}]: not an order of its queue yet to be counted late`);
    }
    if (q.backlogTail[p] !== prev || q.backlogLength[p] !== n || q.backlogUnits[p] !== units) {
      problems.push(`world.backlogTail[${p}]: the queue's tail, length or units do not match its orders`);
    }
  }
  for (let c = 0; c < companies && problems.length === 0; c++) {
    if (seen[c] === 0 && q.backorderProduct[c] !== -1) problems.push(`world.backorderProduct[${c}]: not in a queue`);
  }
  return problems;
}
