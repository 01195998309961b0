import { UsageError } from '../pipeline/errors';
import { parseTuneArgs } from './parseTuneArgs';

describe('parseTuneArgs', () => {
  it('applies the defaults when no flag is given', () => {
    // Act
    const options = parseTuneArgs([]);

    // Assess
    expect(options).toEqual({
      env: 'dev',
      memories: [128, 256, 512, 1024, 1769],
      consumers: ['enrichment', 's3-archiver', 'dynamodb-aggregator', 'opensearch-indexer'],
      eventBytes: 1024,
      batches: 2,
      json: false,
      writeTfvars: true,
      noBuild: false,
      help: false,
    });
  });

  it('reads every flag', () => {
    // Act
    const options = parseTuneArgs([
      '--env',
      'prod',
      '--memory',
      '512, 256,512',
      '--batch-size',
      '1000,100',
      '--consumer',
      'enrichment',
      '--consumer',
      'opensearch-indexer',
      '--rate',
      '2500',
      '--event-bytes',
      '2048',
      '--batches',
      '5',
      '--latency-model',
      'model.json',
      '--prices',
      'prices.json',
      '--json',
      '--report',
      'out/r.html',
      '--no-write-tfvars',
      '--no-build',
    ]);

    // Assess
    expect(options).toEqual({
      env: 'prod',
      memories: [256, 512],
      batchSizes: [100, 1000],
      consumers: ['enrichment', 'opensearch-indexer'],
      rate: 2500,
      eventBytes: 2048,
      batches: 5,
      latencyModel: 'model.json',
      prices: 'prices.json',
      json: true,
      report: 'out/r.html',
      writeTfvars: false,
      noBuild: true,
      help: false,
    });
  });

  it('refuses an unknown flag, naming it', () => {
    // Act
    const act = () => parseTuneArgs(['--memroy', '512']);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(/--memroy/);
  });

  it.each([
    [['--env', 'staging'], /--env must be one of dev, prod, got 'staging'/],
    [['--memory', ''], /grid would be empty/],
    [['--memory', ',,'], /grid would be empty/],
    [['--memory', '64'], /--memory must be an integer from 128 to 10240/],
    [['--memory', '512,big'], /--memory/],
    [['--batch-size', '0'], /--batch-size/],
    [['--batch-size', '20000'], /--batch-size/],
    [['--consumer', 'indexer'], /--consumer must be one of/],
    [['--rate', '0'], /--rate/],
    [['--rate', 'fast'], /--rate/],
    [['--batches', '0'], /--batches/],
    [['--input', 'a.ndjson', '--event-bytes', '10'], /exclusive/],
    [['--report', 'out.pdf'], /--report must name an .html file/],
    [['positional'], /positional/],
  ])('refuses %j', (argv, message) => {
    // Act
    const act = () => parseTuneArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});
