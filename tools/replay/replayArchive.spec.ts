import { hourPartitions, replayEntry } from './replayArchive';

describe('hourPartitions', () => {
  it('lists every hour of arrival that can hold events of the range, lag included', () => {
    // Act
    const partitions = hourPartitions(
      'events',
      new Date('2026-11-26T22:30:00Z'),
      new Date('2026-11-27T00:00:00Z'),
      1,
    );

    // Assess
    expect(partitions).toEqual([
      'events/dt=2026-11-26/hour=22/',
      'events/dt=2026-11-26/hour=23/',
      'events/dt=2026-11-27/hour=00/',
    ]);
  });
});

describe('replayEntry', () => {
  const from = new Date('2026-11-26T10:00:00Z');
  const to = new Date('2026-11-26T11:00:00Z');
  const line = JSON.stringify({
    id: 'e1',
    time: '2026-11-26T10:15:00.000Z',
    data: { userId: 'u-9' },
    enrichment: { eventDate: '2026-11-26' },
  });

  it('keeps an event in range, keyed by its user, without the enrichment attribute', () => {
    // Act
    const entry = replayEntry(line, from, to, false);

    // Assess
    expect(entry).toEqual({ data: expect.not.stringContaining('enrichment'), partitionKey: 'u-9' });
  });

  it('keeps the archived line as it is with keepEnrichment', () => {
    // Act
    const entry = replayEntry(line, from, to, true);

    // Assess
    expect(entry).toEqual({ data: line, partitionKey: 'u-9' });
  });

  it('drops an event at the exclusive end of the range', () => {
    // Act
    const entry = replayEntry(
      JSON.stringify({ id: 'e2', time: '2026-11-26T11:00:00.000Z' }),
      from,
      to,
      false,
    );

    // Assess
    expect(entry).toBeUndefined();
  });

  it('reports a line that is not an event', () => {
    // Act
    const entry = replayEntry('{"id":', from, to, false);

    // Assess
    expect(entry).toBe('unparsable');
  });
});
