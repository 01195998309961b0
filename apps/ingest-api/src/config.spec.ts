import { ConfigError } from '@shardline/aws';
import { parameterValue, unreadVariables } from '@shardline/contract';
import { configSpec, FUNCTION, loadIngestApiConfig } from './config';

describe('loadIngestApiConfig', () => {
  it('reads every variable the pipeline contract declares for ingest-api', () => {
    // Assess
    expect(unreadVariables(FUNCTION, configSpec)).toEqual([]);
  });

  it('defaults each limit to the contract parameter Terraform sets it from', () => {
    // Act
    const config = loadIngestApiConfig({ RAW_STREAM_NAME: 'shardline-dev-raw' });

    // Assess
    expect(config).toEqual({
      rawStreamName: 'shardline-dev-raw',
      maxBodyBytes: parameterValue('ingest_max_body_bytes', 'dev'),
      maxInflatedBytes: parameterValue('ingest_max_inflated_bytes', 'dev'),
      maxEvents: parameterValue('ingest_max_events', 'dev'),
      maxEventBytes: parameterValue('ingest_max_event_bytes', 'dev'),
      putMaxAttempts: parameterValue('ingest_put_max_attempts', 'dev'),
    });
  });

  it('names every malformed variable at once', () => {
    // Act
    const act = () =>
      loadIngestApiConfig({
        RAW_STREAM_NAME: 'a stream',
        INGEST_MAX_EVENTS: '501',
        INGEST_MAX_BODY_BYTES: '6MB',
      });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/RAW_STREAM_NAME[\s\S]*INGEST_MAX_BODY_BYTES[\s\S]*INGEST_MAX_EVENTS/);
  });
});
