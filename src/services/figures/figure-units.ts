/**
 * What one unit of each figure is, by its dotted name: the first rule that matches names the
 * unit. A test checks that every figure of the catalogue matches a rule.
 */
const UNIT_RULES: readonly (readonly [RegExp, string])[] = [
  // An SLO's events are what its good and total figures count.
  [/^slo\.(good|total|goodTotal|eventsTotal)\./, 'events'],
  [/^slo\.alerts\./, 'alerts'],
  [/^slo\./, 'ratio'],
  // Event figures depend on the event's type.
  [/^event\.(lastMagnitude|impact)\.budget_refill\b/, 'currency units'],
  [/^event\.(lastMagnitude|impact)\.(restock|supplier_refill)\b/, 'units'],
  [/^event\.lastMagnitude\.inflation$/, 'percent'],
  [/^event\.impact\.inflation\./, 'index'],
  [/^event\.(lastMagnitude|impact)\.availability\b/, 'products'],
  [/^event\.lastMagnitude\.supplier_outage$/, 'turns'],
  [/^event\.impact\.supplier_outage\./, 'units'],
  [/^event\.lastTurn\./, 'turn'],
  [/^event\.(counts|thisTurn)\.|^budget\.refills\.count$/, 'events'],
  [/^market\.orders\.(backlogUnits|deliveredUnits)$/, 'units'],
  [/^market\.orders\.backlogValue$/, 'currency units'],
  [/^market\.orders\.fillRate$/, 'ratio'],
  [/^market\.orders\.(oldestAgeSeconds|fulfilment\.(meanSeconds|maxSeconds|sumSecondsTotal))$/, 'seconds'],
  [/^market\.orders\./, 'orders'],
  [/^market\.(demandIndex|paidPriceIndex)$/, 'index'],
  [/^market\.(householdMoney|revenue|revenueTotal)$/, 'currency units'],
  [/^market\.(consumedUnits|consumedUnitsTotal|unitsAsked|ordered|inTransit)$/, 'units'],
  [/^market\.simulatedTime$/, 'seconds since the epoch'],
  [/^market\.(exits|exitsTotal|entries|entriesTotal|activeCompanies)$/, 'companies'],
  [/^market\.shocksInForce$/, 'shocks'],
  [/^market\.supplyCover(Target)?$/, 'turns'],
  [/Percent$/, 'percent'],
  [/(Rate|Share|Ratio|RateMean|Correlation|\.gini|\.volatility)$/, 'ratio'],
  [/PerSecond$/, 'per second'],
  [/Seconds(Mean|P95)?$|phaseSeconds\./, 'seconds'],
  [/priceIndex$/, 'index'],
  [/^product\.price/, 'currency units'],
  [/^budget\.(companiesByState\.|solvent$)|^company\.(count|byContinent|byStrategy|buyersThisTurn)/, 'companies'],
  [/^budget\.|^transaction\..*(amount|Amount)(Mean|P95|Stdev)?$|budgetTotal$/, 'currency units'],
  [/outOfStockOffers$/, 'offers'],
  [/outOfStockProducts$/, 'products'],
  // Before the units of stock: a count of suppliers holding some.
  [/^supplier\.(count|suppliersWithStock)$/, 'suppliers'],
  [/Stock|stockByType|unitsSold|[qQ]uantity/, 'units'],
  [/purchases/i, 'purchases'],
  [/^product\./, 'products'],
  [/attempts$|successes$|failures$|failuresByReason\.|intercontinental$/, 'attempts'],
  [/cache(Hits|Misses)$/, 'lookups'],
  [/subscriberErrors$/, 'errors'],
];

/** The unit of a figure named by its dotted path, or undefined when no rule names one. */
export function unitOf(figure: string): string | undefined {
  return UNIT_RULES.find(([pattern]) => pattern.test(figure))?.[1];
}
