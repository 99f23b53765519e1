/*
 * The JSONL line written as text, field by field. JSON.stringify of the line object walked
 * every key, and its rounding replacer ran for each of them: 50-150 us a line, most of a
 * default-world turn. Here keys are literals and each number is rounded as it is written.
 * The line is the one buildSnapshotLine describes, key for key: a test parses lines of
 * several worlds and compares them with that object, so a figure added to a service and
 * not written here fails it.
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
import { EVENT_TYPES, type EventType, FAILURE_REASONS, PRODUCT_TYPES, type ProductType } from '../../simulation/index.js';
import type { SystemSample } from '../system-sampler.js';

/** A number as the line writes it: integers as they are, others rounded, non-finite ones null (as JSON.stringify does). */
type NumberText = (value: number) => string;

/** The text before each key's value in `{"k1":v1,"k2":v2}`: `{"k1":`, `,"k2":`, ... */
const keyPrefixes = (keys: readonly string[]): readonly string[] => keys.map((k, i) => `${i === 0 ? '{' : ','}"${k}":`);

/** Writes `{"k1":v1,...}` for the keys of a fixed list (prefixes from keyPrefixes). */
function keyed<K extends string, V>(
  keys: readonly K[],
  prefixes: readonly string[],
  record: Readonly<Record<K, V>>,
  text: (value: V) => string,
): string {
  let out = '';
  for (let i = 0; i < keys.length; i++) out += prefixes[i]! + text(record[keys[i]!]);
  return `${out}}`;
}

const STATE_KEYS = keyPrefixes(COMPANY_STATES);
const TYPE_KEYS = keyPrefixes(PRODUCT_TYPES);
const REASON_KEYS = keyPrefixes(FAILURE_REASONS);
const EVENT_KEYS = keyPrefixes(EVENT_TYPES);

