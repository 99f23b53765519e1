import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/cli/control-characters.js';

describe('escapeControls', () => {
  it('escapes C0 and C1 controls and DEL, and leaves other text', () => {
    expect(escapeControls('a\tb\u007fc\u009bd é')).toBe('a\\u0009b\\u007fc\\u009bd é');
  });
});
