/** What enrichment derives from a user agent. */
export interface DeviceInfo {
  os: 'iOS' | 'Android' | 'Windows' | 'macOS' | 'ChromeOS' | 'Linux' | 'other';
  osVersion?: string;
  deviceType: 'mobile' | 'tablet' | 'desktop' | 'bot' | 'other';
  browser: 'Chrome' | 'Safari' | 'Firefox' | 'Edge' | 'Samsung Internet' | 'Opera' | 'app' | 'other';
}

const UNKNOWN: DeviceInfo = Object.freeze({ os: 'other', deviceType: 'other', browser: 'other' });
const CACHE_LIMIT = 2_000;
const cache = new Map<string, DeviceInfo>();

/**
 * Classifies a user agent into OS, OS version, device type and browser.
 *
 * A handful of anchored regular expressions cover the agents an ad pipeline sees (mobile apps and browsers);
 * a full UA database would cost far more CPU per record than it adds here. Results are memoised: user agents
 * repeat heavily within and across batches.
 */
export function parseUserAgent(ua: string | undefined): DeviceInfo {
  if (!ua) return UNKNOWN;
  const hit = cache.get(ua);
  if (hit) return hit;
  const info = classify(ua);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(ua, info);
  return info;
}

const BOT = /bot|crawl|spider|slurp|headless|curl\/|wget\//i;
const IOS = /\b(iPhone|iPad|iPod)\b.*?\b(?:i?OS|iPadOS) (\d+)(?:[._](\d+))?/;
const ANDROID = /\bAndroid (\d+)(?:\.(\d+))?/;
const WINDOWS = /\bWindows NT (\d+\.\d+)/;
const MACOS = /\bMac OS X (\d+)[._](\d+)/;

function classify(ua: string): DeviceInfo {
  const info: DeviceInfo = { os: 'other', deviceType: 'other', browser: browserOf(ua) };
  let m: RegExpExecArray | null;
  if ((m = IOS.exec(ua))) {
    info.os = 'iOS';
    info.osVersion = m[3] ? `${m[2]}.${m[3]}` : m[2];
    info.deviceType = m[1] === 'iPad' ? 'tablet' : 'mobile';
  } else if ((m = ANDROID.exec(ua))) {
    info.os = 'Android';
    info.osVersion = m[2] ? `${m[1]}.${m[2]}` : m[1];
    info.deviceType = /\bMobile\b/.test(ua)
      ? 'mobile'
      : /\b(Tablet|Tab)\b/i.test(ua) || !/Dalvik/.test(ua)
        ? 'tablet'
        : 'mobile';
  } else if ((m = WINDOWS.exec(ua))) {
    info.os = 'Windows';
    info.osVersion = m[1] === '10.0' ? '10' : m[1];
    info.deviceType = 'desktop';
  } else if ((m = MACOS.exec(ua))) {
    info.os = 'macOS';
    info.osVersion = `${m[1]}.${m[2]}`;
    info.deviceType = 'desktop';
  } else if (ua.includes('CrOS')) {
    info.os = 'ChromeOS';
    info.deviceType = 'desktop';
  } else if (ua.includes('Linux')) {
    info.os = 'Linux';
    info.deviceType = 'desktop';
  }
  if (BOT.test(ua)) info.deviceType = 'bot';
  return info;
}

function browserOf(ua: string): DeviceInfo['browser'] {
  if (ua.includes('Edg/') || ua.includes('EdgiOS/') || ua.includes('EdgA/')) return 'Edge';
  if (ua.includes('OPR/') || ua.includes('OPiOS/')) return 'Opera';
  if (ua.includes('SamsungBrowser/')) return 'Samsung Internet';
  if (ua.includes('Firefox/') || ua.includes('FxiOS/')) return 'Firefox';
  if (ua.includes('Chrome/') || ua.includes('CriOS/')) return 'Chrome';
  if (ua.includes('Safari/') && ua.includes('Version/')) return 'Safari';
  if (!ua.startsWith('Mozilla/')) return 'app';
  return 'other';
}
