import {
  functionNames,
  ingestNames,
  ingestSettings,
  isConsumer,
  metricsOf,
  unreadVariables,
  variablesOf,
} from './contract';
import { ContractReferenceError, resolveEnvironment, type ResourceMap } from './resolve';

const resources: ResourceMap = {
  stream: { raw: { name: 'p-raw', arn: 'arn:raw' } },
  table: {},
  'bucket-prefix': {},
  queue: { quarantine: { name: 'p-quarantine', arn: 'arn:q', url: 'http://sqs/p-quarantine' } },
  domain: {},
  key: {},
};

describe('the ingest functions of the contract', () => {
  it('lists them after the consumers among the functions, and tells them apart', () => {
    // Assess
    expect(functionNames.slice(-ingestNames.length)).toEqual(ingestNames);
    expect(ingestNames).toContain('ingest-api');
    expect(ingestNames.some((f) => isConsumer(f))).toBe(false);
    expect(functionNames.filter((f) => isConsumer(f))).toHaveLength(
      functionNames.length - ingestNames.length,
    );
  });

  it('gives an ingest function its own variables and the runtime ones, not the consumers’ common ones', () => {
    // Act
    const v = variablesOf('ingest-api');

    // Assess
    expect(v.RAW_STREAM_NAME).toBe('RAW_STREAM_NAME');
    expect(Object.keys(v)).not.toContain('QUARANTINE_QUEUE_URL');
    expect(Object.keys(v)).toContain('AWS_REGION');
    expect(unreadVariables('ingest-api', { stream: { variable: 'RAW_STREAM_NAME' } })).toEqual([]);
    expect(unreadVariables('ingest-api', {})).toEqual(['RAW_STREAM_NAME']);
  });

  it('resolves an ingest function’s environment against a deployment, and names a missing resource', () => {
    // Act
    const environment = resolveEnvironment('s3-import', 'aws', 'dev', resources);

    // Assess
    expect(environment.RAW_STREAM_NAME).toBe('p-raw');
    expect(environment.QUARANTINE_QUEUE_URL).toBe('http://sqs/p-quarantine');
    expect(() => resolveEnvironment('ingest-api', 'aws', 'dev', { ...resources, stream: {} })).toThrow(
      new ContractReferenceError("ingest-api RAW_STREAM_NAME: no stream 'raw' in this deployment"),
    );
  });

  it('layers an ingest function’s settings: its default, then the environment’s entry', () => {
    // Act
    const dev = ingestSettings('s3-import', 'dev');

    // Assess
    expect(dev).toEqual({ memory_size: 1024, timeout_seconds: 900, reserved_concurrency: null });
    expect(() => ingestSettings('enrichment', 'dev')).toThrow("no ingest function 'enrichment'");
    expect(Object.keys(metricsOf('ingest-api'))).toEqual([]);
  });
});
