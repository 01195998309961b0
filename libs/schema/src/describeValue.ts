import { MAX_SHOWN_LENGTH } from './constants';

function truncate(text: string): string {
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

/**
 * Renders a found value for an issue message: strings quoted, escaped and truncated; containers by kind
 * only, so a message never repeats a large or sensitive payload.
 *
 * @example
 * ```ts
 * describeValue('bad id!'); // "'bad id!'"
 * describeValue([1, 2]); // 'an array'
 * ```
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      // JSON escaping makes control characters visible; single quotes delimit, so only they need escaping.
      const shown = JSON.stringify(truncate(value)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
      return value.length > MAX_SHOWN_LENGTH ? `'${shown}' (${value.length} characters)` : `'${shown}'`;
    }
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * Escapes one JSON Pointer segment (RFC 6901) and truncates a long key, which an attacker controls.
 *
 * @example
 * ```ts
 * pointerSegment('a/b'); // 'a~1b'
 * ```
 */
export function pointerSegment(key: string): string {
  return truncate(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
