import fc from 'fast-check';
import { isIP } from 'node:net';
import { isIpAddress, isIpv4Address, isIpv6Address } from './isIpAddress';

describe('isIpAddress', () => {
  it.each([
    '0.0.0.0',
    '203.0.113.7',
    '255.255.255.255',
    '::',
    '::1',
    '1::',
    '2001:db8::8a2e:370:7334',
    '2001:0db8:0000:0000:0000:ff00:0042:8329',
    'FE80::1',
    '::ffff:192.0.2.1',
    '64:ff9b::192.0.2.33',
    '1:2:3:4:5:6:192.0.2.1',
  ])('accepts %s', (value) => {
    expect(isIpAddress(value)).toBe(true);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    'localhost',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::1',
    ':1::',
    '1:',
    'fe80::1%eth0',
    '[::1]',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3',
    '::ffff:256.1.1.1',
  ])('rejects %p', (value) => {
    expect(isIpAddress(value)).toBe(false);
  });

  it('agrees with node:net on IPv4 and IPv6 addresses it formats', () => {
    const v4 = fc.ipV4();
    const v6 = fc.ipV6();
    fc.assert(
      fc.property(v4, (address) => {
        expect(isIpv4Address(address)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(v6, (address) => {
        expect(isIpv6Address(address)).toBe(true);
      }),
    );
  });

  it('agrees with node:net on arbitrary strings made of address characters', () => {
    const char = fc.constantFrom(...'0123456789abcdefABCDEF:.:.:'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 45 }), (text) => {
        // Act
        const ours = isIpAddress(text);

        // Assess
        expect(ours).toBe(isIP(text) !== 0);
      }),
      { numRuns: 5000 },
    );
  });
});
