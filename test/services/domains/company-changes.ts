import type { CompanyChanges } from '../../../src/simulation/index.js';

/** One record of a turn, as the engine journals it for a company. */
export interface ChangeRecord {
  readonly company: number;
  readonly budgetChangeCents: number;
  readonly spentCents: number;
  readonly purchased: boolean;
}

/**
 * Applies `records` in order to `budgets`, `spent` and `counts` (changed in place) and
 * returns them as the engine's journal: each record carries the values after it.
 */
export function journalOf(
  records: readonly ChangeRecord[],
  state: { budgets: number[]; spent: number[]; counts: number[]; initial: readonly number[] },
): CompanyChanges {
  const out = {
    count: records.length,
    company: [] as number[],
    budgetCents: [] as number[],
    budgetChangeCents: [] as number[],
    spentCents: [] as number[],
    purchases: [] as number[],
    purchased: [] as number[],
    initialBudgetCents: [] as number[],
  };
  for (const r of records) {
    const c = r.company;
    // Budgets never go below zero, as in the engine.
    const change = Math.max(-state.budgets[c]!, r.budgetChangeCents);
    state.budgets[c]! += change;
    state.spent[c]! += r.spentCents;
    if (r.purchased) state.counts[c]! += 1;
    out.company.push(c);
    out.budgetCents.push(state.budgets[c]!);
    out.budgetChangeCents.push(change);
    out.spentCents.push(state.spent[c]!);
    out.purchases.push(state.counts[c]!);
    out.purchased.push(r.purchased ? 1 : 0);
    out.initialBudgetCents.push(state.initial[c]!);
  }
  return out;
}
