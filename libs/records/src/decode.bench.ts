// Micro benchmark: decodeBatch against the floor of base64 decoding and JSON.parse alone.
// Run: npx tsx libs/records/src/decode.bench.ts (add --expose-gc after tsx for steadier numbers)
import { gzipSync } from 'node:zlib';
import { aggregateRecords } from './aggregateRecords';
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

const samples = Array.from({ length: RECORDS }, (_, i) => sampleEvent(i));
// Round-trip through JSON so strings are flat, as they are when Lambda parses the event.
const flat = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const event = flat(makeKinesisEvent(samples, { shardId: 6 }));
const gzipEvent = flat(
  makeKinesisEvent(
    samples.map((sample) => gzipSync(JSON.stringify(sample))),
    { shardId: 6 },
  ),
);
const kplEvent = flat(
  makeKinesisEvent(
    Array.from({ length: RECORDS / 100 }, (_, r) =>
      aggregateRecords(
        samples
          .slice(r * 100, r * 100 + 100)
          .map((sample, i) => ({ partitionKey: `user-${i}`, data: Buffer.from(JSON.stringify(sample)) })),
      ),
    ),
    { shardId: 6 },
  ),
);
const meanBytes =
  event.Records.reduce((sum, r) => sum + Buffer.byteLength(r.kinesis.data, 'base64'), 0) /
  event.Records.length;

let sink = 0;

// The floor keeps its payloads like decodeBatch does, so both pay the garbage collection of live results.
function floor(): void {
  const payloads: object[] = [];
  for (const record of event.Records) {
    payloads.push(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as object);
  }
  sink += payloads.length;
}

// The same floor keeping the text too (as DecodedRecord.text does), to separate retention from checking.
function floorWithText(): void {
  const kept: Array<[object, string]> = [];
  for (const record of event.Records) {
    const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
    kept.push([JSON.parse(text) as object, text]);
  }
  sink += kept.length;
}

function decode(): void {
  sink += decodeBatch(event).records.length;
}

// With --expose-gc, each round starts from a collected heap so one side does not pay for the other's garbage.
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

// CPU time of this process rather than wall time: steadier on a shared machine, and what a Lambda pays for.
function measure(run: () => void): number {
  collect();
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

// Warm up, then alternate rounds so drift and GC affect every side alike. The machine is shared, so report the
// best round of each side and the median of the per-round ratios.
const sides = { floor, floorWithText, decode };
const best = { floor: Infinity, floorWithText: Infinity, decode: Infinity };
const ratios: number[] = [];
for (let i = 0; i < 5; i++) Object.values(sides).forEach((run) => run());
for (let i = 0; i < ROUNDS; i++) {
  const seconds = { floor: measure(floor), floorWithText: measure(floorWithText), decode: measure(decode) };
  for (const key of Object.keys(best) as Array<keyof typeof best>)
    best[key] = Math.min(best[key], seconds[key]);
  ratios.push(seconds.decode / seconds.floor);
}
ratios.sort((a, b) => a - b);
const rate = (seconds: number): string => Math.round(RECORDS / seconds).toLocaleString('en-US');
const line = (label: string, seconds: number): void =>
  console.log(`${label.padEnd(52)}${rate(seconds).padStart(10)} records/s`);

console.log(
  `${RECORDS} records, mean ${Math.round(meanBytes)} bytes, CPU time, best of ${ROUNDS} alternating rounds`,
);
line('floor: base64 + toString + JSON.parse', best.floor);
line('floor, keeping the text as well', best.floorWithText);
line('decodeBatch, plain JSON', best.decode);
for (const [label, variant] of [
  ['decodeBatch, gzip JSON', gzipEvent],
  ['decodeBatch, KPL (100 sub-records per record)', kplEvent],
] as const) {
  for (let i = 0; i < 3; i++) decodeBatch(variant);
  let fastest = Infinity;
  for (let i = 0; i < 11; i++)
    fastest = Math.min(
      fastest,
      measure(() => (sink += decodeBatch(variant).records.length)),
    );
  line(label, fastest);
}
const median = ratios[Math.floor(ROUNDS / 2)] as number;
console.log(
  `decodeBatch / floor: ${(best.decode / best.floor).toFixed(3)} (best rounds), ${median.toFixed(3)} (median of rounds); ` +
    `decodeBatch / floor keeping text: ${(best.decode / best.floorWithText).toFixed(3)}`,
);
if (sink === 0) console.log('');
