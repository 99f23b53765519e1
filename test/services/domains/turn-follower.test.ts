import { describe, expect, it } from 'vitest';
import { createTurnFollower } from '../../../src/services/domains/turn-follower.js';

describe('turn follower', () => {
  it('says whether the previous turn was seen', () => {
    const follows = createTurnFollower();
    expect(follows(1)).toBe(false); // the first turn seen
    expect(follows(2)).toBe(true);
    expect(follows(3)).toBe(true);
    expect(follows(5)).toBe(false); // turn 4 was played unseen
    expect(follows(6)).toBe(true);
  });
});
