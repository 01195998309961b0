import { truncateIp } from './ip';

describe('truncateIp', () => {
  it.each([
    ['203.0.113.57', '203.0.113.0'],
    ['10.0.0.255', '10.0.0.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:DB8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['::ffff:198.51.100.23', '198.51.100.0'],
  ])('truncates %s to %s', (input, expected) => {
    // Act / Assess
    expect(truncateIp(input)).toBe(expected);
  });

  it.each([
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    'not-an-ip',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '::ffff:1.2.3.999',
    'gggg::1',
  ])('refuses the malformed address %s', (input) => {
    // Act / Assess
    expect(truncateIp(input)).toBeUndefined();
  });
});
