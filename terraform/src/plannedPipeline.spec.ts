import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  functionNames,
  consumerNames,
  consumerSettings,
  contract,
  domainSettings,
  environmentNames,
  mappingSettings,
  parameterValue,
  streamNames,
  streamSettings,
  type ConsumerName,
  type EnvironmentName,
} from '@shardline/contract';
import { plannedResources, planTerraform, type PlannedResource, type PlanValue, type TerraformPlan } from './terraformPlan';

// The pipeline as both environment roots plan it offline, resolved: what every consumer gets (function, role,
// mapping, alarms), the encryption of every store, the domain's size, all checked against the contract.
// Values AWS computes (ARNs, key ids) are unknown in an offline plan: for those the plan only says that they are
// set, not to what.
const ROOT = join(__dirname, '..', '..');
const ROOT_ARGS: Record<string, string[]> = {
  prod: [
    '-var',
    'alarm_emails=["alarms@example.com"]',
    '-var',
    'opensearch_master_user_arn=arn:aws:iam::123456789012:role/opensearch-admin',
  ],
};
const firstPlanMs = 60 * 60_000;

// The statements every consumer's role has beside the contract's access, by Sid; the fan-out one only for a
// consumer with enhanced fan-out.
const BASE_ACCESS: Record<string, string[]> = {
  WriteOwnLogs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  ReadSourceStream: [
    'kinesis:DescribeStream',
    'kinesis:DescribeStreamSummary',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:ListShards',
  ],
  SendToQuarantineAndOnFailureQueues: ['sqs:SendMessage'],
  UsePipelineKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
  // X-Ray has no resource-level permissions; active tracing needs these two.
  WriteTraces: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
};
const FAN_OUT_ACCESS = ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'];

// filebase64sha256 of the stand-in package plan.sh writes: an end-of-central-directory record alone.
const STAND_IN_ZIP_SHA256 = createHash('sha256')
  .update(Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]))
  .digest('base64');

const plans = {} as Record<EnvironmentName, TerraformPlan>;

beforeAll(() => {
  for (const env of environmentNames) plans[env] = planTerraform(`environments/${env}`, ROOT_ARGS[env] ?? []);
}, firstPlanMs);

const consumerModule = (app: string) => `module.pipeline.module.consumer["${app}"]`;
// The function, its log group, role and policy: the lambda-function module the consumer module calls.
const functionModule = (app: string) => `${consumerModule(app)}.module.function`;

function only(plan: TerraformPlan, type: string, module: string, mode: 'managed' | 'data' = 'managed'): PlannedResource {
  const found = plannedResources(plan, type, mode).filter((r) => r.module === module);
  expect({ type, module, count: found.length }).toEqual({ type, module, count: 1 });
  return found[0]!;
}

/** A value the plan knows, or `true` where it is set to what only apply will know. */
function setOrKnown(resource: PlannedResource, ...path: (string | number)[]): PlanValue | undefined {
  let value: PlanValue | undefined = resource.values;
  let unknown: PlanValue | undefined = resource.unknown;
  for (const step of path) {
    value = (value as Record<string | number, PlanValue> | null | undefined)?.[step];
    unknown = (unknown as Record<string | number, PlanValue> | null | undefined)?.[step];
  }
  return unknown === true ? true : (value ?? undefined);
}

const prefix = (env: string) => `shardline-${env}`;

