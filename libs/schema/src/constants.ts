/**
 * Constants of the ad event contract. The enrichment step and other consumers import these instead of
 * repeating literals, so a change to the contract happens here only.
 */

/** The only CloudEvents version accepted. */
export const SPEC_VERSION = '1.0';

/** Event types of the ad domain, in funnel order. */
export const ALLOWED_TYPES = [
  'com.example.ad.impression',
  'com.example.ad.click',
  'com.example.ad.install',
  'com.example.ad.purchase',
] as const;

/** The `datacontenttype` value accepted when the attribute is present. */
export const DATA_CONTENT_TYPE = 'application/json';

/** Maximum length of the CloudEvents `id`. */
export const MAX_ID_LENGTH = 256;
/** Maximum length of the CloudEvents `source`. */
export const MAX_SOURCE_LENGTH = 1024;
/** Maximum length of `subject` and `dataschema`. */
export const MAX_ATTRIBUTE_LENGTH = 1024;

/**
 * Characters RFC 3986 allows in a URI reference. `source` and `dataschema` must consist of these only:
 * this rejects whitespace, control characters and raw non-ASCII without a full URI parser.
 */
export const URI_REFERENCE_PATTERN = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
/** An absolute URI (scheme first), required for `dataschema`. */
export const ABSOLUTE_URI_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/**
 * Names of extension attributes: CloudEvents requires lower-case ASCII letters and digits. The length cap
 * (the spec recommends 20) bounds what an unknown producer can put in our logs and indices.
 */
export const EXTENSION_NAME_PATTERN = /^[a-z0-9]{1,64}$/;
/** Longest extension attribute name, as in {@link EXTENSION_NAME_PATTERN}. */
export const MAX_EXTENSION_NAME_LENGTH = 64;
/** Maximum length of a string extension value. */
export const MAX_EXTENSION_VALUE_LENGTH = 1024;

/** Maximum length of `data.userId`. */
export const MAX_USER_ID_LENGTH = 256;
/** `data.campaignId`: also used in DynamoDB keys and S3 partitions, hence the narrow alphabet. */
export const CAMPAIGN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest `data.campaignId`, as in {@link CAMPAIGN_ID_PATTERN}. */
export const MAX_CAMPAIGN_ID_LENGTH = 64;
/** `data.currency`: an ISO 4217 alphabetic code (shape only). */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** `data.country`: an ISO 3166-1 alpha-2 code (shape only). */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
/** Values of `data.platform`. */
export const PLATFORMS = ['ios', 'android', 'web'] as const;
/** Largest `data.revenueMicros`: beyond it JSON numbers lose integer precision in JavaScript. */
export const MAX_REVENUE_MICROS = Number.MAX_SAFE_INTEGER;
/** Value of `data.revenueMicros` when absent; applied by normalisation, never by validation. */
export const DEFAULT_REVENUE_MICROS = 0;

/** Maximum length of `data.deviceId`, `data.sessionId` and `data.adId`. */
export const MAX_IDENTIFIER_LENGTH = 256;
/** Maximum length of `data.placement`. */
export const MAX_PLACEMENT_LENGTH = 128;
/** Maximum length of `data.appVersion`. */
export const MAX_APP_VERSION_LENGTH = 64;
/** Maximum length of `data.userAgent`. */
export const MAX_USER_AGENT_LENGTH = 1024;

/** Most issues reported for one value; a hostile record cannot make the report unbounded. */
export const MAX_ISSUES = 20;
/** Longest rendering of an offending value (or unknown key) inside an issue. */
export const MAX_SHOWN_LENGTH = 64;
