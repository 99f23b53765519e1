/*
 * A text made of many pieces joined once: a scrape's lines added piece by piece to one
 * reused array, rather than concatenated into a string per family (each `+=` a rope node
 * the young collections sweep, and the whole flattened again when the families are joined).
 */

/**
 * Pieces of a text, joined by `text()`. Invariant: `text()` is the concatenation of the
 * pieces added since the last `text()`, and afterwards the parts hold no piece (nothing of
 * one scrape outlives it); the array itself is kept, so a scrape allocates no new one.
 */
export class TextParts {
  private readonly parts: string[] = [];
  private count = 0;

  /** Appends `piece`. */
  add(piece: string): void {
    this.parts[this.count++] = piece;
  }

  /** The pieces added so far as one string; empties the parts. */
  text(): string {
    const { parts } = this;
    // Slots past `count` hold '' (see below), so the join is of these pieces alone.
    const out = parts.join('');
    // Emptied rather than truncated: a shorter array would grow again next scrape.
    for (let i = 0; i < this.count; i++) parts[i] = '';
    this.count = 0;
    return out;
  }
}