describe.each(environmentNames)('the %s plan', (env) => {
  it('deploys one function per function of the contract, each consumer sized by the contract', () => {
    // Prepare
    const plan = plans[env];
    const nodeMajor = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim().split('.')[0];

    // Assess
    expect(plannedResources(plan, 'aws_lambda_function').map((f) => f.values.function_name).sort()).toEqual(
      functionNames.map((app) => `${prefix(env)}-${app}`).sort(),
    );
    for (const app of consumerNames) {
      const fn = only(plan, 'aws_lambda_function', functionModule(app));
      const settings = consumerSettings(app, env);
      const shards = streamSettings(contract.consumers[app].stream, env).shard_count;
      expect([app, fn.values]).toEqual([
        app,
        expect.objectContaining({
          description: contract.consumers[app].description,
          memory_size: settings.memory_size,
          timeout: settings.timeout_seconds,
          reserved_concurrent_executions: settings.reserved_concurrency ?? shards * settings.parallelization_factor,
          runtime: `nodejs${nodeMajor}.x`,
          architectures: ['arm64'],
          handler: 'index.handler',
          tracing_config: [{ mode: 'Active' }],
        }),
      ]);
      // The zip the package target writes, hashed by Terraform (plan.sh plans with an empty stand-in zip per app).
      expect([app, fn.values.filename, fn.values.source_code_hash]).toEqual([
        app,
        `../../../dist/packages/${app}.zip`,
        STAND_IN_ZIP_SHA256,
      ]);
      // Environment variables encrypted with the pipeline key.
      expect([app, setOrKnown(fn, 'kms_key_arn')]).toEqual([app, true]);
    }
  });

  it.each(consumerNames)('gives %s the environment the contract declares for AWS, and the Powertools settings', (app) => {
    // Prepare
    const fn = only(plans[env], 'aws_lambda_function', functionModule(app));
    const variables = {
      ...((fn.values.environment as Record<string, PlanValue>[])[0]?.variables as Record<string, PlanValue>),
      ...((fn.unknown.environment as Record<string, PlanValue>[] | undefined)?.[0]?.variables as Record<string, PlanValue>),
    };
    const own = Object.entries(contract.consumers[app].environment as Record<string, { only?: string; parameter?: string }>);

    // Assess
    expect(Object.keys(variables).sort()).toEqual(
      [
        ...own.filter(([, ref]) => ref.only !== 'local').map(([name]) => name),
        ...Object.keys(contract.common.environment),
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    for (const [name, ref] of own) {
      if (ref.parameter) expect([name, variables[name]]).toEqual([name, String(parameterValue(ref.parameter, env))]);
    }
    expect(variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: app,
      POWERTOOLS_METRICS_NAMESPACE: contract.namespace,
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it.each(consumerNames)(
    'maps %s with ReportBatchItemFailures, an on-failure destination and the contract settings',
    (app) => {
      // Act
      const mapping = only(plans[env], 'aws_lambda_event_source_mapping', consumerModule(app));
      const settings = consumerSettings(app, env);

      // Assess
      expect(mapping.values).toMatchObject({
        function_response_types: ['ReportBatchItemFailures'],
        batch_size: settings.batch_size,
        maximum_batching_window_in_seconds: settings.maximum_batching_window_in_seconds,
        parallelization_factor: settings.parallelization_factor,
        ...mappingSettings(env),
      });
      expect(setOrKnown(mapping, 'destination_config', 0, 'on_failure', 0, 'destination_arn')).toBe(true);
      expect(setOrKnown(mapping, 'event_source_arn')).toBe(true);
    },
  );

  it.each(consumerNames)('grants %s only its base access and the contract access, inline on its own role', (app) => {
    // Prepare
    const plan = plans[env];
    const document = only(plan, 'aws_iam_policy_document', functionModule(app), 'data');
    const statements = document.values.statement as {
      sid: string;
      effect: string | null;
      actions: string[];
      resources?: (string | null)[] | null;
    }[];
    const unknown = document.unknown.statement as { resources?: PlanValue }[];
    const access = contract.consumers[app].access as { sid: string; actions: string[]; resources: unknown[] }[];
    const fanOut = consumerSettings(app, env).enhanced_fan_out;

    // Act
    const granted = Object.fromEntries(statements.map((s) => [s.sid, [...s.actions].sort()]));

    // Assess
    expect(granted).toEqual({
      ...Object.fromEntries(Object.entries(BASE_ACCESS).map(([sid, actions]) => [sid, [...actions].sort()])),
      ...(fanOut ? { ReadThroughEnhancedFanOut: [...FAN_OUT_ACCESS].sort() } : {}),
      ...Object.fromEntries(access.map((s) => [s.sid, [...s.actions].sort()])),
    });
    statements.forEach((s, i) => {
      expect([s.sid, s.effect ?? 'Allow']).toEqual([s.sid, 'Allow']);
      // Every resource but X-Ray's is a named one whose ARN only apply knows: none is a wildcard.
      const known = (s.resources ?? []).filter((r) => r !== null);
      expect([s.sid, known]).toEqual([s.sid, s.sid === 'WriteTraces' ? ['*'] : []]);
      const declared = access.find((a) => a.sid === s.sid);
      if (declared) {
        expect([s.sid, (unknown[i]?.resources as PlanValue[]).length]).toEqual([s.sid, declared.resources.length]);
      }
    });
    expect(plannedResources(plan, 'aws_iam_role_policy_attachment')).toEqual([]);
    expect(only(plan, 'aws_iam_role', functionModule(app)).values.name).toBe(`${prefix(env)}-${app}-role`);
    expect(only(plan, 'aws_iam_role_policy', functionModule(app)).values.name).toBe(`${prefix(env)}-${app}-policy`);
  });

  it('encrypts every stream, queue, table, bucket and topic with the pipeline key, and the domain at rest and in transit', () => {
    // Prepare
    const plan = plans[env];
    const streams = plannedResources(plan, 'aws_kinesis_stream');
    const queues = plannedResources(plan, 'aws_sqs_queue');
    const tables = plannedResources(plan, 'aws_dynamodb_table');

    // Assess
    expect(streams.map((s) => s.values.name).sort()).toEqual(streamNames.map((s) => `${prefix(env)}-${s}`).sort());
    for (const stream of streams) {
      expect([stream.values.name, stream.values.encryption_type, setOrKnown(stream, 'kms_key_id')]).toEqual([
        stream.values.name,
        'KMS',
        true,
      ]);
    }
    // The quarantine queue, one on-failure queue per consumer and one per S3 inbox importer.
    const inboxes = Object.values(contract.ingest).filter((i) => i.trigger === 's3-inbox');
    expect(queues).toHaveLength(consumerNames.length + 1 + inboxes.length);
    for (const queue of queues) expect([queue.values.name, setOrKnown(queue, 'kms_master_key_id')]).toEqual([queue.values.name, true]);
    expect(tables).toHaveLength(Object.values(contract.resources).filter((r) => r.kind === 'table').length);
    for (const table of tables) {
      expect(table.values).toMatchObject({
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: [{ enabled: true }],
        server_side_encryption: [{ enabled: true }],
        deletion_protection_enabled: env === 'prod',
      });
      expect(setOrKnown(table, 'server_side_encryption', 0, 'kms_key_arn')).toBe(true);
    }
    const sse = only(plan, 'aws_s3_bucket_server_side_encryption_configuration', 'module.pipeline.module.archive');
    expect(sse.values.rule).toMatchObject([{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }]);
    expect(setOrKnown(sse, 'rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id')).toBe(true);
    expect(only(plan, 'aws_s3_bucket_public_access_block', 'module.pipeline.module.archive').values).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(setOrKnown(only(plan, 'aws_sns_topic', 'module.pipeline.module.monitoring'), 'kms_master_key_id')).toBe(true);
    expect(only(plan, 'aws_opensearch_domain', 'module.pipeline.module.opensearch').values).toMatchObject({
      encrypt_at_rest: [{ enabled: true }],
      node_to_node_encryption: [{ enabled: true }],
      domain_endpoint_options: [{ enforce_https: true, tls_security_policy: 'Policy-Min-TLS-1-2-2019-07' }],
      advanced_security_options: [{ enabled: true, anonymous_auth_enabled: false, internal_user_database_enabled: false }],
    });
  });

  it('sizes the OpenSearch domain as the contract says for the environment', () => {
    // Prepare
    const domain = only(plans[env], 'aws_opensearch_domain', 'module.pipeline.module.opensearch');
    const size = domainSettings('events', env);

    // Assess
    expect(domain.values.cluster_config).toMatchObject([
      {
        instance_type: size.instance_type,
        instance_count: size.instance_count,
        dedicated_master_enabled: size.dedicated_master_count > 0,
        dedicated_master_count: size.dedicated_master_count > 0 ? size.dedicated_master_count : null,
        dedicated_master_type: size.dedicated_master_count > 0 ? size.dedicated_master_type : null,
      },
    ]);
    expect(domain.values.ebs_options).toMatchObject([{ ebs_enabled: true, volume_type: 'gp3', volume_size: size.volume_size_gb }]);
  });

  it('alarms to the alarm topic on every metric the contract gives an alarm', () => {
    // Prepare
    const alarms = plannedResources(plans[env], 'aws_cloudwatch_metric_alarm');
    const declared = Object.entries(contract.consumers).flatMap(([app, c]) =>
      Object.entries(c.metrics as Record<string, { alarm?: { name: string; threshold: number } }>).flatMap(
        ([metric, m]) => (m.alarm ? [{ app: app as ConsumerName, metric, alarm: m.alarm }] : []),
      ),
    );

    // Assess
    expect(declared.length).toBeGreaterThan(0);
    for (const { app, metric, alarm } of declared) {
      const planned = alarms.find((a) => a.values.alarm_name === `${prefix(env)}-${app}-${alarm.name}`);
      expect([app, metric, planned?.values]).toEqual([
        app,
        metric,
        expect.objectContaining({
          namespace: contract.namespace,
          metric_name: metric,
          threshold: alarm.threshold,
          comparison_operator: 'GreaterThanThreshold',
        }),
      ]);
      expect(planned?.unknown.alarm_actions).toEqual([true]);
    }
  });

  it('reads the contract and layers its settings as the contract library does', () => {
    // Prepare
    const rules = only(plans[env], 'terraform_data', 'module.pipeline');
    const input = rules.values.input as Record<string, Record<string, PlanValue>>;

    // Assess
    expect(input.consumers).toEqual(Object.fromEntries(consumerNames.map((app) => [app, consumerSettings(app, env)])));
    expect(input.streams).toEqual(Object.fromEntries(streamNames.map((s) => [s, streamSettings(s, env)])));
    expect(input.parameters).toEqual(
      Object.fromEntries(Object.keys(contract.parameters).map((p) => [p, parameterValue(p, env)])),
    );
  });
});
