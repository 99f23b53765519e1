/**
 * At most `size` entities with their values, highest first, ties to the lower index.
 * Invariants: `entities` and `values` are parallel and in that order; `inList[e]` is 1
 * exactly when e is listed; entities at 0 are never listed.
 */
export class RankedList {
  /** The listed entities, highest first. */
  readonly entities: number[] = [];
  /** The value of each listed entity, in the same order as `entities`. */
  readonly values: number[] = [];
  /** 1 for a listed entity, 0 otherwise (indexed by entity). */
  readonly inList: Uint8Array;

  constructor(
    readonly size: number,
    population: number,
  ) {
    this.inList = new Uint8Array(population);
  }

  /** The last listed value when the list is full, else 0. */
  floor(): number {
    return this.size > 0 && this.entities.length === this.size ? this.values[this.size - 1]! : 0;
  }

  /** Empties the list. */
  clear(): void {
    for (const entity of this.entities) this.inList[entity] = 0;
    this.entities.length = 0;
    this.values.length = 0;
  }

  /** Ranks `entity` (not listed) into place, dropping the last when over size. */
  insert(entity: number, value: number): void {
    const { entities: top, values: topValues, size } = this;
    if (value <= 0 || size === 0) return;
    if (top.length === size) {
      const lastValue = topValues[size - 1]!;
      if (value < lastValue || (value === lastValue && entity > top[size - 1]!)) return;
    }
    let at = top.length;
    while (at > 0) {
      const otherValue = topValues[at - 1]!;
      if (otherValue > value || (otherValue === value && top[at - 1]! < entity)) break;
      at -= 1;
    }
    // Shift the lower ones down by hand: splice would make an array of what it removed.
    top.push(entity);
    topValues.push(value);
    for (let i = top.length - 1; i > at; i--) {
      top[i] = top[i - 1]!;
      topValues[i] = topValues[i - 1]!;
    }
    top[at] = entity;
    topValues[at] = value;
    this.inList[entity] = 1;
    if (top.length > size) {
      this.inList[top.pop()!] = 0;
      topValues.pop();
    }
  }

  /** Takes a listed `entity` out unless it keeps `value`; whether it was taken out. */
  takeOutIfMoved(entity: number, value: number): boolean {
    const { entities: top, values: topValues } = this;
    const at = top.indexOf(entity);
    if (topValues[at] === value) return false;
    this.inList[entity] = 0;
    for (let k = at; k < top.length - 1; k++) {
      top[k] = top[k + 1]!;
      topValues[k] = topValues[k + 1]!;
    }
    top.pop();
    topValues.pop();
    return true;
  }
}
