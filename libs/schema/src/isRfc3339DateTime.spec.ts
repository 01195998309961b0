import fc from 'fast-check';
import { isRfc3339DateTime } from './isRfc3339DateTime';

describe('isRfc3339DateTime', () => {
  it.each([
    '2025-06-02T12:00:00Z',
    '2025-06-02T12:00:00.1Z',
    '2025-06-02T12:00:00.123456789Z',
    '2025-06-02T14:00:00+02:00',
    '2025-06-02T06:30:00-05:30',
    '2025-06-02t12:00:00z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999+23:59',
    '2000-02-29T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '2016-12-31T18:59:60-05:00',
  ])('accepts %s', (value) => {
    expect(isRfc3339DateTime(value)).toBe(true);
  });

  it.each([
    '',
    '2025-06-02',
    '2025-06-02T12:00Z',
    '2025-06-02T12:00:00',
    '2025-06-02 12:00:00Z',
    '2025-06-02T12:00:00.Z',
    '2025-06-02T12:00:00.1234567890Z',
    '2025-06-02T12:00:00+02',
    '2025-06-02T12:00:00+0200',
    '2025-06-02T12:00:00+02:60',
    '2025-06-02T12:00:00+24:00',
    '2025-06-02T12:00:00Z ',
    ' 2025-06-02T12:00:00Z',
    '2025-00-02T12:00:00Z',
    '2025-06-00T12:00:00Z',
    '2025-04-31T12:00:00Z',
    '1900-02-29T12:00:00Z',
    '2025-06-02T24:00:00Z',
    '2025-06-02T12:60:00Z',
    '2025-06-02T12:00:61Z',
    '2025-06-02T12:00:60Z',
    '2025-6-02T12:00:00Z',
    '+2025-06-02T12:00:00Z',
    '２０２５-06-02T12:00:00Z',
  ])('rejects %p', (value) => {
    expect(isRfc3339DateTime(value)).toBe(false);
  });

  it('accepts what Date#toISOString writes, and agrees with Date on the instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (date) => {
          // Prepare
          const text = date.toISOString();

          // Act
          const accepted = isRfc3339DateTime(text);

          // Assess
          expect(accepted).toBe(true);
          expect(new Date(text).getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('never accepts a string Date cannot parse', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        // Act
        const accepted = isRfc3339DateTime(text);

        // Assess
        if (accepted) expect(Number.isNaN(Date.parse(text))).toBe(false);
      }),
    );
  });
});
