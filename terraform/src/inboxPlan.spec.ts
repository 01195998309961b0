import { contract } from '@shardline/contract';
import { plannedResources, planTerraform, type PlannedResource, type PlanValue, type TerraformPlan } from './terraformPlan';

// The S3 inbox of the dev root as the offline plan resolves it: the push model's permission, the notifications,
// Lambda's asynchronous semantics and the importer's least-privilege role.
const firstPlanMs = 60 * 60_000;
const INBOX = 'module.pipeline.module.s3_inbox["s3-import"]';

let plan: TerraformPlan;
const one = (type: string, name = 'this', module = INBOX): PlannedResource => {
  const found = plannedResources(plan, type).filter((r) => r.module === module && r.name === name);
  expect([type, name, found.length]).toEqual([type, name, 1]);
  return found[0]!;
};

beforeAll(() => {
  plan = planTerraform('environments/dev');
}, firstPlanMs);

describe('the dev plan of the s3-import inbox', () => {
  it('lets only the inbox bucket of this account invoke the importer', () => {
    // Act
    const permission = one('aws_lambda_permission', 's3');

    // Assess
    expect(permission.values).toMatchObject({ action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', statement_id: 'InvokeFromInbox' });
    expect(permission.unknown.source_arn ?? permission.values.source_arn).toBeTruthy();
    expect(permission.unknown.source_account ?? permission.values.source_account).toBeTruthy();
  });

  it('notifies ObjectCreated under the contract prefix for .ndjson and .ndjson.gz', () => {
    // Act
    const notification = one('aws_s3_bucket_notification');
    const functions = notification.values.lambda_function as Array<Record<string, unknown>>;

    // Assess
    expect(functions.map((f) => [f.events, f.filter_prefix, f.filter_suffix]).sort()).toEqual([
      [['s3:ObjectCreated:*'], `${contract.resources.inbox.prefix}/`, '.ndjson'],
      [['s3:ObjectCreated:*'], `${contract.resources.inbox.prefix}/`, '.ndjson.gz'],
    ]);
  });

  it('bounds retries and event age and sends what it gives up on to an encrypted queue', () => {
    // Act
    const config = one('aws_lambda_function_event_invoke_config');
    const queue = plannedResources(plan, 'aws_sqs_queue').find((r) => r.module === `${INBOX}.module.on_failure_queue`);

    // Assess
    expect(config.values).toMatchObject({ maximum_retry_attempts: 2, maximum_event_age_in_seconds: 21600 });
    expect(config.unknown.destination_config).toBeTruthy();
    expect(queue?.values.name).toBe('shardline-dev-s3-import-failures');
    expect(queue?.unknown.kms_master_key_id).toBe(true);
  });

  it('runs the importer with the contract settings, one at a time, with every variable of the contract', () => {
    // Act
    const fn = one('aws_lambda_function', 'this', `${INBOX}.module.function`);
    const variablesIn = (side: Record<string, PlanValue>) =>
      Object.keys((side.environment as Array<{ variables?: Record<string, PlanValue> }> | undefined)?.[0]?.variables ?? {});
    const set = new Set([...variablesIn(fn.values), ...variablesIn(fn.unknown)]);

    // Assess
    expect(fn.values).toMatchObject({
      function_name: 'shardline-dev-s3-import',
      memory_size: 1024,
      timeout: 900,
      reserved_concurrent_executions: 1,
      architectures: ['arm64'],
    });
    expect(Object.keys(contract.ingest['s3-import'].environment).filter((v) => !set.has(v))).toEqual([]);
  });

  it('encrypts the inbox with the pipeline key, blocks public access and expires imported objects', () => {
    // Act
    const encryption = one('aws_s3_bucket_server_side_encryption_configuration');
    const publicAccess = one('aws_s3_bucket_public_access_block');
    const lifecycle = one('aws_s3_bucket_lifecycle_configuration');
    const rules = lifecycle.values.rule as Array<{ id: string; expiration?: Array<{ days: number }> }>;

    // Assess
    expect(JSON.stringify(encryption.values)).toContain('aws:kms');
    expect(publicAccess.values).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(rules.find((r) => r.id === 'expire-imported')?.expiration?.[0]?.days).toBe(7);
    expect(one('aws_s3_bucket').values.bucket).toBe('shardline-dev-inbox-123456789012');
  });
});
