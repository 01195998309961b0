// Throughput of the ad event validators on 10,000 generated events, and their cost relative to the
// per-record work every consumer does anyway (base64 decode, JSON.parse, JSON.stringify).
// Rates use this process's CPU time (user + system), not wall time, so other load on a shared machine
// disturbs them little; each figure is the median of several rounds.
// Run: npx tsx libs/schema/src/validate.bench.ts
import Ajv from 'ajv';
import { adEventJsonSchema } from './adEvent.schema';
import { createJsonSchemaEventSchema } from './createJsonSchemaEventSchema';
import { generateEvents } from './generateEvents';
import { isIpAddress } from './isIpAddress';
import { isRfc3339DateTime } from './isRfc3339DateTime';
import { validateAdEvent } from './validateAdEvent';

const COUNT = 10_000;
const ROUNDS = 15;

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function medianEventsPerSecond(run: () => number): number {
  for (let i = 0; i < 3; i++) run(); // warm up the JIT
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.cpuUsage();
    const checked = run();
    const seconds = cpuSecondsSince(start);
    rates.push(checked / seconds);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] as number;
}

function report(label: string, rate: number): void {
  console.log(`${label.padEnd(52)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} events/s`);
}

function validatorRate(events: readonly unknown[], validate: (value: unknown) => { ok: boolean }): number {
  return medianEventsPerSecond(() => {
    let ok = 0;
    for (const event of events) if (validate(event).ok) ok++;
    if (ok < 0) throw new Error('unreachable'); // keeps the result observable
    return events.length;
  });
}

const start = process.hrtime.bigint();
const fixtures = generateEvents({ count: COUNT, seed: 20250602 });
console.log(`generated ${COUNT} events in ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
const validEvents = fixtures.map((f) => f.event);
const mixedEvents = generateEvents({ count: COUNT, seed: 20250603, invalidRatio: 0.1 }).map((f) => f.event);
const records = validEvents.map((e) => Buffer.from(JSON.stringify(e)).toString('base64'));
const meanBytes = records.reduce((sum, r) => sum + Buffer.from(r, 'base64').length, 0) / records.length;
console.log(`mean event size ${Math.round(meanBytes)} bytes of JSON\n`);

const ajvAllErrors = createJsonSchemaEventSchema({ name: 'ad-event', schema: adEventJsonSchema });
const ajvFirstError = new Ajv({
  allErrors: false,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
});
ajvFirstError.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
ajvFirstError.addFormat('ip', { type: 'string', validate: isIpAddress });
const ajvFirstErrorValidate = ajvFirstError.compile(adEventJsonSchema);

console.log('valid events:');
const hand = validatorRate(validEvents, validateAdEvent);
report('  hand-written validateAdEvent (chosen)', hand);
report('  ajv, allErrors (createJsonSchemaEventSchema)', validatorRate(validEvents, ajvAllErrors.validate));
report(
  '  ajv, first error only',
  validatorRate(validEvents, (e) => ({ ok: ajvFirstErrorValidate(e) })),
);
console.log('10% invalid events:');
report('  hand-written validateAdEvent (chosen)', validatorRate(mixedEvents, validateAdEvent));
report('  ajv, allErrors (createJsonSchemaEventSchema)', validatorRate(mixedEvents, ajvAllErrors.validate));

console.log('\nper-record consumer work on valid events:');
// One function per variant, so each call site sees a single validator and the JIT treats them alike.
function decode(record: string): unknown {
  return JSON.parse(Buffer.from(record, 'base64').toString('utf8'));
}
function baseline(): number {
  let bytes = 0;
  for (const record of records) bytes += JSON.stringify(decode(record)).length;
  return bytes;
}
function withHandWritten(): number {
  let bytes = 0;
  for (const record of records) {
    const value = decode(record);
    if (!validateAdEvent(value).ok) throw new Error('fixture did not validate');
    bytes += JSON.stringify(value).length;
  }
  return bytes;
}
function withAjv(): number {
  let bytes = 0;
  for (const record of records) {
    const value = decode(record);
    if (!ajvAllErrors.validate(value).ok) throw new Error('fixture did not validate');
    bytes += JSON.stringify(value).length;
  }
  return bytes;
}

// Interleaved rounds, so load from other processes on the machine hits all three variants alike.
const variants = [baseline, withHandWritten, withAjv];
const seconds: number[][] = [[], [], []];
for (let round = 0; round < ROUNDS + 3; round++) {
  variants.forEach((run, i) => {
    const begin = process.cpuUsage();
    run();
    if (round >= 3) seconds[i]?.push(cpuSecondsSince(begin));
  });
}
const [base, handRate, ajvRate] = seconds.map((s) => {
  s.sort((a, b) => a - b);
  return records.length / (s[Math.floor(s.length / 2)] as number);
}) as [number, number, number];
report('  base64 + JSON.parse + JSON.stringify', base);
report('  ... + hand-written validation', handRate);
report('  ... + ajv validation', ajvRate);
console.log(`  time ratio with hand-written validation: ${(base / handRate).toFixed(3)}x`);
console.log(`  time ratio with ajv validation:          ${(base / ajvRate).toFixed(3)}x`);
