/**
 * IP privacy: the client address never leaves enrichment in clear. It is truncated, not hashed:
 * IPv4 to its /24 network (last octet zeroed), IPv6 to its /48 (the rest zeroed), IPv4-mapped IPv6 as IPv4.
 *
 * Why truncation rather than a keyed hash: a truncated address still serves the analytics an ad pipeline needs
 * (coarse geography, network, fraud clusters), cannot be reversed by anyone, and needs no secret key, so there is
 * nothing to store, rotate or leak in configuration or Terraform state. A keyed hash would keep a stable per-user
 * join key (pseudonymous personal data) and make key management part of every deploy.
 */
export function truncateIp(ip: string): string | undefined {
  if (ip.includes(':')) return truncateIpv6(ip);
  return truncateIpv4(ip);
}

/** Dotted-quad IPv4 with decimal octets 0-255 and no leading zeros; returns its /24 network address. */
function truncateIpv4(ip: string): string | undefined {
  const a = ip.indexOf('.');
  const b = ip.indexOf('.', a + 1);
  const c = ip.indexOf('.', b + 1);
  if (a < 0 || b < 0 || c < 0 || ip.indexOf('.', c + 1) !== -1) return undefined;
  if (
    !isOctet(ip, 0, a) ||
    !isOctet(ip, a + 1, b) ||
    !isOctet(ip, b + 1, c) ||
    !isOctet(ip, c + 1, ip.length)
  ) {
    return undefined;
  }
  return `${ip.slice(0, c)}.0`;
}

function isOctet(s: string, from: number, to: number): boolean {
  const length = to - from;
  if (length < 1 || length > 3 || (length > 1 && s.charCodeAt(from) === 48)) return false;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  return value <= 255;
}

function truncateIpv6(ip: string): string | undefined {
  const zone = ip.indexOf('%');
  const address = (zone === -1 ? ip : ip.slice(0, zone)).toLowerCase();
  const hextets = expandIpv6(address);
  if (!hextets) return undefined;
  // ::ffff:a.b.c.d carries an IPv4 client; truncate it as IPv4.
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    const v4 = `${hextets[6]! >> 8}.${hextets[6]! & 0xff}.${hextets[7]! >> 8}.${hextets[7]! & 0xff}`;
    return truncateIpv4(v4);
  }
  return `${hextets[0]!.toString(16)}:${hextets[1]!.toString(16)}:${hextets[2]!.toString(16)}::`;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two hextets.
    const v4 = truncateIpv4(last) && last.split('.').map(Number);
    if (!v4) return undefined;
    const hi = ((v4[0]! << 8) | v4[1]!).toString(16);
    const lo = ((v4[2]! << 8) | v4[3]!).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0]!);
  const tail = halves.length === 2 ? parseHextets(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const known = head.length + tail.length;
  if (halves.length === 1) return known === 8 ? head : undefined;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...tail];
}

function parseHextets(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  for (const h of part.split(':')) {
    if (!/^[0-9a-f]{1,4}$/.test(h)) return undefined;
    out.push(parseInt(h, 16));
  }
  return out;
}
