import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import {
  ATTRIBUTES,
  CONSUMER_SETTINGS,
  contract,
  environmentNames,
  functionNames,
  RESOURCE_KINDS,
  streamNames,
} from '@shardline/contract';
import { loadTerraformConfig, type HclBody, type TerraformConfig } from './terraformConfig';

// Terraform against the pipeline contract (libs/contract/pipeline.json): the HCL must read the contract and derive
// every per-app fact from it, and hold no per-app fact of its own. Read with the HCL parser for what an offline
// plan cannot show: which expression feeds which argument (ARNs and ids are unknown until apply), locals, backends
// and version constraints. What the plan resolves (names, sizes, mappings, actions, encryption) is asserted on the
// plan itself in plannedPipeline.spec.ts. What the contract says is checked by its own
// tests (checkContract, settingViolations); what the apps read is checked by each app's config.spec.ts.
const ROOT = resolve(__dirname, '..', '..');
const CONTRACT_FILE = join(ROOT, 'libs', 'contract', 'pipeline.json');

// Access every consumer has, from the stream-consumer module and the lambda-function module it calls.
const COMMON_ACCESS: Record<string, string[]> = {
  'logs:CreateLogStream': ['${aws_cloudwatch_log_group.this.arn}:*'],
  'logs:PutLogEvents': ['${aws_cloudwatch_log_group.this.arn}:*'],
  'kinesis:DescribeStream': ['${var.stream_arn}'],
  'kinesis:DescribeStreamSummary': ['${var.stream_arn}'],
  'kinesis:GetRecords': ['${var.stream_arn}'],
  'kinesis:GetShardIterator': ['${var.stream_arn}'],
  'kinesis:ListShards': ['${var.stream_arn}'],
  'kinesis:DescribeStreamConsumer': ['${aws_kinesis_stream_consumer.this[*].arn}'],
  'kinesis:SubscribeToShard': ['${aws_kinesis_stream_consumer.this[*].arn}'],
  'sqs:SendMessage': ['${distinct([var.quarantine_queue_arn, var.on_failure_queue_arn])}'],
  'kms:Decrypt': ['${var.kms_key_arn}'],
  'kms:GenerateDataKey': ['${var.kms_key_arn}'],
  // X-Ray has no resource-level permissions; active tracing needs these two.
  'xray:PutTraceSegments': ['*'],
  'xray:PutTelemetryRecords': ['*'],
};

// What an environment root may pass the pipeline module: everything per stream or consumer is in the contract.
const ENVIRONMENT_ARGUMENTS = [
  'source',
  'environment',
  'packages_dir',
  'tuning',
  'iterator_age_alarm_ms',
  'deletion_protection',
  'log_level',
  'log_retention_days',
  'alarm_emails',
  'http_ingest',
  'archive_lifecycle_days',
  'opensearch',
];

interface Statement {
  readonly actions: string[];
  // A list of expressions, or one expression that yields a list.
  readonly resources: string[] | string;
}

function accessOf(statements: readonly Statement[]): Record<string, string[]> {
  const access: Record<string, string[]> = {};
  for (const s of statements) {
    for (const a of s.actions) {
      const resources = typeof s.resources === 'string' ? [s.resources] : s.resources;
      access[a] = [...(access[a] ?? []), ...resources].sort();
    }
  }
  return access;
}

const sorted = (access: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(access).map(([a, r]) => [a, [...r].sort()]));

/** Every statement of the stream-consumer role, static and dynamic, before the function's own: the lambda-function
 * module's own, then the ones stream-consumer passes it as invocation_statements. */
function baseStatements(): Statement[] {
  const document = lambdaFunction.data.aws_iam_policy_document?.this as HclBody;
  const own = [
    ...(document.statement as unknown as Statement[]),
    ...(document.dynamic as unknown as { statement: { content: Statement[] }[] }).statement.flatMap((d) => d.content),
  ].filter((s) => Array.isArray(s.actions));
  const invocation = ['read_source_stream', 'read_through_enhanced_fan_out', 'send_to_queues'].map(
    (name) => consumer.locals[name] as unknown as Statement,
  );
  return [...own, ...invocation];
}

