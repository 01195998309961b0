import { ReplayUsageError } from './errors';
import { parseReplayArgs } from './parseReplayArgs';

const REQUIRED = [
  '--bucket',
  'b',
  '--from',
  '2026-11-26T10:00:00Z',
  '--to',
  '2026-11-26T12:00:00Z',
  '--stream',
  's',
];

describe('parseReplayArgs', () => {
  it('reads the required flags and applies the defaults', () => {
    // Act
    const options = parseReplayArgs(REQUIRED);

    // Assess
    expect(options).toMatchObject({
      bucket: 'b',
      prefix: 'events',
      stream: 's',
      rate: 500,
      lagHours: 1,
      endpointEnv: false,
      keepEnrichment: false,
      dryRun: false,
    });
    expect(options.from.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it.each([
    [['--bogus'], /bogus/],
    [REQUIRED.slice(2), /--bucket is required/],
    [
      [...REQUIRED.slice(0, 2), '--from', 'yesterday', ...REQUIRED.slice(4)],
      /--from must be an RFC 3339 time/,
    ],
    [[...REQUIRED, '--to', '2026-11-26T09:00:00Z'], /--to must be after --from/],
    [[...REQUIRED, '--rate', '0'], /--rate/],
    [[...REQUIRED, '--prefix', '../x'], /--prefix/],
  ])('refuses %j', (argv, message) => {
    // Act
    const act = () => parseReplayArgs(argv);

    // Assess
    expect(act).toThrow(ReplayUsageError);
    expect(act).toThrow(message);
  });
});
