import { DATA_CONTENT_TYPE, SPEC_VERSION } from './constants';
import { createPrng, type Prng } from './createPrng';
import { FixtureOptionsError } from './errors';
import type {
  AdEventData,
  AdEventType,
  AdPlatform,
  EventStreamOptions,
  GenerateEventsOptions,
  GeneratedEvent,
  InvalidReason,
} from './types';

/** Default latest event time: fixed, so fixtures are the same on every run unless a caller asks for "now". */
export const DEFAULT_START_TIME = new Date('2025-06-02T12:00:00.000Z');

/** Every fault the generator produces, in the order it draws them from. */
export const INVALID_REASONS: readonly InvalidReason[] = [
  'missing-id',
  'bad-specversion',
  'bad-type',
  'bad-time',
  'missing-campaign-id',
  'bad-campaign-id',
  'negative-revenue',
  'revenue-without-currency',
  'wrong-type',
  'unknown-data-field',
  'non-object-data',
  'bad-country',
  'bad-ip',
];

/** JSON Pointer of the one issue each fault causes, for tests that check the reported path. */
export const INVALID_REASON_PATHS: Readonly<Record<InvalidReason, string>> = {
  'missing-id': '/id',
  'bad-specversion': '/specversion',
  'bad-type': '/type',
  'bad-time': '/time',
  'missing-campaign-id': '/data/campaignId',
  'bad-campaign-id': '/data/campaignId',
  'negative-revenue': '/data/revenueMicros',
  'revenue-without-currency': '/data/currency',
  'wrong-type': '/data/userId',
  'unknown-data-field': '/data/clientTimestamp',
  'non-object-data': '/data',
  'bad-country': '/data/country',
  'bad-ip': '/data/ip',
};

