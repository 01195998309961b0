import {
  classifyLine,
  ENVELOPE_INVALID,
  JSON_INVALID,
  LINE_TOO_LARGE,
  NOT_AN_OBJECT,
  partitionKeyOf,
} from './classifyLine';
import type { Line } from './splitLines';

const lineOf = (text: string, number = 7, length?: number): Line => {
  const bytes = Buffer.from(text);
  return { number, bytes, length: length ?? bytes.length, start: 0, end: bytes.length + 1 };
};
const event = { id: 'e-1', source: '/game', type: 'com.example.ad.click', data: { userId: 'u-9' } };

describe('classifyLine', () => {
  it('puts an event with its original bytes, keyed by its user', () => {
    // Prepare
    const text = JSON.stringify(event);

    // Act
    const verdict = classifyLine(lineOf(text), 1024);

    // Assess
    expect(verdict).toEqual({ kind: 'event', data: Buffer.from(text), partitionKey: 'u-9' });
  });

  it.each([
    ['{"id":', JSON_INVALID, 'line 7 is not JSON'],
    ['[1,2]', NOT_AN_OBJECT, 'line 7 is JSON array'],
    ['"text"', NOT_AN_OBJECT, 'line 7 is JSON string'],
    ['null', NOT_AN_OBJECT, 'line 7 is JSON null'],
    ['{"id":"x","source":"","type":"t"}', ENVELOPE_INVALID, 'line 7 has no source'],
    ['{"data":{}}', ENVELOPE_INVALID, 'line 7 has no id, source, type'],
  ])('quarantines %s as %s', (text, reason, message) => {
    // Act
    const verdict = classifyLine(lineOf(text), 1024);

    // Assess
    expect(verdict).toMatchObject({ kind: 'malformed', reason, message: expect.stringContaining(message) });
  });

  it('quarantines a line over the limit without parsing it', () => {
    // Act
    const verdict = classifyLine(lineOf(JSON.stringify(event).slice(0, 10), 3, 300_000), 262_144);

    // Assess
    expect(verdict).toMatchObject({
      kind: 'malformed',
      reason: LINE_TOO_LARGE,
      message: 'line 3 is 300000 bytes, over the 262144 bytes an event may have',
    });
  });

  it('skips blank lines', () => {
    // Assess
    expect(classifyLine(lineOf(' \t'), 1024)).toEqual({ kind: 'blank' });
  });

  it('falls back to the id, and hashes an id too long for a partition key', () => {
    // Assess
    expect(partitionKeyOf({ id: 'e-2', data: { userId: '' } })).toBe('e-2');
    expect(partitionKeyOf({ id: 'e-3', data: { userId: 42 } })).toBe('e-3');
    expect(partitionKeyOf({ id: 'x'.repeat(300) })).toMatch(/^[0-9a-f]{64}$/);
  });
});
