import type { FilterPattern } from './types';

type Json = unknown;

const ABSENT = Symbol('absent');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numericMatches(conditions: unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = conditions[i + 1];
    if (typeof bound !== 'number') return false;
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return conditions.length > 0 && conditions.length % 2 === 0;
}

/** One rule of a leaf array against one (non-array) value, or ABSENT. */
function ruleMatches(rule: Json, value: unknown): boolean {
  if (!isPlainObject(rule)) {
    if (value === ABSENT) return false;
    // Numbers compare numerically (5 matches 5.0), everything else strictly.
    return rule === value;
  }
  if ('exists' in rule) return rule['exists'] === true ? value !== ABSENT : value === ABSENT;
  if (value === ABSENT) return false;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule['prefix']));
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(String(rule['suffix']));
  if ('equals-ignore-case' in rule) {
    return (
      typeof value === 'string' && value.toLowerCase() === String(rule['equals-ignore-case']).toLowerCase()
    );
  }
  if ('numeric' in rule) return Array.isArray(rule['numeric']) && numericMatches(rule['numeric'], value);
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    if (isPlainObject(excluded) && 'prefix' in excluded) {
      return !(typeof value === 'string' && value.startsWith(String(excluded['prefix'])));
    }
    const list = Array.isArray(excluded) ? excluded : [excluded];
    return !list.some((item) => item === value);
  }
  return false;
}

/** A leaf array is an OR of rules; an array value matches when any element does. */
function leafMatches(rules: Json[], value: unknown): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return rules.some((rule) => ruleMatches(rule, ABSENT));
    return value.some((item) => rules.some((rule) => ruleMatches(rule, item)));
  }
  return rules.some((rule) => ruleMatches(rule, value));
}

function objectMatches(pattern: FilterPattern, subject: unknown): boolean {
  // Keys are AND-ed: every key of the pattern must match.
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isPlainObject(subject) && key in subject ? subject[key] : ABSENT;
    if (Array.isArray(rule)) return leafMatches(rule, value);
    if (isPlainObject(rule)) {
      if (value === ABSENT || !isPlainObject(value)) {
        // A nested pattern on a missing field can only match through `exists: false` leaves.
        return Object.values(rule).every(
          (inner) => Array.isArray(inner) && inner.some((r) => isPlainObject(r) && r['exists'] === false),
        );
      }
      return objectMatches(rule, value);
    }
    return false;
  });
}

/**
 * Tests a subject (for Kinesis: the record metadata and `data` decoded as JSON) against one Lambda
 * event-filtering pattern: nested objects AND-ed by key, leaf arrays OR-ed, with the operators
 * `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric` and `exists`, and exact values
 * (`null` and `""` included).
 *
 * @example
 * ```ts
 * matchesFilterPattern({ data: { type: ['buy'] } }, { data: { type: 'buy' } }); // true
 * ```
 */
export function matchesFilterPattern(pattern: FilterPattern, subject: Record<string, unknown>): boolean {
  return objectMatches(pattern, subject);
}

/**
 * Lambda's FilterCriteria: no pattern means every record passes; otherwise patterns are OR-ed.
 *
 * @example
 * ```ts
 * matchesFilterCriteria([{ partitionKey: [{ prefix: 'user-' }] }], { partitionKey: 'user-1' }); // true
 * ```
 */
export function matchesFilterCriteria(patterns: FilterPattern[], subject: Record<string, unknown>): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesFilterPattern(pattern, subject));
}
