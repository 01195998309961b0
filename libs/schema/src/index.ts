// The event schema and its validator. The seeded fixture generator: `@shardline/schema/testing`.
export { adEventSchema } from './adEventSchema';
export { adEventJsonSchema } from './adEvent.schema';
export { validateAdEvent } from './validateAdEvent';
export { createJsonSchemaEventSchema } from './createJsonSchemaEventSchema';
export type { FormatCheck, JsonSchemaEventSchemaOptions } from './createJsonSchemaEventSchema';
export { formatIssues } from './formatIssues';
export { describeValue } from './describeValue';
export { isRfc3339DateTime } from './isRfc3339DateTime';
export { isIpAddress, isIpv4Address, isIpv6Address } from './isIpAddress';
export {
  ABSOLUTE_URI_PATTERN,
  ALLOWED_TYPES,
  CAMPAIGN_ID_PATTERN,
  COUNTRY_PATTERN,
  CURRENCY_PATTERN,
  DATA_CONTENT_TYPE,
  DEFAULT_REVENUE_MICROS,
  EXTENSION_NAME_PATTERN,
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
  MAX_SHOWN_LENGTH,
  MAX_SOURCE_LENGTH,
  MAX_USER_AGENT_LENGTH,
  MAX_USER_ID_LENGTH,
  PLATFORMS,
  SPEC_VERSION,
  URI_REFERENCE_PATTERN,
} from './constants';
export { FixtureOptionsError, SchemaCompileError, SchemaError } from './errors';
export { createPrng } from './createPrng';
export type { Prng } from './createPrng';
export type {
  AdEvent,
  AdEventData,
  AdEventType,
  AdPlatform,
  EventSchema,
  ExtensionValue,
  SchemaIssue,
  ValidationResult,
} from './types';
export { enrichedEventSchema } from './enrichedEventSchema';
export type { EnrichedEvent, Enrichment } from './enrichedEventSchema';
