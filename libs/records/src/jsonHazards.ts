import { FORBIDDEN_KEYS } from './constants';

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Returns the character offset at which JSON nesting first exceeds `maxDepth`, or -1.
 * Nesting cannot exceed the number of `{` and `[`, so the exact scan only runs when the text holds more of
 * them than `maxDepth`; counting them with native `indexOf` costs far less than scanning every character.
 */
export function findExcessDepth(text: string, maxDepth: number): number {
  let openers = 0;
  for (let i = text.indexOf('{'); i !== -1 && openers <= maxDepth; i = text.indexOf('{', i + 1)) openers++;
  for (let i = text.indexOf('['); i !== -1 && openers <= maxDepth; i = text.indexOf('[', i + 1)) openers++;
  return openers <= maxDepth ? -1 : scanDepth(text, maxDepth);
}

/** Exact nesting scan that skips string contents. */
function scanDepth(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

/**
 * A forbidden key spelled out literally ends with the word and its closing quote. One regex with a common suffix
 * lets V8 skip through the text (about 3x faster than three `includes` calls on typical events).
 */
const LITERAL_FORBIDDEN_KEY = /(?:__proto__|constructor|prototype)"/;

/**
 * True when the text may hold a forbidden key: one of them is spelled out literally, or a `\u` escape could
 * spell one (no other JSON escape yields a letter or `_`). Only then is the parsed value walked.
 */
export function mayHoldForbiddenKey(text: string): boolean {
  return text.includes('\\u') || LITERAL_FORBIDDEN_KEY.test(text);
}

/**
 * Returns the path (`$.a.b[2]`) and name of the first own forbidden key in a parsed JSON value, or undefined.
 * Iterative, so depth is bounded by memory rather than the call stack.
 */
export function findForbiddenKey(value: unknown): { path: string; key: string } | undefined {
  const stack: Array<[unknown, string]> = [[value, '$']];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}[${i}]`]);
      continue;
    }
    for (const key of FORBIDDEN_KEYS) {
      if (Object.prototype.hasOwnProperty.call(node, key)) return { path, key };
    }
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      stack.push([
        (node as Record<string, unknown>)[key],
        `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`,
      ]);
    }
  }
  return undefined;
}
