import type { AdEvent, EventSchema } from './types';
import { validateAdEvent } from './validateAdEvent';

/**
 * The ad event contract: the schema every consumer applies unless configured with another
 * {@link EventSchema}. Backed by the hand-written {@link validateAdEvent}, measured faster than the same
 * rules compiled by ajv from {@link adEventJsonSchema} (see the library README for figures).
 *
 * @example
 * ```ts
 * const result = adEventSchema.validate(JSON.parse(text));
 * if (result.ok) console.log(result.value.data.campaignId);
 * ```
 */
export const adEventSchema: EventSchema<AdEvent> = {
  name: 'ad-event',
  validate: validateAdEvent,
};
