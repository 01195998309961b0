// The enrichment consumer's pure logic, for the workspace benchmark; the Lambda entry is handler.ts.
export { enrichBatch, enrichEvent } from './enrich';
export type { EnrichDeps } from './enrich';
export { CampaignCache } from './CampaignCache';
export type { CampaignInfo } from './CampaignCache';
export { serialiseEnriched } from './serialiseEnriched';
