import { parseUserAgent } from './userAgent';

describe('parseUserAgent', () => {
  it.each([
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      { os: 'iOS', osVersion: '17.4', deviceType: 'mobile', browser: 'Safari' },
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1',
      { os: 'iOS', osVersion: '16.6', deviceType: 'tablet', browser: 'Chrome' },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
      { os: 'Android', osVersion: '14', deviceType: 'mobile', browser: 'Chrome' },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0',
      { os: 'Windows', osVersion: '10', deviceType: 'desktop', browser: 'Edge' },
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:125.0) Gecko/20100101 Firefox/125.0',
      { os: 'macOS', osVersion: '10.15', deviceType: 'desktop', browser: 'Firefox' },
    ],
    [
      'StarBlast/3.2.1 (iPhone; iOS 17.1; Scale/3.00) CFNetwork/1485 Darwin/23.1.0',
      { os: 'iOS', osVersion: '17.1', deviceType: 'mobile', browser: 'app' },
    ],
    [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      { os: 'other', deviceType: 'bot', browser: 'other' },
    ],
  ])('classifies %s', (ua, expected) => {
    // Act / Assess
    expect(parseUserAgent(ua)).toEqual(expected);
  });

  it('returns the same answer from its memo as from a first parse', () => {
    // Prepare
    const ua =
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Safari/537.36';
    // Act
    const first = parseUserAgent(ua);
    const second = parseUserAgent(ua);
    // Assess
    expect(second).toBe(first);
    expect(first).toEqual({
      os: 'Android',
      osVersion: '13',
      deviceType: 'tablet',
      browser: 'Samsung Internet',
    });
  });

  it('treats a missing agent as unknown', () => {
    expect(parseUserAgent(undefined)).toEqual({ os: 'other', deviceType: 'other', browser: 'other' });
  });
});
