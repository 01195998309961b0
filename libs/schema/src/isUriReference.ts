import { URI_REFERENCE_PATTERN } from './constants';

// A per-character table derived from the pattern, so the two cannot disagree; a table lookup is several
// times faster than the regular expression on the hot path.
const ALLOWED = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if (URI_REFERENCE_PATTERN.test(String.fromCharCode(code))) ALLOWED[code] = 1;
}

/**
 * Tells whether `value` is a non-empty string of the characters RFC 3986 allows in a URI reference
 * (same result as {@link URI_REFERENCE_PATTERN}).
 *
 * @example
 * ```ts
 * isUriReference('https://sdk.example.com/games/space-miner'); // true
 * isUriReference('has space'); // false
 * ```
 */
export function isUriReference(value: string): boolean {
  const length = value.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code > 127 || ALLOWED[code] === 0) return false;
  }
  return true;
}
