/*
 * The text of a family's lines before their values, kept from one scrape to the next: a
 * line's name and label pairs are the same scrape after scrape (only entity families' rows
 * move), and building them was most of what a scrape allocated (a string per piece).
 */

/** One line's text before its value, and the name and labels it was made from. */
interface PrefixRow {
  readonly name: string;
  readonly suffix: string;
  readonly keys: string[];
  readonly values: unknown[];
  readonly text: string;
}

/** A family's header text and what it was made from. */
interface FamilyHeader {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly units: boolean;
  readonly text: string;
}

/** Writes `\n` + name + suffix + `{pairs} ` for a line's labels (`pairs` as the exposition writes them). */
export type PrefixBuilder = (name: string, suffix: string, labels: Readonly<Record<string, unknown>>) => string;

/**
 * The line prefixes of one family, by row. Invariant: `prefix(i, name, suffix, labels)` is
 * always what `build(name, suffix, labels)` returns for those arguments; a row's text is
 * reused only when its name, suffix and own label names and values (in order, compared with
 * `===`) are those it was built from. A row that moved (an entity family's ranking changed)
 * is found among the last rows by its first label's value.
 */
export class LinePrefixes {
  private readonly rows: PrefixRow[] = [];
  /**
   * The rows as the last `trim` left them, by their first label's value, and some earlier
   * rows (at most as many again: cleared then, rather than every scrape, as a Map that is
   * cleared allocates its table anew).
   */
  private readonly byFirst = new Map<unknown, PrefixRow>();
  /** True when a row changed since the last `trim`. */
  private moved = false;
  private headerOf: FamilyHeader | undefined;

  constructor(private readonly build: PrefixBuilder) {}

  /** Row `i`'s text before its value. */
  prefix(i: number, name: string, suffix: string, labels: Readonly<Record<string, unknown>>): string {
    const row = this.rows[i];
    if (row !== undefined && row.name === name && row.suffix === suffix && sameLabels(row, labels)) return row.text;
    // Rows are kept in order: row i is kept after rows 0..i-1, so the array stays packed.
    const keep = i <= this.rows.length;
    if (keep) this.moved = true;
    const found = this.byFirst.get(firstValue(labels));
    if (found !== undefined && found.name === name && found.suffix === suffix && sameLabels(found, labels)) {
      if (keep) this.rows[i] = found;
      return found.text;
    }
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const key in labels) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      keys.push(key);
      values.push(labels[key]);
    }
    const text = this.build(name, suffix, labels);
    if (keep) this.rows[i] = { name, suffix, keys, values, text };
    return text;
  }

  /**
   * The family's `# HELP` and `# TYPE` lines (and `# UNIT` with `units`), made by `make` when
   * its name, help, type or `units` changes.
   */
  header(name: string, help: string, type: string, units: boolean, make: () => string): string {
    const kept = this.headerOf;
    if (kept?.name === name && kept.help === help && kept.type === type && kept.units === units) return kept.text;
    const text = make();
    this.headerOf = { name, help, type, units, text };
    return text;
  }

  /** Forgets the rows from `n` on (a family that now has fewer lines); ends a scrape of the family. */
  trim(n: number): void {
    if (this.rows.length > n) this.rows.length = n;
    if (!this.moved) return;
    this.moved = false;
    if (this.byFirst.size > 2 * this.rows.length) this.byFirst.clear();
    for (const row of this.rows) if (row.values.length > 0) this.byFirst.set(row.values[0], row);
  }
}

/** The value of `labels`' first own label (undefined when it has none). */
function firstValue(labels: Readonly<Record<string, unknown>>): unknown {
  for (const key in labels) if (Object.prototype.hasOwnProperty.call(labels, key)) return labels[key];
  return undefined;
}

/** True when `labels`' own keys and values, in order, are the row's. */
function sameLabels(row: PrefixRow, labels: Readonly<Record<string, unknown>>): boolean {
  const { keys, values } = row;
  let k = 0;
  for (const key in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
    if (k >= keys.length || keys[k] !== key || values[k] !== labels[key]) return false;
    k += 1;
  }
  return k === keys.length;
}