let pipeline: TerraformConfig;
let consumer: TerraformConfig;
let lambdaFunction: TerraformConfig;
let environments: Record<string, TerraformConfig>;
let graph: ProjectGraph;

beforeAll(async () => {
  graph = await createProjectGraphAsync({ exitOnError: false });
  pipeline = await loadTerraformConfig(join(ROOT, 'terraform/modules/pipeline'));
  consumer = await loadTerraformConfig(join(ROOT, 'terraform/modules/stream-consumer'));
  lambdaFunction = await loadTerraformConfig(join(ROOT, 'terraform/modules/lambda-function'));
  environments = Object.fromEntries(
    await Promise.all(
      readdirSync(join(ROOT, 'terraform/environments')).map(
        async (env) => [env, await loadTerraformConfig(join(ROOT, 'terraform/environments', env))] as const,
      ),
    ),
  );
}, 120_000);

describe('Terraform reads the pipeline contract', () => {
  it('decodes libs/contract/pipeline.json in the pipeline module', () => {
    // Prepare
    const expression = String(pipeline.locals.contract);
    const path = expression.slice('${jsondecode(file("${path.module}/'.length, -'"))}'.length);

    // Assess
    expect(expression).toBe(`\${jsondecode(file("\${path.module}/${path}"))}`);
    expect(resolve(pipeline.dir, path)).toBe(CONTRACT_FILE);
  });

  it('has one environment root per environment of the contract', () => {
    // Assess
    expect(Object.keys(environments).sort()).toEqual([...environmentNames].sort());
    for (const [name, env] of Object.entries(environments)) {
      expect([name, (env.modules.pipeline as HclBody).environment]).toEqual([name, name]);
    }
  });

  it('deploys one consumer function per consumer of the contract, each on its stream', () => {
    // Prepare
    const call = pipeline.modules.consumer as HclBody;

    // Assess
    expect(pipeline.locals.apps).toBe(
      '${{ for app, c in local.contract.consumers : app => { stream = c.stream, description = c.description } }}',
    );
    expect(call).toMatchObject({
      source: '../stream-consumer',
      for_each: '${local.apps}',
      function_name: '${local.prefix}-${each.key}',
      description: '${each.value.description}',
      stream_arn: '${module.stream[each.value.stream].stream_arn}',
      environment: '${local.wiring[each.key].environment}',
      policy_statements: '${local.wiring[each.key].policy_statements}',
      metrics_namespace: '${local.contract.namespace}',
    });
    expect(pipeline.modules.on_failure_queue).toMatchObject({ for_each: '${local.apps}' });
    expect(pipeline.modules.stream).toMatchObject({ for_each: '${local.streams}', name: '${local.prefix}-${each.key}' });
  });

  it('deploys an inbox, from the s3-inbox module, for every ingest function an S3 inbox triggers', () => {
    // Prepare
    const call = pipeline.modules.s3_inbox as HclBody;
    const inboxes = Object.entries(contract.ingest).filter(([, i]) => i.trigger === 's3-inbox');

    // Assess
    expect(inboxes.map(([name]) => name)).toEqual(['s3-import']);
    expect(call).toMatchObject({
      source: '../s3-inbox',
      for_each: '${local.inboxes}',
      function_name: '${local.prefix}-${each.key}',
      package_path: '${var.packages_dir}/${each.key}.zip',
      environment: '${local.wiring[each.key].environment}',
      policy_statements: '${local.wiring[each.key].policy_statements}',
      bucket_name: '${local.inbox_bucket_names[each.key]}',
      prefix: '${each.value.prefix}',
      memory_size: '${local.ingest[each.key].memory_size}',
      timeout_seconds: '${local.ingest[each.key].timeout_seconds}',
    });
    expect(pipeline.locals.functions).toBe('${merge(local.contract.consumers, local.contract.ingest)}');
  });

  it('sizes every function and mapping from the contract settings, with no sizing in the environment roots', () => {
    // Prepare
    const call = pipeline.modules.consumer as HclBody;
    const mapping = call.event_source_mapping as HclBody;

    // Assess
    expect(call.memory_size).toBe('${local.consumers[each.key].memory_size}');
    expect(call.timeout_seconds).toBe('${local.consumers[each.key].timeout_seconds}');
    expect(call.enhanced_fan_out).toBe('${local.consumers[each.key].enhanced_fan_out}');
    expect(call.reserved_concurrent_executions).toBe(
      '${coalesce(local.consumers[each.key].reserved_concurrency, local.streams[each.value.stream].shard_count * local.consumers[each.key].parallelization_factor)}',
    );
    for (const setting of ['batch_size', 'maximum_batching_window_in_seconds', 'parallelization_factor'] as const) {
      expect([setting, mapping[setting]]).toEqual([setting, `\${local.consumers[each.key].${setting}}`]);
    }
    expect(CONSUMER_SETTINGS).toEqual(expect.arrayContaining(Object.keys(contract.common.settings)));
    for (const [name, env] of Object.entries(environments)) {
      const args = env.modules.pipeline as HclBody;
      // Environment-wide settings only: nothing per stream or consumer, no parameter of the contract.
      expect([name, Object.keys(args).filter((a) => !ENVIRONMENT_ARGUMENTS.includes(a))]).toEqual([name, []]);
      expect([name, args.tuning]).toEqual([name, '${var.tuning}']);
      expect([name, env.variables.tuning?.default]).toEqual([name, {}]);
    }
  });

  it('enforces the contract limits, parameter bounds and resolvable references at plan time', () => {
    // Prepare
    const rules = pipeline.resources.terraform_data?.contract as HclBody;
    const preconditions = ((rules.lifecycle as HclBody[])[0]?.precondition ?? []) as HclBody[];

    // Assess
    expect(preconditions.map((p) => p.condition)).toEqual([
      '${length(local.setting_violations) == 0}',
      '${alltrue([for name, p in local.contract.parameters : local.parameters[name] >= p.minimum && local.parameters[name] <= p.maximum])}',
      '${length(local.unresolved) == 0}',
    ]);
  });

  it('resolves every kind of resource the contract knows, each with the attributes of its kind', () => {
    // Prepare
    const resources = pipeline.locals.resources as Record<string, HclBody | string>;

    // Assess
    expect(Object.keys(resources).sort()).toEqual([...RESOURCE_KINDS, 'parameter'].sort());
    for (const kind of RESOURCE_KINDS) {
      const named = resources[kind];
      // Kinds built with a for expression (streams, bucket prefixes) are checked by the plan-time precondition.
      if (named === undefined || typeof named === 'string') continue;
      const declared = Object.entries(contract.resources)
        .filter(([, r]) => r.kind === kind)
        .map(([name]) => name);
      expect([kind, Object.keys(named).sort()]).toEqual([kind, declared.sort()]);
      for (const [name, attributes] of Object.entries(named)) {
        expect([kind, name, Object.keys(attributes as HclBody).sort()]).toEqual([kind, name, [...ATTRIBUTES[kind]].sort()]);
      }
    }
  });

  it('names every resource <prefix>-<name in the contract>, as the local runtime does', () => {
    // Prepare
    const modules = pipeline.modules;
    const tables = pipeline.locals.resources as Record<string, Record<string, HclBody>>;

    // Assess
    for (const [name, attributes] of Object.entries(tables.table!)) {
      const module = Object.entries(modules).find(([, m]) => m.name === `\${local.prefix}-${name}`)?.[0];
      expect([name, attributes.name]).toEqual([name, `\${module.${module}.table_name}`]);
    }
    expect(modules.quarantine_queue?.name).toBe('${local.prefix}-quarantine');
    expect(modules.opensearch?.domain_name).toBe('${local.prefix}-events');
    expect(modules.archive?.bucket_name).toBe('${local.prefix}-archive-${local.account_id}');
    expect(modules.archive?.prefix).toBe('${local.contract.resources.archive.prefix}');
    expect(modules.on_failure_queue?.name).toBe('${local.prefix}-${each.key}-failures');
    expect(streamNames).toEqual(['raw', 'enriched']);
  });

  it('puts the common and every consumer metric of the contract on the dashboard, with its dimensions, in its namespace', () => {
    // Prepare
    const monitoring = pipeline.modules.monitoring as HclBody;

    // Assess
    expect(monitoring).toMatchObject({
      metrics_namespace: '${local.contract.namespace}',
      common_metrics:
        '${[for name, m in local.contract.common.metrics : { name = name, stat = m.stat, dimensions = try(m.dimensions, []) }]}',
      service_metrics:
        '${{ for app, c in local.functions : app => [for name, m in c.metrics : { name = name, stat = m.stat, dimensions = try(m.dimensions, []) }] }}',
      functions: '${{ for app, _ in local.functions : "${local.prefix}-${app}" => app }}',
    });
  });

  it('alarms on the metrics the contract gives an alarm, such as enrichment falling back to at-least-once', () => {
    // Prepare
    const alarm = pipeline.resources.aws_cloudwatch_metric_alarm?.metric as HclBody;

    // Assess
    expect(contract.consumers.enrichment.metrics.LedgerErrors.alarm).toMatchObject({ name: 'ledger-errors', threshold: 0 });
    expect(alarm).toMatchObject({
      for_each: '${local.metric_alarms}',
      namespace: '${local.contract.namespace}',
      metric_name: '${each.value.metric}',
      dimensions: { service: '${each.value.app}' },
      threshold: '${each.value.threshold}',
      comparison_operator: 'GreaterThanThreshold',
      alarm_actions: ['${module.monitoring.alarm_topic_arn}'],
    });
  });
});

