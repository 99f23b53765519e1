/*
 * The JSONL line's text, written field by field into bytes. JSON.stringify of the line
 * object walked every key, and its rounding replacer ran for each of them: 50-150 us a line,
 * most of a default-world turn; strings concatenated piece by piece then cost as much again
 * to encode (see json-bytes.ts). Here keys are encoded once and each number is rounded as
 * it is written. The line is the one buildSnapshotLine describes, key for key: a test
 * compares the text of lines of several worlds with that object's JSON.stringify text, so a
 * figure added to a service and not written here fails it.
 */
import type {
  ActiveAlert,
  BudgetFigures,
  CompanyFigures,
  EventFigures,
  PerformanceFigures,
  PriceRange,
  ProductFigures,
  SupplierFigures,
  TransactionFigures,
  TurnSnapshot,
} from '../../services/index.js';
import { COMPANY_STATES } from '../../services/index.js';
import { EVENT_TYPES, FAILURE_REASONS, PRODUCT_TYPES } from '../../simulation/index.js';
import type { SystemSample } from '../system-sampler.js';
import { type EncodedText, type JsonKey, JsonBytes, jsonKeys } from './json-bytes.js';

// prettier-ignore
const K = jsonKeys([
  'v', 'run', 'seed', 'turn', 'time', 'business', 'scenario', 'alerts', 'system',
  'budget', 'company', 'product', 'supplier', 'transaction', 'event',
  'total', 'mean', 'min', 'max', 'initialTotal', 'evolution', 'evolutionPercent', 'companiesByState',
  'solvent', 'refills', 'count', 'amount',
  'buyersThisTurn', 'purchasesPerCompany', 'topBySpend', 'id', 'name', 'spent', 'purchases',
  'active', 'inactive', 'activeByType', 'price', 'priceByType', 'priceIndex', 'inflated', 'declining',
  'unitsSoldTotal', 'topBySales', 'unitsSold',
  'totalStock', 'stockByType', 'outOfStockOffers', 'outOfStockProducts', 'suppliersWithStock',
  'attempts', 'successes', 'failures', 'failuresByReason', 'successRate', 'failureRate', 'quantity',
  'meanAmount', 'meanQuantity', 'intercontinental', 'intercontinentalShare', 'byType', 'totals',
  'counts', 'lastTurn', 'lastMagnitude', 'impact', 'before', 'after',
  'rule', 'severity', 'state', 'value', 'threshold', 'activeSince',
  'performance', 'turnSeconds', 'phaseSeconds', 'prices', 'events', 'services',
  'cacheHits', 'cacheMisses', 'cacheHitRatio', 'subscriberErrors',
  'process', 'cpu', 'rssBytes', 'heapUsedBytes', 'machine', 'memoryUsedBytes', 'memoryTotalBytes',
]);
const STATE_KEYS = jsonKeys(COMPANY_STATES);
const TYPE_KEYS = jsonKeys(PRODUCT_TYPES);
const REASON_KEYS = jsonKeys(FAILURE_REASONS);
const EVENT_KEYS = jsonKeys(EVENT_TYPES);

/** Writes `{"k1":v1,...}` for the numbers of a record with a fixed list of keys. */
function numbers<N extends string>(o: JsonBytes, names: readonly N[], keys: Readonly<Record<N, JsonKey>>, record: Readonly<Record<N, number>>): void {
  o.open();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    o.num(keys[name], record[name]);
  }
  o.close();
}

function range(o: JsonBytes, r: PriceRange): void {
  o.open();
  o.num(K.mean, r.mean);
  o.num(K.min, r.min);
  o.num(K.max, r.max);
  o.close();
}

function budget(o: JsonBytes, b: BudgetFigures): void {
  o.open();
  o.num(K.total, b.total);
  o.num(K.mean, b.mean);
  o.num(K.min, b.min);
  o.num(K.max, b.max);
  o.num(K.initialTotal, b.initialTotal);
  o.num(K.evolution, b.evolution);
  o.num(K.evolutionPercent, b.evolutionPercent);
  o.key(K.companiesByState);
  numbers(o, COMPANY_STATES, STATE_KEYS, b.companiesByState);
  o.num(K.solvent, b.solvent);
  o.key(K.refills);
  o.open();
  o.num(K.count, b.refills.count);
  o.num(K.amount, b.refills.amount);
  o.close();
  o.close();
}

