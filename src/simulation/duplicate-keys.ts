/*
 * Keys given twice in one JSON object. JSON.parse keeps the last without a word, so a
 * scenario setting written twice (an edit pasted below the old value) would silently lose
 * one of them.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** An object or array being read: where it is, and where in it the reader stands. */
interface Container {
  readonly path: string;
  readonly keys: Set<string> | undefined;
  /** An object's next string is a key (after `{` and `,`); an array's index of its next item. */
  expectKey: boolean;
  index: number;
  /** The key whose value comes next, in an object. */
  key: string;
}

/** A key's path: dotted, a key that is empty or holds a dot quoted as JSON writes it. */
const joined = (path: string, name: string): string => {
  const shown = name === '' || name.includes('.') ? JSON.stringify(name) : name;
  return path === '' ? shown : `${path}.${shown}`;
};

/** The path of the value the reader is at, in the innermost container (or the root). */
function valuePath(stack: readonly Container[]): string {
  const top = stack[stack.length - 1];
  if (!top) return '';
  return joined(top.path, top.keys ? top.key : String(top.index));
}

/** The index just past the string starting at `start` (a quote). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
  return at + 1;
}

/**
 * The paths of the keys given more than once in their object (`market.households`,
 * `timeline.0.kind`), in the order met, each once. `text` must be valid JSON (JSON.parse
 * took it); a text that is not gives no certain answer.
 */
export function duplicateKeys(text: string): string[] {
  const found = new Set<string>();
  const stack: Container[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      const object = c === '{';
      stack.push({
        path: valuePath(stack),
        keys: object ? new Set() : undefined,
        expectKey: object,
        index: 0,
        key: '',
      });
      at += 1;
    } else if (c === '}' || c === ']') {
      stack.pop();
      at += 1;
    } else if (c === ',') {
      if (top?.keys) top.expectKey = true;
      else if (top) top.index += 1;
      at += 1;
    } else if (c === '"') {
      const end = stringEnd(text, at);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(at, end)) as string;
        if (top.keys.has(key)) found.add(joined(top.path, key));
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      at = end;
    } else if (WHITESPACE.has(c) || c === ':') {
      at += 1;
    } else {
      // A number, true, false or null: up to the next delimiter.
      while (at < text.length && !',]}'.includes(text[at]!) && !WHITESPACE.has(text[at]!)) at += 1;
    }
  }
  return [...found];
}
