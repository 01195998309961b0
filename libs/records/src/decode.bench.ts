// Micro benchmark: decodeBatch against the floor of base64 decoding and JSON.parse alone.
// Run: npx tsx libs/records/src/decode.bench.ts (add --expose-gc after tsx for steadier numbers)
import { decodeBatch } from './decodeRecord';
import { makeKinesisEvent } from './makeKinesisRecord';

const RECORDS = 10_000;
const ROUNDS = 31;

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

// The floor keeps its payloads like decodeBatch does, so both pay the same garbage collection for live results.
function floor(): void {
  const payloads: object[] = [];
  for (const record of event.Records) {
    payloads.push(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as object);
  }
  sink += payloads.length;
}

function decode(): void {
  sink += decodeBatch(event).records.length;
}

// With --expose-gc, each round starts from a collected heap so one side does not pay for the other's garbage.
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

function measure(run: () => void): number {
  collect();
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm up both, then alternate rounds so drift and GC affect both sides alike. The machine is shared, so
// report the best round of each and the median of the per-round ratios.
for (let i = 0; i < 5; i++) {
  floor();
  decode();
}
let bestFloor = Infinity;
let bestDecode = Infinity;
const ratios: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const floorSeconds = measure(floor);
  const decodeSeconds = measure(decode);
  bestFloor = Math.min(bestFloor, floorSeconds);
  bestDecode = Math.min(bestDecode, decodeSeconds);
  ratios.push(decodeSeconds / floorSeconds);
}
ratios.sort((a, b) => a - b);
const rate = (seconds: number): string => Math.round(RECORDS / seconds).toLocaleString('en-US');
console.log(`${RECORDS} records, mean ${Math.round(meanBytes)} bytes, ${ROUNDS} alternating rounds`);
console.log(`floor (base64 + toString + JSON.parse): ${rate(bestFloor)} records/s (best round)`);
console.log(`decodeBatch:                            ${rate(bestDecode)} records/s (best round)`);
console.log(
  `time ratio decodeBatch / floor:         ${(bestDecode / bestFloor).toFixed(3)} best-of, ${(ratios[Math.floor(ROUNDS / 2)] as number).toFixed(3)} median`,
);
if (sink === 0) console.log('');