function company(o: JsonBytes, c: CompanyFigures, topEntries: number): void {
  const p = c.purchasesPerCompany;
  o.open();
  o.num(K.count, c.count);
  o.num(K.buyersThisTurn, c.buyersThisTurn);
  o.key(K.purchasesPerCompany);
  o.open();
  o.num(K.mean, p.mean);
  o.num(K.min, p.min);
  o.num(K.max, p.max);
  o.close();
  o.key(K.topBySpend);
  o.openArray();
  for (let i = 0; i < Math.min(topEntries, c.topBySpend.length); i++) {
    const t = c.topBySpend[i]!;
    o.item();
    o.open();
    o.str(K.id, t.id);
    o.str(K.name, t.name);
    o.num(K.spent, t.spent);
    o.num(K.budget, t.budget);
    o.num(K.purchases, t.purchases);
    o.close();
  }
  o.closeArray();
  o.close();
}

function product(o: JsonBytes, p: ProductFigures, topEntries: number): void {
  o.open();
  o.num(K.count, p.count);
  o.num(K.active, p.active);
  o.num(K.inactive, p.inactive);
  o.key(K.activeByType);
  numbers(o, PRODUCT_TYPES, TYPE_KEYS, p.activeByType);
  o.key(K.price);
  range(o, p.price);
  o.key(K.priceByType);
  o.open();
  for (const type of PRODUCT_TYPES) {
    o.key(TYPE_KEYS[type]);
    range(o, p.priceByType[type]);
  }
  o.close();
  o.num(K.priceIndex, p.priceIndex);
  o.num(K.inflated, p.inflated);
  o.num(K.declining, p.declining);
  o.num(K.unitsSoldTotal, p.unitsSoldTotal);
  o.key(K.topBySales);
  o.openArray();
  for (let i = 0; i < Math.min(topEntries, p.topBySales.length); i++) {
    const t = p.topBySales[i]!;
    o.item();
    o.open();
    o.str(K.id, t.id);
    o.str(K.name, t.name);
    o.num(K.unitsSold, t.unitsSold);
    o.num(K.price, t.price);
    o.close();
  }
  o.closeArray();
  o.close();
}

function supplier(o: JsonBytes, x: SupplierFigures): void {
  o.open();
  o.num(K.count, x.count);
  o.num(K.totalStock, x.totalStock);
  o.key(K.stockByType);
  numbers(o, PRODUCT_TYPES, TYPE_KEYS, x.stockByType);
  o.num(K.outOfStockOffers, x.outOfStockOffers);
  o.num(K.outOfStockProducts, x.outOfStockProducts);
  o.num(K.suppliersWithStock, x.suppliersWithStock);
  o.num(K.unitsSold, x.unitsSold);
  o.num(K.unitsSoldTotal, x.unitsSoldTotal);
  o.close();
}

function transaction(o: JsonBytes, t: TransactionFigures): void {
  const totals = t.totals;
  o.open();
  o.num(K.attempts, t.attempts);
  o.num(K.successes, t.successes);
  o.num(K.failures, t.failures);
  o.key(K.failuresByReason);
  numbers(o, FAILURE_REASONS, REASON_KEYS, t.failuresByReason);
  o.num(K.successRate, t.successRate);
  o.num(K.failureRate, t.failureRate);
  o.num(K.amount, t.amount);
  o.num(K.quantity, t.quantity);
  o.num(K.meanAmount, t.meanAmount);
  o.num(K.meanQuantity, t.meanQuantity);
  o.num(K.intercontinental, t.intercontinental);
  o.num(K.intercontinentalShare, t.intercontinentalShare);
  o.key(K.byType);
  o.open();
  for (const type of PRODUCT_TYPES) {
    const v = t.byType[type];
    o.key(TYPE_KEYS[type]);
    o.open();
    o.num(K.purchases, v.purchases);
    o.num(K.quantity, v.quantity);
    o.num(K.amount, v.amount);
    o.close();
  }
  o.close();
  o.key(K.totals);
  o.open();
  o.num(K.attempts, totals.attempts);
  o.num(K.successes, totals.successes);
  o.key(K.failuresByReason);
  numbers(o, FAILURE_REASONS, REASON_KEYS, totals.failuresByReason);
  o.num(K.amount, totals.amount);
  o.num(K.quantity, totals.quantity);
  o.close();
  o.close();
}

