import {
  ABSOLUTE_URI_PATTERN,
  ALLOWED_TYPES,
  CAMPAIGN_ID_PATTERN,
  COUNTRY_PATTERN,
  CURRENCY_PATTERN,
  DATA_CONTENT_TYPE,
  EXTENSION_NAME_PATTERN,
  MAX_APP_VERSION_LENGTH,
  MAX_ATTRIBUTE_LENGTH,
  MAX_EXTENSION_VALUE_LENGTH,
  MAX_ID_LENGTH,
  MAX_IDENTIFIER_LENGTH,
  MAX_ISSUES,
  MAX_PLACEMENT_LENGTH,
  MAX_REVENUE_MICROS,
  MAX_SOURCE_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  PLATFORMS,
  SPEC_VERSION,
  URI_REFERENCE_PATTERN,
} from './constants';
import { describeValue, pointerSegment } from './describeValue';
import { isIpAddress } from './isIpAddress';
import { isRfc3339DateTime } from './isRfc3339DateTime';
import type { AdEvent, SchemaIssue, ValidationResult } from './types';

type Issues = SchemaIssue[];
type Json = Record<string, unknown>;

/** CloudEvents Integer: a signed 32-bit whole number. */
const MIN_CE_INTEGER = -2147483648;
const MAX_CE_INTEGER = 2147483647;

const TYPES_TEXT = ALLOWED_TYPES.map((t) => `'${t}'`).join(', ');
const PLATFORMS_TEXT = PLATFORMS.map((p) => `'${p}'`).join(', ');

function add(issues: Issues, path: string, message: string): void {
  if (issues.length < MAX_ISSUES) issues.push({ path, message });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a string's type and length; returns it when both hold so callers can test its content. */
function checkString(
  issues: Issues,
  path: string,
  value: unknown,
  minLength: number,
  maxLength: number,
): string | undefined {
  if (typeof value !== 'string') {
    add(issues, path, `must be a string (got ${describeValue(value)})`);
    return undefined;
  }
  if (value.length < minLength || value.length > maxLength) {
    add(
      issues,
      path,
      minLength === 0
        ? `must have at most ${maxLength} characters (got ${value.length})`
        : `must have ${minLength} to ${maxLength} characters (got ${value.length})`,
    );
    return undefined;
  }
  return value;
}

function checkPattern(
  issues: Issues,
  path: string,
  value: unknown,
  pattern: RegExp,
  maxLength: number,
): void {
  if (typeof value !== 'string') {
    add(issues, path, `must be a string (got ${describeValue(value)})`);
  } else if (value.length > maxLength || !pattern.test(value)) {
    add(issues, path, `must match ${pattern.source} (got ${describeValue(value)})`);
  }
}

function checkExtension(issues: Issues, key: string, value: unknown): void {
  const path = `/${pointerSegment(key)}`;
  if (!EXTENSION_NAME_PATTERN.test(key)) {
    add(
      issues,
      path,
      `is not an allowed attribute: extension names must match ${EXTENSION_NAME_PATTERN.source}`,
    );
    return;
  }
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      checkString(issues, path, value, 0, MAX_EXTENSION_VALUE_LENGTH);
      return;
    case 'number':
      if (!Number.isInteger(value) || value < MIN_CE_INTEGER || value > MAX_CE_INTEGER) {
        add(issues, path, `must be a 32-bit integer (got ${describeValue(value)})`);
      }
      return;
    default:
      add(issues, path, `must be a string, integer or boolean extension value (got ${describeValue(value)})`);
  }
}

function checkData(issues: Issues, data: Json): void {
  for (const key of Object.keys(data)) {
    switch (key) {
      case 'userId':
      case 'campaignId':
      case 'revenueMicros':
      case 'currency':
      case 'deviceId':
      case 'sessionId':
      case 'adId':
      case 'placement':
      case 'country':
      case 'platform':
      case 'appVersion':
      case 'ip':
      case 'userAgent':
      case 'attributes':
        break;
      default:
        add(issues, `/data/${pointerSegment(key)}`, 'is not an allowed data field');
    }
  }

  const { userId, campaignId, revenueMicros, currency } = data;
  if (userId === undefined) add(issues, '/data/userId', 'is required');
  else checkString(issues, '/data/userId', userId, 1, MAX_USER_ID_LENGTH);

  if (campaignId === undefined) add(issues, '/data/campaignId', 'is required');
  else checkPattern(issues, '/data/campaignId', campaignId, CAMPAIGN_ID_PATTERN, 64);

  if (revenueMicros !== undefined) {
    if (typeof revenueMicros !== 'number' || !Number.isInteger(revenueMicros)) {
      add(issues, '/data/revenueMicros', `must be an integer (got ${describeValue(revenueMicros)})`);
    } else if (revenueMicros < 0) {
      add(issues, '/data/revenueMicros', `must be >= 0 (got ${revenueMicros})`);
    } else if (revenueMicros > MAX_REVENUE_MICROS) {
      add(issues, '/data/revenueMicros', `must be <= ${MAX_REVENUE_MICROS} (got ${revenueMicros})`);
    }
  }
  if (currency !== undefined) {
    checkPattern(issues, '/data/currency', currency, CURRENCY_PATTERN, 3);
  } else if (typeof revenueMicros === 'number' && revenueMicros > 0) {
    add(issues, '/data/currency', `is required when revenueMicros > 0 (got revenueMicros ${revenueMicros})`);
  }

  const { deviceId, sessionId, adId, placement, country, platform, appVersion, ip, userAgent, attributes } =
    data;
  if (deviceId !== undefined) checkString(issues, '/data/deviceId', deviceId, 1, MAX_IDENTIFIER_LENGTH);
  if (sessionId !== undefined) checkString(issues, '/data/sessionId', sessionId, 1, MAX_IDENTIFIER_LENGTH);
  if (adId !== undefined) checkString(issues, '/data/adId', adId, 1, MAX_IDENTIFIER_LENGTH);
  if (placement !== undefined) checkString(issues, '/data/placement', placement, 1, MAX_PLACEMENT_LENGTH);
  if (country !== undefined) checkPattern(issues, '/data/country', country, COUNTRY_PATTERN, 2);
  if (platform !== undefined && platform !== 'ios' && platform !== 'android' && platform !== 'web') {
    add(issues, '/data/platform', `must be one of ${PLATFORMS_TEXT} (got ${describeValue(platform)})`);
  }
  if (appVersion !== undefined)
    checkString(issues, '/data/appVersion', appVersion, 1, MAX_APP_VERSION_LENGTH);
  if (ip !== undefined && (typeof ip !== 'string' || !isIpAddress(ip))) {
    add(issues, '/data/ip', `must be an IPv4 or IPv6 address (got ${describeValue(ip)})`);
  }
  if (userAgent !== undefined) checkString(issues, '/data/userAgent', userAgent, 0, MAX_USER_AGENT_LENGTH);
  if (attributes !== undefined && !isObject(attributes)) {
    add(issues, '/data/attributes', `must be an object (got ${describeValue(attributes)})`);
  }
}

