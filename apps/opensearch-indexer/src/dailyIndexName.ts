const DAY_MS = 86_400_000;
// V8 cannot parse the leap second RFC 3339 allows; it is placed in the second before it.
const LEAP_SECOND = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:)60/;

/**
 * Milliseconds since the epoch of an RFC 3339 date-time already validated by the schema, or `NaN`.
 *
 * @example
 * ```ts
 * eventTimeMillis('2016-12-31T23:59:60Z'); // 1483228799000
 * ```
 */
export function eventTimeMillis(time: string): number {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? Date.parse(time.replace(LEAP_SECOND, '$159')) : ms;
}

/**
 * Names daily indices `<prefix>-YYYY.MM.DD` (UTC day of the event time), caching one name per day because a
 * batch spans very few days.
 *
 * @example
 * ```ts
 * const names = new DailyIndexNames('events');
 * names.forMillis(Date.parse('2026-11-26T13:05:00Z')); // 'events-2026.11.26'
 * ```
 */
export class DailyIndexNames {
  readonly #prefix: string;
  readonly #byDay = new Map<number, string>();

  /** @param prefix an index prefix already validated against the index name rules. */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The index of the UTC day holding `ms`, which must be a finite time between years 0 and 9999. */
  forMillis(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    let name = this.#byDay.get(day);
    if (name === undefined) {
      const iso = new Date(day * DAY_MS).toISOString();
      name = `${this.#prefix}-${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)}`;
      this.#byDay.set(day, name);
    }
    return name;
  }
}
