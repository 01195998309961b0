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
      duplicates: 0,
      keepRunning: false,
      noBuild: false,
      help: false,
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
  ])('refuses %j', (argv, message) => {
    // Act
    const act = () => parseStartArgs(argv);

    // Assess
    expect(act).toThrow(message);
  });
});