/** Creates the writer of a line's JSON text, numbers rounded to `decimals`. */
export function createLineText(decimals: number, topEntries: number) {
  const scale = 10 ** decimals;
  const n: NumberText = (v) =>
    Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Math.round(v * scale) / scale) : 'null';
  // Quoted strings are names and ids, the same few line after line: their JSON text is
  // kept (a bounded map, cleared when full) instead of escaped again for every line.
  const quoted = new Map<string, string>();
  const s = (text: string) => {
    let json = quoted.get(text);
    if (json === undefined) {
      if (quoted.size >= 4_096) quoted.clear();
      json = JSON.stringify(text);
      quoted.set(text, json);
    }
    return json;
  };
  const range = (r: PriceRange) => `{"mean":${n(r.mean)},"min":${n(r.min)},"max":${n(r.max)}}`;

  const budget = (b: BudgetFigures) =>
    `{"total":${n(b.total)},"mean":${n(b.mean)},"min":${n(b.min)},"max":${n(b.max)},` +
    `"initialTotal":${n(b.initialTotal)},"evolution":${n(b.evolution)},"evolutionPercent":${n(b.evolutionPercent)},` +
    `"companiesByState":${keyed(COMPANY_STATES, STATE_KEYS, b.companiesByState, n)},"solvent":${n(b.solvent)},` +
    `"refills":{"count":${n(b.refills.count)},"amount":${n(b.refills.amount)}}}`;

  const company = (c: CompanyFigures) => {
    const p = c.purchasesPerCompany;
    let top = '';
    for (let i = 0; i < Math.min(topEntries, c.topBySpend.length); i++) {
      const t = c.topBySpend[i]!;
      top += `${i === 0 ? '' : ','}{"id":${s(t.id)},"name":${s(t.name)},"spent":${n(t.spent)},"budget":${n(t.budget)},"purchases":${n(t.purchases)}}`;
    }
    return (
      `{"count":${n(c.count)},"buyersThisTurn":${n(c.buyersThisTurn)},` +
      `"purchasesPerCompany":{"mean":${n(p.mean)},"min":${n(p.min)},"max":${n(p.max)}},"topBySpend":[${top}]}`
    );
  };

  const product = (p: ProductFigures) => {
    let top = '';
    for (let i = 0; i < Math.min(topEntries, p.topBySales.length); i++) {
      const t = p.topBySales[i]!;
      top += `${i === 0 ? '' : ','}{"id":${s(t.id)},"name":${s(t.name)},"unitsSold":${n(t.unitsSold)},"price":${n(t.price)}}`;
    }
    return (
      `{"count":${n(p.count)},"active":${n(p.active)},"inactive":${n(p.inactive)},` +
      `"activeByType":${keyed(PRODUCT_TYPES, TYPE_KEYS, p.activeByType, n)},"price":${range(p.price)},` +
      `"priceByType":${keyed(PRODUCT_TYPES, TYPE_KEYS, p.priceByType, range)},"priceIndex":${n(p.priceIndex)},` +
      `"inflated":${n(p.inflated)},"declining":${n(p.declining)},"unitsSoldTotal":${n(p.unitsSoldTotal)},"topBySales":[${top}]}`
    );
  };

  const supplier = (x: SupplierFigures) =>
    `{"count":${n(x.count)},"totalStock":${n(x.totalStock)},"stockByType":${keyed(PRODUCT_TYPES, TYPE_KEYS, x.stockByType, n)},` +
    `"outOfStockOffers":${n(x.outOfStockOffers)},"outOfStockProducts":${n(x.outOfStockProducts)},` +
    `"suppliersWithStock":${n(x.suppliersWithStock)},"unitsSold":${n(x.unitsSold)},"unitsSoldTotal":${n(x.unitsSoldTotal)}}`;

  const volume = (v: TransactionFigures['byType'][ProductType]) =>
    `{"purchases":${n(v.purchases)},"quantity":${n(v.quantity)},"amount":${n(v.amount)}}`;

  const transaction = (t: TransactionFigures) => {
    const totals = t.totals;
    return (
      `{"attempts":${n(t.attempts)},"successes":${n(t.successes)},"failures":${n(t.failures)},` +
      `"failuresByReason":${keyed(FAILURE_REASONS, REASON_KEYS, t.failuresByReason, n)},` +
      `"successRate":${n(t.successRate)},"failureRate":${n(t.failureRate)},"amount":${n(t.amount)},"quantity":${n(t.quantity)},` +
      `"meanAmount":${n(t.meanAmount)},"meanQuantity":${n(t.meanQuantity)},"intercontinental":${n(t.intercontinental)},` +
      `"intercontinentalShare":${n(t.intercontinentalShare)},` +
      `"byType":${keyed(PRODUCT_TYPES, TYPE_KEYS, t.byType, volume)},` +
      `"totals":{"attempts":${n(totals.attempts)},"successes":${n(totals.successes)},` +
      `"failuresByReason":${keyed(FAILURE_REASONS, REASON_KEYS, totals.failuresByReason, n)},` +
      `"amount":${n(totals.amount)},"quantity":${n(totals.quantity)}}}`
    );
  };

  const impact = (i: EventFigures['impact'][EventType]) => `{"before":${n(i.before)},"after":${n(i.after)}}`;
  const eventText = (e: EventFigures) =>
    `{"counts":${keyed(EVENT_TYPES, EVENT_KEYS, e.counts, n)},"lastTurn":${keyed(EVENT_TYPES, EVENT_KEYS, e.lastTurn, n)},` +
    `"lastMagnitude":${keyed(EVENT_TYPES, EVENT_KEYS, e.lastMagnitude, n)},` +
    `"impact":${keyed(EVENT_TYPES, EVENT_KEYS, e.impact, impact)}}`;
  // The event service hands over the same frozen figures for every turn without an event:
  // their text is kept for as long as they are.
  let lastEvent: EventFigures | undefined;
  let lastEventText = '';
  const event = (e: EventFigures) => {
    if (e !== lastEvent) {
      lastEvent = e;
      lastEventText = eventText(e);
    }
    return lastEventText;
  };

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

  const alert = (a: ActiveAlert) =>
    `{"rule":${s(a.rule)},"severity":${s(a.severity)},"state":${s(a.state)},"value":${n(a.value)},` +
    `"threshold":${n(a.threshold)},"activeSince":${n(a.activeSince)}}`;

  const performance = (p: PerformanceFigures) => {
    const ph = p.phaseSeconds;
    return (
      `{"turnSeconds":${n(p.turnSeconds)},"phaseSeconds":{"prices":${n(ph.prices)},"purchases":${n(ph.purchases)},` +
      `"events":${n(ph.events)},"services":${n(ph.services)}},"cacheHits":${n(p.cacheHits)},` +
      `"cacheMisses":${n(p.cacheMisses)},"cacheHitRatio":${n(p.cacheHitRatio)},"subscriberErrors":${n(p.subscriberErrors)}}`
    );
  };

  const system = (x: SystemSample) =>
    `,"process":{"cpu":${n(x.processCpu)},"rssBytes":${n(x.processRssBytes)},"heapUsedBytes":${n(x.processHeapUsedBytes)}},` +
    `"machine":{"cpu":${n(x.machineCpu)},"memoryUsedBytes":${n(x.machineMemoryUsedBytes)},` +
    `"memoryTotalBytes":${n(x.machineMemoryTotalBytes)}}`;

  /** The line of one turn, newline included. */
  return (snap: TurnSnapshot, sample: SystemSample | undefined): string => {
    let alerts = '';
    for (let i = 0; i < snap.alerts.active.length; i++) alerts += `${i === 0 ? '' : ','}${alert(snap.alerts.active[i]!)}`;
    return (
      `{"v":1,"run":${s(snap.runId)},"seed":${n(snap.seed)},"turn":${n(snap.turn)},` +
      `"time":"${isoTime(snap.publishedAtMs)}",` +
      `"business":{"scenario":${s(snap.scenario)},"budget":${budget(snap.budget)},"company":${company(snap.company)},` +
      `"product":${product(snap.product)},"supplier":${supplier(snap.supplier)},` +
      `"transaction":${transaction(snap.transaction)},"event":${event(snap.event)}},` +
      `"alerts":[${alerts}],"system":{"performance":${performance(snap.performance)}${sample ? system(sample) : ''}}}\n`
    );
  };
}
