// Character scanners rather than regular expressions and splits: these run for every record.
const DIGIT_0 = 48;
const DOT = 46;
const COLON = 58;

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Whether `value.slice(start)` is a dotted quad. */
function isIpv4At(value: string, start: number): boolean {
  const end = value.length;
  let i = start;
  for (let octet = 1; ; octet++) {
    const first = i;
    let number = 0;
    while (i < end && i - first < 4) {
      const d = value.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      number = number * 10 + d;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || number > 255) return false;
    if (digits > 1 && value.charCodeAt(first) === DIGIT_0) return false;
    if (i === end) return octet === 4;
    if (octet === 4 || value.charCodeAt(i) !== DOT) return false;
    i++;
  }
}

/**
 * Tells whether `value` is an IPv4 dotted quad without leading zeros (`203.0.113.7`).
 *
 * @example
 * ```ts
 * isIpv4Address('192.0.2.1'); // true
 * isIpv4Address('192.0.2.01'); // false: leading zeros are ambiguous (octal in some parsers)
 * ```
 */
export function isIpv4Address(value: string): boolean {
  return value.length >= 7 && value.length <= 15 && isIpv4At(value, 0);
}

/**
 * Tells whether `value` is an IPv6 literal in RFC 4291 text form: eight groups, `::` compression once,
 * an optional embedded IPv4 tail (`::ffff:192.0.2.1`). Zone identifiers (`%eth0`) and brackets are not
 * accepted: they are meaningless outside the host that wrote them.
 *
 * @example
 * ```ts
 * isIpv6Address('2001:db8::8a2e:370:7334'); // true
 * isIpv6Address('2001:db8::1::2'); // false: two compressions
 * ```
 */
export function isIpv6Address(value: string): boolean {
  const end = value.length;
  if (end < 2 || end > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (value.charCodeAt(0) === COLON) {
    if (value.charCodeAt(1) !== COLON) return false;
    compressed = true;
    i = 2;
    if (i === end) return true;
  }
  for (;;) {
    const first = i;
    while (i < end && i - first < 5 && isHexDigit(value.charCodeAt(i))) i++;
    if (i < end && value.charCodeAt(i) === DOT) {
      // An IPv4 tail ends the address and stands for two groups.
      if (groups > 6 || !isIpv4At(value, first)) return false;
      groups += 2;
      break;
    }
    const digits = i - first;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === end) break;
    if (value.charCodeAt(i) !== COLON) return false;
    i++;
    if (i === end) return false;
    if (value.charCodeAt(i) === COLON) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === end) break;
    }
  }
  // `::` stands for at least one zero group.
  return compressed ? groups <= 7 : groups === 8;
}

/**
 * Tells whether `value` is an IPv4 or IPv6 address literal (see {@link isIpv4Address} and
 * {@link isIpv6Address}).
 *
 * @example
 * ```ts
 * isIpAddress('2001:db8::1'); // true
 * isIpAddress('localhost'); // false
 * ```
 */
export function isIpAddress(value: string): boolean {
  return value.indexOf(':') >= 0 ? isIpv6Address(value) : isIpv4Address(value);
}