describe('pipeline wiring', () => {
  it('points each function at the zip the package target writes from the Nx bundle', () => {
    // Prepare
    const call = pipeline.modules.consumer as HclBody;

    // Assess
    expect(call.handler).toBe('index.handler');
    expect(call.package_path).toBe('${var.packages_dir}/${each.key}.zip');
    for (const env of Object.values(environments)) {
      const packagesDir = String(env.variables.packages_dir?.default);
      expect(resolve(env.dir, packagesDir)).toBe(join(ROOT, 'dist', 'packages'));
      expect((env.modules.pipeline as HclBody).packages_dir).toBe('${var.packages_dir}');
    }
  });

  it.each(functionNames)('builds %s where the package target and the function expect it', (app) => {
    // Prepare: the targets as Nx resolves them (the shared defaults of nx.json merged into project.json)
    const project = graph.nodes[app]!.data as { targets: Record<string, { options: Record<string, unknown> }> };
    const build = project.targets.build!.options;

    // Assess
    expect(build.outputPath).toBe(`dist/apps/${app}`);
    expect(build.outputFileName ?? 'index.js').toBe('index.js');
    expect(build.format).toEqual(['cjs']);
    expect(build.sourcemap).toBe(true);
    expect(project.targets.package!.options.command).toBe(`tsx tools/package/package.ts ${app}`);
  });

  it('gives every consumer the same base access, limited to its stream, queues, key and log group', () => {
    // Act
    const access = accessOf(baseStatements());

    // Assess
    expect(access).toEqual(sorted(COMMON_ACCESS));
    expect((consumer.modules.function as HclBody).invocation_statements).toBe(
      '${concat(\n    [local.read_source_stream],\n    var.enhanced_fan_out ? [local.read_through_enhanced_fan_out] : [],\n    [local.send_to_queues],\n  )}',
    );
    expect(lambdaFunction.variables.policy_statements?.validation).toBeDefined();
    expect((consumer.modules.function as HclBody).policy_statements).toBe('${var.policy_statements}');
  });

  it('attaches the policy inline to the function role and nothing else', () => {
    // Assess
    expect(Object.keys(consumer.resources).sort()).not.toContain('aws_iam_role_policy_attachment');
    expect(Object.keys(lambdaFunction.resources).sort()).not.toContain('aws_iam_role_policy_attachment');
    expect(lambdaFunction.resources.aws_iam_role_policy?.this?.role).toBe('${aws_iam_role.this.id}');
    expect(lambdaFunction.resources.aws_lambda_function?.this?.role).toBe('${aws_iam_role.this.arn}');
    expect((consumer.modules.function as HclBody).source).toBe('../lambda-function');
  });

  it('depends on every app and on the contract, so nx affected reaches the infrastructure', () => {
    // Prepare
    const project = JSON.parse(readFileSync(join(ROOT, 'terraform', 'project.json'), 'utf8'));

    // Assess
    expect(project.implicitDependencies).toEqual(['tag:type:app', 'contract']);
  });

  it('keeps each environment on its own S3 state with locking, on a version that knows the lock file', () => {
    for (const env of Object.values(environments)) {
      // Prepare
      const backend = (env.terraform[0]?.backend as Record<string, HclBody[]>).s3?.[0];

      // Assess
      expect(backend).toMatchObject({ encrypt: true, use_lockfile: true });
      // use_lockfile arrived in Terraform 1.10; older versions would fail at init with an unknown argument.
      expect(env.terraform[0]?.required_version).toBe('>= 1.10.0');
    }
  });
});