function event(o: JsonBytes, e: EventFigures): void {
  o.open();
  o.key(K.counts);
  numbers(o, EVENT_TYPES, EVENT_KEYS, e.counts);
  o.key(K.lastTurn);
  numbers(o, EVENT_TYPES, EVENT_KEYS, e.lastTurn);
  o.key(K.lastMagnitude);
  numbers(o, EVENT_TYPES, EVENT_KEYS, e.lastMagnitude);
  o.key(K.impact);
  o.open();
  for (const type of EVENT_TYPES) {
    o.key(EVENT_KEYS[type]);
    o.open();
    o.num(K.before, e.impact[type].before);
    o.num(K.after, e.impact[type].after);
    o.close();
  }
  o.close();
  o.close();
}

function alert(o: JsonBytes, a: ActiveAlert): void {
  o.open();
  o.str(K.rule, a.rule);
  o.str(K.severity, a.severity);
  o.str(K.state, a.state);
  o.num(K.value, a.value);
  o.num(K.threshold, a.threshold);
  o.num(K.activeSince, a.activeSince);
  o.close();
}

function performance(o: JsonBytes, p: PerformanceFigures): void {
  const ph = p.phaseSeconds;
  o.open();
  o.num(K.turnSeconds, p.turnSeconds);
  o.key(K.phaseSeconds);
  o.open();
  o.num(K.prices, ph.prices);
  o.num(K.purchases, ph.purchases);
  o.num(K.events, ph.events);
  o.num(K.services, ph.services);
  o.close();
  o.num(K.cacheHits, p.cacheHits);
  o.num(K.cacheMisses, p.cacheMisses);
  o.num(K.cacheHitRatio, p.cacheHitRatio);
  o.num(K.subscriberErrors, p.subscriberErrors);
  o.close();
}

function system(o: JsonBytes, x: SystemSample): void {
  o.key(K.process);
  o.open();
  o.num(K.cpu, x.processCpu);
  o.num(K.rssBytes, x.processRssBytes);
  o.num(K.heapUsedBytes, x.processHeapUsedBytes);
  o.close();
  o.key(K.machine);
  o.open();
  o.num(K.cpu, x.machineCpu);
  o.num(K.memoryUsedBytes, x.machineMemoryUsedBytes);
  o.num(K.memoryTotalBytes, x.machineMemoryTotalBytes);
  o.close();
}

/**
 * Creates the writer of a line's JSON text, numbers rounded to `decimals` (0 to 6), top
 * lists cut to `topEntries`. It returns the line's UTF-8 bytes, newline included: a view of
 * its own buffer, valid until it makes the next line.
 */
export function createLineText(decimals: number, topEntries: number): (snap: TurnSnapshot, sample: SystemSample | undefined) => Uint8Array {
  const o = new JsonBytes(decimals);
  // The event service hands over the same frozen figures for every turn without an event:
  // their text is kept for as long as they are.
  let lastEvent: EventFigures | undefined;
  let lastEventText: EncodedText | undefined;

  // toISOString per line showed in profiles: the text up to the second changes once a second.
  let isoSecond = Number.NaN;
  let isoPrefix = '';
  const isoTime = (ms: number) => {
    if (!Number.isInteger(ms) || ms < 0) return new Date(ms).toISOString();
    const second = Math.floor(ms / 1000);
    if (second !== isoSecond) {
      isoSecond = second;
      isoPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const milli = ms - second * 1000;
    return `${isoPrefix}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  };

  return (snap, sample) => {
    o.reset();
    o.open();
    o.num(K.v, 1);
    o.str(K.run, snap.runId);
    o.num(K.seed, snap.seed);
    o.num(K.turn, snap.turn);
    o.key(K.time);
    o.ascii(`"${isoTime(snap.publishedAtMs)}"`);
    o.key(K.business);
    o.open();
    o.str(K.scenario, snap.scenario);
    o.key(K.budget);
    budget(o, snap.budget);
    o.key(K.company);
    company(o, snap.company, topEntries);
    o.key(K.product);
    product(o, snap.product, topEntries);
    o.key(K.supplier);
    supplier(o, snap.supplier);
    o.key(K.transaction);
    transaction(o, snap.transaction);
    o.key(K.event);
    if (snap.event === lastEvent && lastEventText) o.value(lastEventText);
    else {
      const start = o.length;
      event(o, snap.event);
      lastEvent = snap.event;
      lastEventText = o.since(start);
    }
    o.close();
    o.key(K.alerts);
    o.openArray();
    for (const a of snap.alerts.active) {
      o.item();
      alert(o, a);
    }
    o.closeArray();
    o.key(K.system);
    o.open();
    o.key(K.performance);
    performance(o, snap.performance);
    if (sample) system(o, sample);
    o.close();
    o.close();
    o.ascii('\n');
    return o.view();
  };
}
