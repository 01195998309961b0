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
  MAX_PLACEMENT_LENGTH,
  MAX_REVENUE_MICROS,
  MAX_SOURCE_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  PLATFORMS,
  SPEC_VERSION,
  URI_REFERENCE_PATTERN,
} from './constants';

const identifier = { type: 'string', minLength: 1, maxLength: MAX_IDENTIFIER_LENGTH } as const;

/**
 * The ad event contract as a JSON Schema (draft 2020-12 keywords, `date-time` and `ip` formats as defined by
 * {@link isRfc3339DateTime} and {@link isIpAddress}). It states the same rules as {@link validateAdEvent},
 * which a conformance test keeps in step; use it to document the contract, to validate at producers, or
 * with {@link createJsonSchemaEventSchema}.
 */
export const adEventJsonSchema = {
  $id: 'https://schemas.example.com/shardline/ad-event.json',
  title: 'Ad event (CloudEvents 1.0, JSON structured mode)',
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'time', 'data'],
  properties: {
    specversion: { const: SPEC_VERSION },
    id: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH },
    source: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_SOURCE_LENGTH,
      pattern: URI_REFERENCE_PATTERN.source,
    },
    type: { enum: [...ALLOWED_TYPES] },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', minLength: 1, maxLength: MAX_ATTRIBUTE_LENGTH },
    datacontenttype: { const: DATA_CONTENT_TYPE },
    dataschema: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_ATTRIBUTE_LENGTH,
      pattern: ABSOLUTE_URI_PATTERN.source,
    },
    data: {
      type: 'object',
      required: ['userId', 'campaignId'],
      additionalProperties: false,
      properties: {
        userId: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH },
        campaignId: { type: 'string', pattern: CAMPAIGN_ID_PATTERN.source },
        revenueMicros: { type: 'integer', minimum: 0, maximum: MAX_REVENUE_MICROS, default: 0 },
        currency: { type: 'string', pattern: CURRENCY_PATTERN.source },
        deviceId: identifier,
        sessionId: identifier,
        adId: identifier,
        placement: { type: 'string', minLength: 1, maxLength: MAX_PLACEMENT_LENGTH },
        country: { type: 'string', pattern: COUNTRY_PATTERN.source },
        platform: { enum: [...PLATFORMS] },
        appVersion: { type: 'string', minLength: 1, maxLength: MAX_APP_VERSION_LENGTH },
        ip: { type: 'string', format: 'ip' },
        userAgent: { type: 'string', maxLength: MAX_USER_AGENT_LENGTH },
        attributes: { type: 'object' },
      },
      // Revenue needs a currency to be summed meaningfully.
      if: {
        properties: { revenueMicros: { type: 'number', exclusiveMinimum: 0 } },
        required: ['revenueMicros'],
      },
      then: { required: ['currency'] },
    },
  },
  // CloudEvents extension attributes: lower-case alphanumeric names, scalar values.
  propertyNames: { pattern: EXTENSION_NAME_PATTERN.source },
  additionalProperties: {
    type: ['string', 'integer', 'boolean'],
    maxLength: MAX_EXTENSION_VALUE_LENGTH,
    minimum: -2147483648,
    maximum: 2147483647,
  },
} as const;
