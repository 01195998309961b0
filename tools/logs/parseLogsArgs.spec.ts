import { LogsUsageError, parseLogsArgs, parseSince } from './parseLogsArgs';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('parseLogsArgs', () => {
  it('reads repeated functions and greps, a level in any case, and the defaults', () => {
    // Act
    const options = parseLogsArgs(
      [
        '--consumer',
        'enrichment',
        '--consumer',
        's3-archiver',
        '--grep',
        'a',
        '--grep',
        'b',
        '--level',
        'warn',
      ],
      NOW,
    );

    // Assess
    expect(options).toEqual({
      functions: ['enrichment', 's3-archiver'],
      grep: ['a', 'b'],
      level: 'WARN',
      metrics: false,
      json: false,
      dir: 'tmp/pipeline/logs',
      help: false,
    });
  });

  it.each([
    ['90s', NOW - 90_000],
    ['15m', NOW - 900_000],
    ['2h', NOW - 7_200_000],
    ['1d', NOW - 86_400_000],
    ['2026-12-01T11:30:00Z', Date.parse('2026-12-01T11:30:00Z')],
    ['2026-12-01T11:30:00+01:00', Date.parse('2026-12-01T10:30:00Z')],
  ])('reads --since %s', (raw, expected) => {
    // Assess
    expect(parseSince(raw, NOW)).toBe(expected);
  });

  it.each([
    [['--consumer', 'indexer'], "--consumer 'indexer' is not a function of the pipeline"],
    [
      ['--since', 'yesterday'],
      "--since must be a duration (90s, 15m, 2h, 1d) or an ISO 8601 time with a zone, got 'yesterday'",
    ],
    [['--since', '2026-12-01T11:30:00'], 'with a zone'],
    [['--level', 'loud'], "--level must be one of DEBUG, INFO, WARN, ERROR, CRITICAL, got 'loud'"],
    [['--grep', ''], '--grep needs a non-empty text'],
    [['--follow'], "Unknown option '--follow'"],
  ])('refuses %j with a message naming the problem', (argv, message) => {
    // Assess
    expect(() => parseLogsArgs(argv, NOW)).toThrow(LogsUsageError);
    expect(() => parseLogsArgs(argv, NOW)).toThrow(message);
  });
});