describe('data contracts', () => {
  it('keys the aggregates table by pk and windowStart with expiresAt as TTL', () => {
    // Prepare
    const table = pipeline.modules.aggregates_table as HclBody;

    // Assess
    expect(table).toMatchObject({ hash_key: 'pk', range_key: 'windowStart', ttl_attribute: 'expiresAt' });
    expect(pipeline.modules.reference_table).toMatchObject({ hash_key: 'campaignId' });
  });

  it('keys the publish ledger by shard alone with expiresAt as TTL', () => {
    // Prepare
    const ledger = pipeline.modules.ledger_table as HclBody;

    // Assess
    expect(ledger).toMatchObject({ source: '../dynamodb-table', hash_key: 'shard', ttl_attribute: 'expiresAt' });
    expect(ledger).not.toHaveProperty('range_key');
  });

  it.each(['reference_table', 'ledger_table', 'aggregates_table'])(
    'makes %s on-demand, recoverable, encrypted with the pipeline key and protected where the environment asks',
    async (name) => {
      // Prepare
      const module = await loadTerraformConfig(join(ROOT, 'terraform/modules/dynamodb-table'));
      const table = module.resources.aws_dynamodb_table?.this as HclBody;

      // Assess
      expect(pipeline.modules[name]).toMatchObject({
        source: '../dynamodb-table',
        kms_key_arn: '${aws_kms_key.this.arn}',
        deletion_protection: '${var.deletion_protection}',
      });
      expect(table).toMatchObject({
        billing_mode: 'PAY_PER_REQUEST',
        deletion_protection_enabled: '${var.deletion_protection}',
        point_in_time_recovery: [{ enabled: true }],
        server_side_encryption: [{ enabled: true, kms_key_arn: '${var.kms_key_arn}' }],
      });
    },
  );

  it('projects dt and hour partitions over gzip NDJSON for Athena', async () => {
    // Prepare
    const archive = await loadTerraformConfig(join(ROOT, 'terraform/modules/archive-bucket'));
    const table = archive.resources.aws_glue_catalog_table?.this as HclBody;
    const parameters = table.parameters as Record<string, string>;
    const storage = (table.storage_descriptor as HclBody[])[0] as HclBody;
    const columns = Object.fromEntries(
      (storage.columns as { name: string; type: string }[]).map((c) => [c.name, c.type]),
    );

    // Assess
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': '${local.location}/dt=$${dt}/hour=$${hour}',
    });
    expect((storage.ser_de_info as HclBody[])[0]?.serialization_library).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(Object.keys(columns)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'enrichment']);
    expect(columns.data).toContain('revenueMicros:bigint');
    expect(columns.data).toContain('attributes:string');
    expect(columns.enrichment).toBe(
      'struct<campaign:struct<name:string,advertiser:string,known:boolean>,device:struct<os:string,osVersion:string,deviceType:string,browser:string>,ingestLagMs:bigint,eventDate:string,ipTruncated:boolean,origin:struct<shardId:string,sequenceNumber:string,subSequenceNumber:int>>',
    );
  });
});
