import * as constants from './constants';
import {
  ALLOWED_TYPES,
  CAMPAIGN_ID_PATTERN,
  COUNTRY_PATTERN,
  CURRENCY_PATTERN,
  EXTENSION_NAME_PATTERN,
  PLATFORMS,
} from './constants';
import * as chars from './charTable';
import { describeValue, pointerSegment } from './describeValue';
import * as ip from './isIpAddress';
import * as rfc3339 from './isRfc3339DateTime';
import * as uri from './isUriReference';
import type { AdEvent, SchemaIssue, ValidationResult } from './types';

// Module-local copies of what the per-record path uses: CommonJS builds (tsx, Jest, some bundlers) turn
// every use of an imported name into a getter call on the exporting module; a local const is read directly.
const {
  MAX_APP_VERSION_LENGTH,
  MAX_CAMPAIGN_ID_LENGTH,
  MAX_EXTENSION_NAME_LENGTH,
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
  SPEC_VERSION,
  DATA_CONTENT_TYPE,
  ABSOLUTE_URI_PATTERN,
} = constants;
const { charTable, consistsOf } = chars;
const { isIpAddress } = ip;
const { isRfc3339DateTime } = rfc3339;
const { isUriReference } = uri;

type Issues = SchemaIssue[];
type Json = Record<string, unknown>;

/** CloudEvents Integer: a signed 32-bit whole number. */
const MIN_CE_INTEGER = -2147483648;
const MAX_CE_INTEGER = 2147483647;

// Character tables for the single-class patterns: same results as the patterns, several times faster.
const CAMPAIGN_ID_CHARACTERS = charTable(CAMPAIGN_ID_PATTERN);
const CURRENCY_CHARACTERS = charTable(CURRENCY_PATTERN, 3);
const COUNTRY_CHARACTERS = charTable(COUNTRY_PATTERN, 2);
const EXTENSION_NAME_CHARACTERS = charTable(EXTENSION_NAME_PATTERN);

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

/** Checks a string against a single-character-class pattern through its character table. */
function checkPattern(
  issues: Issues,
  path: string,
  value: unknown,
  pattern: RegExp,
  table: Uint8Array,
  minLength: number,
  maxLength: number,
): void {
  if (typeof value !== 'string') {
    add(issues, path, `must be a string (got ${describeValue(value)})`);
  } else if (!consistsOf(value, table, minLength, maxLength)) {
    add(issues, path, `must match ${pattern.source} (got ${describeValue(value)})`);
  }
}

function checkExtension(issues: Issues, key: string, value: unknown): void {
  if (!consistsOf(key, EXTENSION_NAME_CHARACTERS, 1, MAX_EXTENSION_NAME_LENGTH)) {
    add(
      issues,
      `/${pointerSegment(key)}`,
      `is not an allowed attribute: extension names must match ${EXTENSION_NAME_PATTERN.source}`,
    );
    return;
  }
  // The key matched the name pattern, so it needs no JSON Pointer escaping.
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      if (value.length > MAX_EXTENSION_VALUE_LENGTH) {
        add(
          issues,
          `/${key}`,
          `must have at most ${MAX_EXTENSION_VALUE_LENGTH} characters (got ${value.length})`,
        );
      }
      return;
    case 'number':
      if (!Number.isInteger(value) || value < MIN_CE_INTEGER || value > MAX_CE_INTEGER) {
        add(issues, `/${key}`, `must be a 32-bit integer (got ${describeValue(value)})`);
      }
      return;
    default:
      add(
        issues,
        `/${key}`,
        `must be a string, integer or boolean extension value (got ${describeValue(value)})`,
      );
  }
}

