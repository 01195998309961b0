import { InvalidSettingsError } from './errors';
import { resolveSettings } from './resolveSettings';
import type { EventSourceMappingSettings } from './types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html and the Terraform
// aws_lambda_event_source_mapping argument names.
describe('resolveSettings', () => {
  it('applies the AWS defaults', () => {
    // Act
    const settings = resolveSettings({ starting_position: 'LATEST' });

    // Assess
    expect(settings).toEqual({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      startingPosition: 'LATEST',
      startingPositionTimestamp: undefined,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      parallelizationFactor: 1,
      tumblingWindowInSeconds: 0,
      reportBatchItemFailures: false,
      filterPatterns: [],
      onFailureDestinationArn: undefined,
      enabled: true,
    });
  });

  it('mirrors a full Terraform mapping', () => {
    // Act
    const settings = resolveSettings({
      function_name: 'enrichment',
      event_source_arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/raw',
      starting_position: 'AT_TIMESTAMP',
      starting_position_timestamp: '2024-01-02T03:04:05Z',
      batch_size: 500,
      maximum_batching_window_in_seconds: 5,
      maximum_retry_attempts: 10,
      maximum_record_age_in_seconds: 3600,
      bisect_batch_on_function_error: true,
      parallelization_factor: 10,
      tumbling_window_in_seconds: 60,
      function_response_types: ['ReportBatchItemFailures'],
      filter_criteria: { filter: [{ pattern: '{"data":{"type":["click"]}}' }] },
      destination_config: { on_failure: { destination_arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
    });

    // Assess
    expect(settings).toMatchObject({
      startingPositionTimestamp: new Date('2024-01-02T03:04:05Z'),
      batchSize: 500,
      parallelizationFactor: 10,
      reportBatchItemFailures: true,
      filterPatterns: [{ data: { type: ['click'] } }],
      onFailureDestinationArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    });
  });

  it.each<[string, Partial<EventSourceMappingSettings> & Record<string, unknown>, RegExp]>([
    ['batch_size 0', { batch_size: 0 }, /batch_size must be an integer from 1 to 10000/],
    ['batch_size 10001', { batch_size: 10_001 }, /batch_size/],
    ['a batching window of 301 s', { maximum_batching_window_in_seconds: 301 }, /0 to 300/],
    ['maximum_retry_attempts -2', { maximum_retry_attempts: -2 }, /-1 to 10000/],
    ['a record age of 59 s', { maximum_record_age_in_seconds: 59 }, /60 to 604800/],
    ['parallelization_factor 11', { parallelization_factor: 11 }, /1 to 10/],
    ['a tumbling window of 901 s', { tumbling_window_in_seconds: 901 }, /0 to 900/],
    ['an unknown response type', { function_response_types: ['Whatever'] }, /ReportBatchItemFailures/],
    ['a typo in a setting name', { batchsize: 10 }, /unknown setting\(s\) batchsize/],
    [
      'six filters',
      { filter_criteria: { filter: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } },
      /at most 5 filters/,
    ],
    ['a filter that is not JSON', { filter_criteria: { filter: [{ pattern: '{' }] } }, /not valid JSON/],
    [
      'an SNS destination',
      { destination_config: { on_failure: { destination_arn: 'arn:aws:sns:us-east-1:0:t' } } },
      /only SQS/,
    ],
    [
      'AT_TIMESTAMP without timestamp',
      { starting_position: 'AT_TIMESTAMP' },
      /starting_position_timestamp is required/,
    ],
    ['a timestamp with LATEST', { starting_position_timestamp: '2024-01-01T00:00:00Z' }, /only valid with/],
  ])('rejects %s with a clear error', (_name, override, message) => {
    // Act
    const act = (): unknown =>
      resolveSettings({ starting_position: 'LATEST', ...override } as EventSourceMappingSettings);

    // Assess
    expect(act).toThrow(InvalidSettingsError);
    expect(act).toThrow(message);
  });

  it('rejects a missing starting_position', () => {
    // Act
    const act = (): unknown => resolveSettings({} as EventSourceMappingSettings);

    // Assess
    expect(act).toThrow(/starting_position must be one of LATEST, TRIM_HORIZON, AT_TIMESTAMP/);
  });
});