const GAMES = ['space-miner', 'farm-frenzy', 'puzzle-quest', 'drift-kings', 'tower-siege'];
const PLACEMENTS = [
  'main_menu_banner',
  'level_complete_interstitial',
  'rewarded_video_shop',
  'rewarded_video_extra_life',
  'pause_menu_native',
  'daily_bonus_offerwall',
];
const COUNTRIES = [
  'US',
  'US',
  'US',
  'GB',
  'DE',
  'FR',
  'BR',
  'IN',
  'JP',
  'KR',
  'CA',
  'AU',
  'MX',
  'ES',
  'IT',
  'SE',
  'PL',
  'TR',
];
const CURRENCIES = ['USD', 'USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'KRW', 'CAD'];
const PRICES_MICROS = [990_000, 1_990_000, 4_990_000, 9_990_000, 19_990_000, 49_990_000, 99_990_000];
const NETWORKS = ['wifi', 'wifi', '4g', '5g', '3g'];
const OFFSETS: readonly { label: string; minutes: number }[] = [
  { label: 'Z', minutes: 0 },
  { label: 'Z', minutes: 0 },
  { label: 'Z', minutes: 0 },
  { label: '+00:00', minutes: 0 },
  { label: '+01:00', minutes: 60 },
  { label: '+02:00', minutes: 120 },
  { label: '-03:00', minutes: -180 },
  { label: '-05:00', minutes: -300 },
  { label: '+05:30', minutes: 330 },
  { label: '+09:00', minutes: 540 },
];
const IOS_VERSIONS = ['16_7', '17_4', '17_5', '18_0', '18_1'];
const ANDROID_DEVICES = [
  'Pixel 8 Build/AP2A.240805.005',
  'SM-S918B Build/UP1A.231005.007',
  'M2101K6G Build/TKQ1.221013.002',
];
const BAD_TIMES: readonly unknown[] = [
  '2025-13-01T10:00:00Z',
  '2023-02-29T10:00:00Z',
  '2025-06-02 12:00:00',
  '2025-06-02T24:00:00Z',
  'yesterday',
  1748865600000,
];

/** Per-user traits: drawn from a generator seeded by the user, so a user keeps one device. */
interface UserProfile {
  userId: string;
  platform: AdPlatform;
  deviceId: string;
  country: string;
  appVersion: string;
  ip: string;
  userAgent: string;
}

interface StreamSettings {
  seed: number;
  count: number;
  invalidRatio: number;
  startMs: number;
  timeSpreadMs: number;
  campaigns: number;
  users: number;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FixtureOptionsError(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}

function settingsOf(options: EventStreamOptions): StreamSettings {
  const invalidRatio = options.invalidRatio ?? 0;
  if (typeof invalidRatio !== 'number' || !(invalidRatio >= 0 && invalidRatio <= 1)) {
    throw new FixtureOptionsError(`invalidRatio must be a number from 0 to 1 (got ${String(invalidRatio)})`);
  }
  const startMs = (options.startTime ?? DEFAULT_START_TIME).getTime();
  if (Number.isNaN(startMs)) throw new FixtureOptionsError('startTime must be a valid Date');
  return {
    seed: checkInteger('seed', options.seed, -0x80000000, 0xffffffff),
    count:
      options.count === undefined
        ? Number.POSITIVE_INFINITY
        : checkInteger('count', options.count, 0, 2 ** 32),
    invalidRatio,
    startMs,
    timeSpreadMs: checkInteger('timeSpreadMs', options.timeSpreadMs ?? 300_000, 0, 2 ** 40),
    campaigns: checkInteger('campaigns', options.campaigns ?? 20, 1, 9999),
    users: checkInteger('users', options.users ?? 1000, 1, 2 ** 31),
  };
}

function uuid(random: Prng): string {
  const h = random.hex(32);
  const variant = '89ab'[random.int(4)] as string;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

function ipAddress(random: Prng): string {
  if (random.chance(0.25)) {
    return `2a0${random.int(6)}:${random.hex(4)}:${random.hex(4)}:${random.int(256).toString(16)}::${random.hex(3)}`;
  }
  return `${1 + random.int(223)}.${random.int(256)}.${random.int(256)}.${1 + random.int(254)}`;
}

function userProfile(seed: number, userIndex: number): UserProfile {
  const random = createPrng((seed ^ Math.imul(userIndex + 1, 0x9e3779b1)) >>> 0);
  const userId = `u-${random.hex(12)}`;
  const roll = random.next();
  const platform: AdPlatform = roll < 0.55 ? 'android' : roll < 0.9 ? 'ios' : 'web';
  const appVersion = `${1 + random.int(4)}.${random.int(20)}.${random.int(10)}`;
  let deviceId: string;
  let userAgent: string;
  if (platform === 'ios') {
    deviceId = uuid(random).toUpperCase();
    const os = random.pick(IOS_VERSIONS);
    userAgent = `Mozilla/5.0 (iPhone; CPU iPhone OS ${os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`;
  } else if (platform === 'android') {
    deviceId = random.hex(16);
    userAgent = `Dalvik/2.1.0 (Linux; U; Android ${12 + random.int(4)}; ${random.pick(ANDROID_DEVICES)})`;
  } else {
    deviceId = `web-${random.hex(20)}`;
    userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${120 + random.int(10)}.0.0.0 Safari/537.36`;
  }
  return {
    userId,
    platform,
    deviceId,
    country: random.pick(COUNTRIES),
    appVersion,
    ip: ipAddress(random),
    userAgent,
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Formats an instant as RFC 3339 in a given offset, with 0, 3 or 6 fractional digits. */
function formatTime(random: Prng, epochMs: number): string {
  const offset = random.pick(OFFSETS);
  const local = new Date(epochMs + offset.minutes * 60_000);
  const iso = local.toISOString();
  const digits = random.pick([0, 3, 3, 6]);
  const fraction =
    digits === 0 ? '' : digits === 3 ? iso.slice(19, 23) : `${iso.slice(19, 23)}${pad(random.int(1000), 3)}`;
  if (offset.label === 'Z') return `${iso.slice(0, 19)}${fraction}Z`;
  return `${iso.slice(0, 19)}${fraction}${offset.label}`;
}

function eventType(random: Prng): AdEventType {
  const roll = random.next();
  if (roll < 0.7) return 'com.example.ad.impression';
  if (roll < 0.9) return 'com.example.ad.click';
  if (roll < 0.97) return 'com.example.ad.install';
  return 'com.example.ad.purchase';
}

function attributesFor(random: Prng, type: AdEventType): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    level: 1 + random.int(120),
    network: random.pick(NETWORKS),
    abBucket: random.pick(['A', 'B', 'control']),
  };
  if (type === 'com.example.ad.impression') attributes['viewableMs'] = 500 + random.int(30_000);
  if (type === 'com.example.ad.purchase')
    attributes['sku'] = `gems_pack_${random.pick(['small', 'medium', 'large'])}`;
  if (random.chance(0.3)) attributes['firstSession'] = random.chance(0.2);
  return attributes;
}

function validEvent(random: Prng, settings: StreamSettings, user: UserProfile): Record<string, unknown> {
  const type = eventType(random);
  const campaignId = `cmp-${pad(1 + random.int(settings.campaigns), 4)}`;
  const data: AdEventData = { userId: user.userId, campaignId };
  if (type === 'com.example.ad.purchase') {
    data.revenueMicros = random.pick(PRICES_MICROS);
    data.currency = random.pick(CURRENCIES);
  } else if (random.chance(0.5)) {
    data.revenueMicros = 0;
  }
  data.deviceId = user.deviceId;
  data.sessionId = `s-${random.hex(16)}`;
  if (random.chance(0.9)) data.adId = `ad-${pad(random.int(1_000_000), 6)}`;
  data.placement = random.pick(PLACEMENTS);
  data.country = user.country;
  data.platform = user.platform;
  data.appVersion = user.appVersion;
  if (random.chance(0.85)) data.ip = user.ip;
  if (random.chance(0.8)) data.userAgent = user.userAgent;
  if (random.chance(0.7)) data.attributes = attributesFor(random, type);

  const event: Record<string, unknown> = {
    specversion: SPEC_VERSION,
    id: uuid(random),
    source: `https://sdk.example.com/games/${random.pick(GAMES)}/${user.platform}`,
    type,
    time: formatTime(random, settings.startMs - random.int(settings.timeSpreadMs + 1)),
  };
  if (random.chance(0.6)) event['datacontenttype'] = DATA_CONTENT_TYPE;
  if (random.chance(0.2)) event['subject'] = campaignId;
  if (random.chance(0.3)) event['traceparent'] = `00-${random.hex(32)}-${random.hex(16)}-01`;
  event['data'] = data;
  return event;
}

/** Puts exactly one fault of the given kind into a freshly built valid event. */
function injectFault(random: Prng, event: Record<string, unknown>, reason: InvalidReason): void {
  const data = event['data'] as Record<string, unknown>;
  switch (reason) {
    case 'missing-id':
      delete event['id'];
      return;
    case 'bad-specversion':
      event['specversion'] = random.pick(['0.3', '1', '2.0']);
      return;
    case 'bad-type':
      event['type'] = random.pick(['com.example.ad.view', 'click', 'com.example.ad.Click']);
      return;
    case 'bad-time':
      event['time'] = random.pick(BAD_TIMES);
      return;
    case 'missing-campaign-id':
      delete data['campaignId'];
      return;
    case 'bad-campaign-id':
      data['campaignId'] = random.pick(['cmp 0001', 'cmp/0001', '', 'x'.repeat(65)]);
      return;
    case 'negative-revenue':
      data['revenueMicros'] = -random.pick(PRICES_MICROS);
      data['currency'] = random.pick(CURRENCIES);
      return;
    case 'revenue-without-currency':
      data['revenueMicros'] = random.pick(PRICES_MICROS);
      delete data['currency'];
      return;
    case 'wrong-type':
      data['userId'] = random.int(1_000_000);
      return;
    case 'unknown-data-field':
      data['clientTimestamp'] = Date.UTC(2025, 5, 2) + random.int(1000);
      return;
    case 'non-object-data':
      event['data'] = random.pick<unknown>([JSON.stringify(data), [data], null]);
      return;
    case 'bad-country':
      data['country'] = random.pick(['USA', 'us', 'U1']);
      return;
    case 'bad-ip':
      data['ip'] = random.pick(['256.1.2.3', '10.0.0', '2001:db8::1::2', 'localhost']);
      return;
  }
}

/**
 * Yields ad events lazily: the same sequence as {@link generateEvents} for the same options, at any count
 * (endless without `count`), for the load generator. Deterministic for a seed; user traits (device,
 * platform, country, IP) stay stable per user; times spread over the `timeSpreadMs` before `startTime` with
 * mixed UTC offsets and fractional seconds; revenue only on purchases.
 *
 * @throws {FixtureOptionsError} when an option is out of range.
 * @example
 * ```ts
 * for (const { event, partitionKey } of eventStream({ seed: 7, count: 3, startTime: new Date() })) {
 *   console.log(partitionKey, JSON.stringify(event));
 * }
 * ```
 */
export function* eventStream(options: EventStreamOptions): Generator<GeneratedEvent, void, undefined> {
  const settings = settingsOf(options);
  const random = createPrng(settings.seed);
  const profiles = new Map<number, UserProfile>();
  for (let i = 0; i < settings.count; i++) {
    const userIndex = random.int(settings.users);
    let user = profiles.get(userIndex);
    if (user === undefined) {
      user = userProfile(settings.seed, userIndex);
      // Bounded cache: an endless stream over many users must not grow without limit.
      if (profiles.size < 100_000) profiles.set(userIndex, user);
    }
    const event = validEvent(random, settings, user);
    if (settings.invalidRatio > 0 && random.chance(settings.invalidRatio)) {
      const invalidReason = random.pick(INVALID_REASONS);
      injectFault(random, event, invalidReason);
      yield { event, valid: false, invalidReason, partitionKey: user.userId };
    } else {
      yield { event, valid: true, partitionKey: user.userId };
    }
  }
}

/**
 * Generates `count` ad event fixtures, deterministic for `seed`: the one generator shared by tests,
 * benchmarks and the local load generator. See {@link eventStream} for what the events look like.
 *
 * @throws {FixtureOptionsError} when an option is out of range.
 * @example
 * ```ts
 * const fixtures = generateEvents({ count: 100, seed: 1, invalidRatio: 0.1 });
 * const invalid = fixtures.filter((f) => !f.valid).map((f) => f.invalidReason);
 * ```
 */
export function generateEvents(options: GenerateEventsOptions): GeneratedEvent[] {
  if (options.count === undefined) throw new FixtureOptionsError('count is required');
  return Array.from(eventStream(options));
}
