// The enrichment consumer's pure logic, for the workspace benchmark and tools; the Lambda entry is handler.ts.
export { enrichBatch, enrichEvent, TIME_UNREPRESENTABLE } from './enrich';
export type { EnrichDeps } from './enrich';
export { CampaignCache } from './CampaignCache';
export type { CampaignInfo, CampaignLookup } from './CampaignCache';
export { truncateIp } from './ip';
export { parseUserAgent } from './userAgent';
export type { DeviceInfo } from './userAgent';
