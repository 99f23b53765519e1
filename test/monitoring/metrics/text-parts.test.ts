import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextParts } from '../../../src/monitoring/metrics/text-parts.js';

describe('TextParts', () => {
  it('joins the pieces added since the last text, whatever the texts before held', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { maxLength: 20 }), { minLength: 1, maxLength: 6 }), (texts) => {
        const parts = new TextParts();
        for (const pieces of texts) {
          for (const piece of pieces) parts.add(piece);
          expect(parts.text()).toBe(pieces.join(''));
        }
        // Emptied by the last text: nothing of it is left.
        expect(parts.text()).toBe('');
      }),
    );
  });
});