/**
 * Validates a parsed JSON value against the ad event contract (see the library README) without mutating it
 * or applying defaults. Written by hand because it runs for every record: it reads each key once, allocates
 * nothing on the valid path but the result, and reports every issue (up to {@link MAX_ISSUES}) with a JSON
 * Pointer, the expectation and the value found.
 *
 * @example
 * ```ts
 * const result = validateAdEvent(JSON.parse(text));
 * if (!result.ok) console.log(result.issues); // [{ path: '/data/campaignId', message: 'is required' }]
 * ```
 */
export function validateAdEvent(value: unknown): ValidationResult<AdEvent> {
  if (!isObject(value)) {
    return { ok: false, issues: [{ path: '', message: `must be an object (got ${describeValue(value)})` }] };
  }
  const issues: Issues = [];
  for (const key of Object.keys(value)) {
    switch (key) {
      case 'specversion':
      case 'id':
      case 'source':
      case 'type':
      case 'time':
      case 'subject':
      case 'datacontenttype':
      case 'dataschema':
      case 'data':
        break;
      default:
        checkExtension(issues, key, value[key]);
    }
  }

  const { specversion, id, source, type, time, subject, datacontenttype, dataschema, data } = value;
  if (specversion === undefined) add(issues, '/specversion', 'is required');
  else if (specversion !== SPEC_VERSION) {
    add(issues, '/specversion', `must be '${SPEC_VERSION}' (got ${describeValue(specversion)})`);
  }

  if (id === undefined) add(issues, '/id', 'is required');
  else checkString(issues, '/id', id, 1, MAX_ID_LENGTH);

  if (source === undefined) add(issues, '/source', 'is required');
  else if (checkString(issues, '/source', source, 1, MAX_SOURCE_LENGTH) !== undefined) {
    if (!URI_REFERENCE_PATTERN.test(source as string)) {
      add(issues, '/source', `must be a URI-reference (got ${describeValue(source)})`);
    }
  }

  if (type === undefined) add(issues, '/type', 'is required');
  else if (
    type !== 'com.example.ad.impression' &&
    type !== 'com.example.ad.click' &&
    type !== 'com.example.ad.install' &&
    type !== 'com.example.ad.purchase'
  ) {
    add(issues, '/type', `must be one of ${TYPES_TEXT} (got ${describeValue(type)})`);
  }

  if (time === undefined) add(issues, '/time', 'is required');
  else if (typeof time !== 'string' || !isRfc3339DateTime(time)) {
    add(
      issues,
      '/time',
      `must be an RFC 3339 date-time like 2024-05-01T12:00:00Z (got ${describeValue(time)})`,
    );
  }

  if (subject !== undefined) checkString(issues, '/subject', subject, 1, MAX_ATTRIBUTE_LENGTH);
  if (datacontenttype !== undefined && datacontenttype !== DATA_CONTENT_TYPE) {
    add(issues, '/datacontenttype', `must be '${DATA_CONTENT_TYPE}' (got ${describeValue(datacontenttype)})`);
  }
  if (dataschema !== undefined) {
    if (checkString(issues, '/dataschema', dataschema, 1, MAX_ATTRIBUTE_LENGTH) !== undefined) {
      if (!ABSOLUTE_URI_PATTERN.test(dataschema as string)) {
        add(issues, '/dataschema', `must be an absolute URI (got ${describeValue(dataschema)})`);
      }
    }
  }

  if (data === undefined) add(issues, '/data', 'is required');
  else if (!isObject(data)) add(issues, '/data', `must be an object (got ${describeValue(data)})`);
  else checkData(issues, data);

  return issues.length === 0 ? { ok: true, value: value as AdEvent } : { ok: false, issues };
}
