import { UsageError } from './errors';
import { parseStartArgs } from './parseStartArgs';

describe('parseStartArgs', () => {
  it('applies the defaults when no flag is given', () => {
    // Act
    const options = parseStartArgs([]);

    // Assess
    expect(options).toEqual({
      events: 5000,
      rate: 1000,
      seed: 1,
      chaos: 0,
      via: 'stream',
      requestEvents: 100,
      fileEvents: 1000,
      gzip: true,
      duplicates: 0,
      keepRunning: false,
      noBuild: false,
      help: false,
    });
  });

  it.each(['stream', 'http', 's3'])('reads --via %s', (via) => {
    expect(parseStartArgs(['--via', via]).via).toBe(via);
  });

  it('reads the file options of --via s3', () => {
    expect(parseStartArgs(['--via', 's3', '--file-events', '250', '--no-gzip'])).toMatchObject({
      via: 's3',
      fileEvents: 250,
      gzip: false,
    });
  });

  it('reads every flag', () => {
    // Act
    const options = parseStartArgs([
      '--events',
      '300',
      '--rate',
      '250',
      '--shards',
      '2',
      '--seed',
      '7',
      '--chaos',
      '0.2',
      '--duplicates',
      '0.05',
      '--summary',
      'out/s.json',
      '--export',
      'out/dump',
      '--keep-running',
      '--no-build',
    ]);

    // Assess
    expect(options).toMatchObject({
      events: 300,
      rate: 250,
      shards: 2,
      seed: 7,
      chaos: 0.2,
      duplicates: 0.05,
      summary: 'out/s.json',
      export: 'out/dump',
      keepRunning: true,
      noBuild: true,
    });
  });

  it('reads the HTTP producer flags', () => {
    // Act
    const http = parseStartArgs(['--via', 'http', '--request-events', '250', '--no-gzip']);
    const s3 = parseStartArgs(['--via', 's3']);

    // Assess
    expect(http).toMatchObject({ via: 'http', requestEvents: 250, gzip: false });
    expect(s3.via).toBe('s3');
  });

  it('refuses an unknown flag, naming it', () => {
    // Act
    const act = () => parseStartArgs(['--evnts', '5']);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(/--evnts/);
  });

  it.each([
    [['--events', '0'], /--events must be an integer >= 1/],
    [['--events', 'many'], /--events/],
    [['--chaos', '1.5'], /--chaos must be from 0 to 1/],
    [['--duplicates', '2'], /--duplicates must be from 0 to 1/],
    [['--rate', '-3'], /--rate/],
    [['--shards', '2.5'], /--shards/],
    [['positional'], /positional/],
    [['--input', 'a.ndjson', '--events', '5'], /exclusive/],
    [['--via', 'kafka'], /--via must be one of stream, http, s3, got 'kafka'/],
    [['--via', 'http', '--request-events', '501'], /--request-events must be an integer from 1 to 500/],
    [['--via', 'http', '--request-events', '0'], /--request-events must be an integer from 1 to 500/],
    [['--request-events', '10'], /--request-events applies to --via http only/],
    [['--via', 'stream', '--no-gzip'], /--no-gzip applies to --via http or s3 only/],
    [['--file-events', '10'], /--file-events applies to --via s3 only/],
    [['--via', 's3', '--file-events', '0'], /--file-events must be an integer from 1 to 1000000/],
  ])('refuses %j', (argv, message) => {
    // Act
    const act = () => parseStartArgs(argv);

    // Assess
    expect(act).toThrow(message);
  });
});
