import { DailyIndexNames, eventTimeMillis } from './dailyIndexName';

describe('DailyIndexNames', () => {
  it('names the UTC day of the event time, whatever the offset it was written with', () => {
    // Prepare
    const names = new DailyIndexNames('events');

    // Act
    const late = names.forMillis(eventTimeMillis('2026-11-26T23:30:00-02:00'));
    const early = names.forMillis(eventTimeMillis('2026-11-26T00:00:00.000Z'));

    // Assess
    expect(late).toBe('events-2026.11.27');
    expect(early).toBe('events-2026.11.26');
  });

  it('places a leap second in the day it ends', () => {
    // Act
    const ms = eventTimeMillis('2016-12-31T23:59:60Z');

    // Assess
    expect(new DailyIndexNames('e').forMillis(ms)).toBe('e-2016.12.31');
  });
});
