const IPV4_PATTERN = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP_PATTERN = /^[0-9A-Fa-f]{1,4}$/;

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
  return value.length <= 15 && IPV4_PATTERN.test(value);
}

function areHexGroups(groups: string[]): boolean {
  for (const group of groups) if (!HEX_GROUP_PATTERN.test(group)) return false;
  return true;
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
  if (value.length < 2 || value.length > 45) return false;
  let groupsNeeded = 8;
  let text = value;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (text.indexOf('.', lastColon) >= 0) {
    // An IPv4 tail stands for the last two groups.
    if (!isIpv4Address(text.slice(lastColon + 1))) return false;
    text = text.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const compression = text.indexOf('::');
  if (compression < 0) {
    const groups = text.split(':');
    return groups.length === groupsNeeded && areHexGroups(groups);
  }
  if (text.indexOf('::', compression + 1) >= 0) return false;
  const head = text.slice(0, compression);
  const tail = text.slice(compression + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // `::` stands for at least one zero group.
  return (
    headGroups.length + tailGroups.length < groupsNeeded &&
    areHexGroups(headGroups) &&
    areHexGroups(tailGroups)
  );
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