function checkData(issues: Issues, data: Json): void {
  // One for-in pass: V8 serves `data[key]` from the enum cache, which stays fast although optional fields
  // give data objects many shapes (named loads of each field would go megamorphic).
  let userId = false;
  let campaignId = false;
  let revenueMicros: unknown;
  let currency: unknown;
  for (const key in data) {
    const value = data[key];
    if (value === undefined) continue; // as JSON.stringify would drop it
    switch (key) {
      case 'userId':
        userId = true;
        checkString(issues, '/data/userId', value, 1, MAX_USER_ID_LENGTH);
        break;
      case 'campaignId':
        campaignId = true;
        checkPattern(
          issues,
          '/data/campaignId',
          value,
          CAMPAIGN_ID_PATTERN,
          CAMPAIGN_ID_CHARACTERS,
          1,
          MAX_CAMPAIGN_ID_LENGTH,
        );
        break;
      case 'revenueMicros':
        revenueMicros = value;
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          add(issues, '/data/revenueMicros', `must be an integer (got ${describeValue(value)})`);
        } else if (value < 0) {
          add(issues, '/data/revenueMicros', `must be >= 0 (got ${value})`);
        } else if (value > MAX_REVENUE_MICROS) {
          add(issues, '/data/revenueMicros', `must be <= ${MAX_REVENUE_MICROS} (got ${value})`);
        }
        break;
      case 'currency':
        currency = value;
        checkPattern(issues, '/data/currency', value, CURRENCY_PATTERN, CURRENCY_CHARACTERS, 3, 3);
        break;
      case 'deviceId':
        checkString(issues, '/data/deviceId', value, 1, MAX_IDENTIFIER_LENGTH);
        break;
      case 'sessionId':
        checkString(issues, '/data/sessionId', value, 1, MAX_IDENTIFIER_LENGTH);
        break;
      case 'adId':
        checkString(issues, '/data/adId', value, 1, MAX_IDENTIFIER_LENGTH);
        break;
      case 'placement':
        checkString(issues, '/data/placement', value, 1, MAX_PLACEMENT_LENGTH);
        break;
      case 'country':
        checkPattern(issues, '/data/country', value, COUNTRY_PATTERN, COUNTRY_CHARACTERS, 2, 2);
        break;
      case 'platform':
        if (value !== 'ios' && value !== 'android' && value !== 'web') {
          add(issues, '/data/platform', `must be one of ${PLATFORMS_TEXT} (got ${describeValue(value)})`);
        }
        break;
      case 'appVersion':
        checkString(issues, '/data/appVersion', value, 1, MAX_APP_VERSION_LENGTH);
        break;
      case 'ip':
        if (typeof value !== 'string' || !isIpAddress(value)) {
          add(issues, '/data/ip', `must be an IPv4 or IPv6 address (got ${describeValue(value)})`);
        }
        break;
      case 'userAgent':
        checkString(issues, '/data/userAgent', value, 0, MAX_USER_AGENT_LENGTH);
        break;
      case 'attributes':
        if (!isObject(value))
          add(issues, '/data/attributes', `must be an object (got ${describeValue(value)})`);
        break;
      default:
        add(issues, `/data/${pointerSegment(key)}`, 'is not an allowed data field');
    }
  }
  if (!userId) add(issues, '/data/userId', 'is required');
  if (!campaignId) add(issues, '/data/campaignId', 'is required');
  if (currency === undefined && typeof revenueMicros === 'number' && revenueMicros > 0) {
    add(issues, '/data/currency', `is required when revenueMicros > 0 (got revenueMicros ${revenueMicros})`);
  }
}

/**
 * Validates a parsed JSON value against the ad event contract (see the library README) without mutating it
 * or applying defaults. Written by hand because it runs for every record: it reads each key once in a for-in pass,
 * allocates nothing on the valid path but the result, and reports every issue (up to {@link MAX_ISSUES}) with a JSON
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
  let specversion = false;
  let id = false;
  let source = false;
  let type = false;
  let time = false;
  let data = false;
  for (const key in value) {
    const field = value[key];
    if (field === undefined) continue; // as JSON.stringify would drop it
    switch (key) {
      case 'specversion':
        specversion = true;
        if (field !== SPEC_VERSION) {
          add(issues, '/specversion', `must be '${SPEC_VERSION}' (got ${describeValue(field)})`);
        }
        break;
      case 'id':
        id = true;
        checkString(issues, '/id', field, 1, MAX_ID_LENGTH);
        break;
      case 'source':
        source = true;
        if (checkString(issues, '/source', field, 1, MAX_SOURCE_LENGTH) !== undefined) {
          if (!isUriReference(field as string)) {
            add(issues, '/source', `must be a URI-reference (got ${describeValue(field)})`);
          }
        }
        break;
      case 'type':
        type = true;
        if (
          field !== 'com.example.ad.impression' &&
          field !== 'com.example.ad.click' &&
          field !== 'com.example.ad.install' &&
          field !== 'com.example.ad.purchase'
        ) {
          add(issues, '/type', `must be one of ${TYPES_TEXT} (got ${describeValue(field)})`);
        }
        break;
      case 'time':
        time = true;
        if (typeof field !== 'string' || !isRfc3339DateTime(field)) {
          add(
            issues,
            '/time',
            `must be an RFC 3339 date-time like 2024-05-01T12:00:00Z (got ${describeValue(field)})`,
          );
        }
        break;
      case 'subject':
        checkString(issues, '/subject', field, 1, MAX_ATTRIBUTE_LENGTH);
        break;
      case 'datacontenttype':
        if (field !== DATA_CONTENT_TYPE) {
          add(issues, '/datacontenttype', `must be '${DATA_CONTENT_TYPE}' (got ${describeValue(field)})`);
        }
        break;
      case 'dataschema':
        if (checkString(issues, '/dataschema', field, 1, MAX_ATTRIBUTE_LENGTH) !== undefined) {
          if (!ABSOLUTE_URI_PATTERN.test(field as string)) {
            add(issues, '/dataschema', `must be an absolute URI (got ${describeValue(field)})`);
          }
        }
        break;
      case 'data':
        data = true;
        if (isObject(field)) checkData(issues, field);
        else add(issues, '/data', `must be an object (got ${describeValue(field)})`);
        break;
      default:
        checkExtension(issues, key, field);
    }
  }
  if (!specversion) add(issues, '/specversion', 'is required');
  if (!id) add(issues, '/id', 'is required');
  if (!source) add(issues, '/source', 'is required');
  if (!type) add(issues, '/type', 'is required');
  if (!time) add(issues, '/time', 'is required');
  if (!data) add(issues, '/data', 'is required');

  return issues.length === 0 ? { ok: true, value: value as AdEvent } : { ok: false, issues };
}
