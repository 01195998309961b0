// Micro benchmark: decodeBatch against the floor of base64 decoding and JSON.parse alone.
// Run: npx tsx libs/records/src/decode.bench.ts
import { decodeBatch } from './decodeRecord';
import { makeKinesisEvent } from './makeKinesisRecord';

const RECORDS = 10_000;
const ROUNDS = 15;

/** A CloudEvent of about 500 bytes, varied per index so the parser sees realistic input. */
function sampleEvent(i: number): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: `0b8f6c1e-4a7d-4c1a-9e3b-${String(i).padStart(12, '0')}`,
    source: 'com.example.game/ads',
    type: 'com.example.ad.impression',
    time: new Date(1704067200000 + i * 1000).toISOString(),
    datacontenttype: 'application/json',
    data: {
      userId: `user-${i % 5000}`,
      campaignId: `campaign_${i % 40}`,
      revenueMicros: (i % 7) * 125000,
      currency: 'USD',
      deviceId: `device-${(i * 7919) % 100000}`,
      sessionId: `session-${i}`,
      placement: 'interstitial',
      country: 'DE',
      platform: i % 2 === 0 ? 'ios' : 'android',
      appVersion: '4.12.0',
      ip: '203.0.113.42',
      userAgent: 'GameSDK/4.12 (iPhone14,2; iOS 17.2)',
      attributes: { level: i % 90, ab: 'variant-b' },
    },
  };
}

const event = makeKinesisEvent(
  Array.from({ length: RECORDS }, (_, i) => sampleEvent(i)),
  { shardId: 6 },
);
const meanBytes =
  event.Records.reduce((sum, r) => sum + Buffer.byteLength(r.kinesis.data, 'base64'), 0) /
  event.Records.length;

let sink = 0;

function floor(): void {
  for (const record of event.Records) {
    const payload = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as object;
    if (payload !== null) sink++;
  }
}

function decode(): void {
  sink += decodeBatch(event).records.length;
}

function measure(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm up both, then alternate rounds so drift and GC affect both sides alike; keep the best round of each.
for (let i = 0; i < 5; i++) {
  floor();
  decode();
}
let bestFloor = Infinity;
let bestDecode = Infinity;
for (let i = 0; i < ROUNDS; i++) {
  bestFloor = Math.min(bestFloor, measure(floor));
  bestDecode = Math.min(bestDecode, measure(decode));
}
const rate = (seconds: number): string => Math.round(RECORDS / seconds).toLocaleString('en-US');
console.log(`${RECORDS} records, mean ${Math.round(meanBytes)} bytes, best of ${ROUNDS} rounds`);
console.log(`floor (base64 + toString + JSON.parse): ${rate(bestFloor)} records/s`);
console.log(`decodeBatch:                            ${rate(bestDecode)} records/s`);
console.log(`ratio decodeBatch / floor time:         ${(bestDecode / bestFloor).toFixed(3)}`);
if (sink === 0) console.log('');
