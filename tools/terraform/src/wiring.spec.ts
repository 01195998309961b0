import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_FILES } from '../../package/package';
import { loadTerraformConfig, type HclBody, type TerraformConfig } from './terraformConfig';

// The contract between the apps and the infrastructure, read from the HCL itself.
const ROOT = resolve(__dirname, '..', '..', '..');
const APPS = ['enrichment', 's3-archiver', 'dynamodb-aggregator', 'opensearch-indexer'] as const;
type App = (typeof APPS)[number];

const STREAM_OF: Record<App, 'raw' | 'enriched'> = {
  enrichment: 'raw',
  's3-archiver': 'enriched',
  'dynamodb-aggregator': 'enriched',
  'opensearch-indexer': 'enriched',
};

// Sink access per function: action -> resource expression it is limited to.
const SINK_ACCESS: Record<App, Record<string, string[]>> = {
  enrichment: {
    'kinesis:PutRecords': ['${module.enriched_stream.stream_arn}'],
    'dynamodb:BatchGetItem': ['${module.reference_table.table_arn}'],
  },
  's3-archiver': {
    's3:PutObject': ['${module.archive.bucket_arn}/${module.archive.prefix}/*'],
  },
  'dynamodb-aggregator': {
    'dynamodb:GetItem': ['${module.aggregates_table.table_arn}'],
    'dynamodb:UpdateItem': ['${module.aggregates_table.table_arn}'],
  },
  'opensearch-indexer': {
    'es:ESHttpGet': ['${module.opensearch.domain_arn}/*'],
    'es:ESHttpHead': ['${module.opensearch.domain_arn}/*'],
    'es:ESHttpPost': ['${module.opensearch.domain_arn}/*'],
    'es:ESHttpPut': ['${module.opensearch.domain_arn}/*'],
    'es:DescribeDomain': ['${module.opensearch.domain_arn}'],
  },
};

// Access every consumer has, from the stream-consumer module.
const COMMON_ACCESS: Record<string, string[]> = {
  'logs:CreateLogStream': ['${aws_cloudwatch_log_group.this.arn}:*'],
  'logs:PutLogEvents': ['${aws_cloudwatch_log_group.this.arn}:*'],
  'kinesis:DescribeStream': ['${var.stream_arn}'],
  'kinesis:DescribeStreamSummary': ['${var.stream_arn}'],
  'kinesis:GetRecords': ['${var.stream_arn}'],
  'kinesis:GetShardIterator': ['${var.stream_arn}'],
  'kinesis:ListShards': ['${var.stream_arn}'],
  'kinesis:DescribeStreamConsumer': ['${aws_kinesis_stream_consumer.this[0].arn}'],
  'kinesis:SubscribeToShard': ['${aws_kinesis_stream_consumer.this[0].arn}'],
  'sqs:SendMessage': ['${distinct([var.quarantine_queue_arn, var.on_failure_queue_arn])}'],
  'kms:Decrypt': ['${var.kms_key_arn}'],
  'kms:GenerateDataKey': ['${var.kms_key_arn}'],
  // X-Ray has no resource-level permissions; active tracing needs these two.
  'xray:PutTraceSegments': ['*'],
  'xray:PutTelemetryRecords': ['*'],
};

const ENVIRONMENT_OF: Record<App, string[]> = {
  enrichment: ['ENRICHED_STREAM_NAME', 'REFERENCE_TABLE_NAME', 'CAMPAIGN_CACHE_TTL_SECONDS'],
  's3-archiver': ['ARCHIVE_BUCKET', 'ARCHIVE_PREFIX', 'ARCHIVE_KMS_KEY_ID', 'ARCHIVE_MAX_OBJECT_BYTES'],
  'dynamodb-aggregator': ['AGGREGATES_TABLE_NAME', 'AGGREGATE_TTL_DAYS'],
  'opensearch-indexer': ['OPENSEARCH_DOMAIN_NAME', 'OPENSEARCH_INDEX_PREFIX', 'OPENSEARCH_BULK_MAX_BYTES'],
};
const COMMON_ENVIRONMENT = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'QUARANTINE_QUEUE_URL',
  'NODE_OPTIONS',
];

interface Statement {
  readonly actions: string[];
  // A list of expressions, or one expression that yields a list.
  readonly resources: string[] | string;
}

function accessOf(statements: readonly Statement[]): Record<string, string[]> {
  const access: Record<string, string[]> = {};
  for (const s of statements) for (const a of s.actions) {
      const resources = typeof s.resources === 'string' ? [s.resources] : s.resources;
      access[a] = [...(access[a] ?? []), ...resources].sort();
    }
  return access;
}

const sorted = (access: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(access).map(([a, r]) => [a, [...r].sort()]));

let pipeline: TerraformConfig;
let consumer: TerraformConfig;
let environments: Record<string, TerraformConfig>;

beforeAll(async () => {
  pipeline = await loadTerraformConfig(join(ROOT, 'terraform/modules/pipeline'));
  consumer = await loadTerraformConfig(join(ROOT, 'terraform/modules/stream-consumer'));
  environments = {
    dev: await loadTerraformConfig(join(ROOT, 'terraform/environments/dev')),
    prod: await loadTerraformConfig(join(ROOT, 'terraform/environments/prod')),
  };
});

describe('pipeline wiring', () => {
  it('deploys one consumer function per app, on the stream the app reads', () => {
    // Prepare
    const apps = pipeline.locals.apps as Record<string, { stream: string }>;
    const call = pipeline.modules.consumer as HclBody;

    // Assess
    expect(Object.keys(apps).sort()).toEqual([...APPS].sort());
    for (const app of APPS) expect([app, apps[app]?.stream]).toEqual([app, STREAM_OF[app]]);
    expect(call.source).toBe('../stream-consumer');
    expect(call.for_each).toBe('${local.apps}');
    expect(call.stream_arn).toBe('${local.stream_arns[each.value.stream]}');
    expect(pipeline.locals.stream_arns).toEqual({
      raw: '${module.raw_stream.stream_arn}',
      enriched: '${module.enriched_stream.stream_arn}',
    });
  });

  it('covers every app of the workspace', () => {
    // Prepare
    const workspaceApps = readdirSync(join(ROOT, 'apps')).filter((d) => existsSync(join(ROOT, 'apps', d, 'project.json')));

    // Assess
    expect(workspaceApps.filter((a) => !(APPS as readonly string[]).includes(a))).toEqual([]);
  });

  it('points each function at the zip the package target writes from the Nx bundle', () => {
    // Prepare
    const call = pipeline.modules.consumer as HclBody;
    const [file, exportName] = String(call.handler).split('.');

    // Assess
    expect(call.handler).toBe('index.handler');
    expect(exportName).toBe('handler');
    expect(BUNDLE_FILES).toContain(`${file}.js`);
    expect(call.package_path).toBe('${var.packages_dir}/${each.key}.zip');
    for (const env of Object.values(environments)) {
      const packagesDir = String(env.variables.packages_dir?.default);
      expect(resolve(env.dir, packagesDir)).toBe(join(ROOT, 'dist', 'packages'));
      expect((env.modules.pipeline as HclBody).packages_dir).toBe('${var.packages_dir}');
    }
  });

  it.each(APPS.filter((app) => existsSync(join(ROOT, 'apps', app, 'project.json'))))(
    'builds %s where the package target and the function expect it',
    (app) => {
      // Prepare
      const project = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'project.json'), 'utf8'));
      const build = project.targets.build.options;

      // Assess
      expect(build.outputPath).toBe(`dist/apps/${app}`);
      expect(build.outputFileName ?? 'index.js').toBe('index.js');
      expect(build.format).toEqual(['cjs']);
      expect(build.sourcemap).toBe(true);
      expect(project.targets.package.options.command).toBe(`tsx tools/package/package.ts ${app}`);
    },
  );

  it.each(APPS)('grants %s only the sink access it uses, on its own sinks', (app) => {
    // Prepare
    const wiring = (pipeline.locals.wiring as unknown as Record<string, { policy_statements: Statement[] }>)[app];

    // Act
    const access = accessOf(wiring?.policy_statements ?? []);

    // Assess
    expect(access).toEqual(sorted(SINK_ACCESS[app]));
  });

  it('gives every consumer the same base access, limited to its stream, queues, key and log group', () => {
    // Prepare
    const document = consumer.data.aws_iam_policy_document?.this as HclBody;
    const statements = [
      ...(document.statement as unknown as Statement[]),
      ...((document.dynamic as unknown as { statement: { content: Statement[] }[] }).statement.flatMap((d) => d.content)),
    ].filter((s) => Array.isArray(s.actions));

    // Act
    const access = accessOf(statements);

    // Assess
    expect(access).toEqual(sorted(COMMON_ACCESS));
    expect(consumer.variables.policy_statements?.validation).toBeDefined();
  });

  it('attaches the policy inline to the function role and nothing else', () => {
    // Assess
    expect(Object.keys(consumer.resources).sort()).not.toContain('aws_iam_role_policy_attachment');
    expect(consumer.resources.aws_iam_role_policy?.this?.role).toBe('${aws_iam_role.this.id}');
    expect(consumer.resources.aws_lambda_function?.this?.role).toBe('${aws_iam_role.this.arn}');
  });

  it.each(APPS)('sets the environment variables %s reads', (app) => {
    // Prepare
    const wiring = (pipeline.locals.wiring as Record<string, { environment: Record<string, string> }>)[app];
    const fn = consumer.resources.aws_lambda_function?.this as HclBody;
    const common = String((fn.environment as HclBody[])[0]?.variables);

    // Assess
    expect(Object.keys(wiring?.environment ?? {}).sort()).toEqual([...ENVIRONMENT_OF[app]].sort());
    for (const name of COMMON_ENVIRONMENT) expect(common).toContain(`${name} `);
    expect(common).toContain('"--enable-source-maps"');
    expect(common).toContain('merge(var.environment');
    expect(consumer.variables.metrics_namespace?.default).toBe('Shardline');
  });

  it('runs every function on nodejs22.x, arm64, from the package hash', () => {
    // Prepare
    const fn = consumer.resources.aws_lambda_function?.this as HclBody;

    // Assess
    expect(fn.runtime).toBe('nodejs22.x');
    expect(fn.architectures).toEqual(['arm64']);
    expect(fn.source_code_hash).toBe('${filebase64sha256(var.package_path)}');
    expect(fn.handler).toBe('${var.handler}');
  });

  it('always reports batch item failures and always has an on-failure destination', () => {
    // Prepare
    const mapping = consumer.resources.aws_lambda_event_source_mapping?.this as HclBody;

    // Assess
    expect(mapping.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(mapping.destination_config).toEqual([{ on_failure: [{ destination_arn: '${var.on_failure_queue_arn}' }] }]);
    expect(mapping.event_source_arn).toBe('${local.event_source_arn}');
  });

  it('maps with bisect, bounded retries, a one-second window and TRIM_HORIZON', () => {
    // Prepare
    const mapping = (pipeline.modules.consumer as HclBody).event_source_mapping as HclBody;

    // Assess
    expect(mapping).toMatchObject({
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 10,
      maximum_batching_window_in_seconds: 1,
      starting_position: 'TRIM_HORIZON',
      maximum_record_age_in_seconds: '${var.maximum_record_age_in_seconds}',
    });
  });

  it.each([
    ['dev', 3600],
    ['prod', 86400],
  ])('sizes %s within the contract', (env, recordAge) => {
    // Prepare
    const call = environments[env]?.modules.pipeline as HclBody;
    const consumers = call.consumers as Record<string, { batch_size: number; parallelization_factor?: number }>;

    // Assess
    expect(call.maximum_record_age_in_seconds).toBe(recordAge);
    expect(Object.keys(consumers).sort()).toEqual([...APPS].sort());
    for (const [app, sizing] of Object.entries(consumers)) {
      expect([app, sizing.batch_size >= 100 && sizing.batch_size <= 1000]).toEqual([app, true]);
    }
    expect(consumers['dynamodb-aggregator']?.parallelization_factor ?? 1).toBe(1);
  });

  it('refuses a parallelization factor other than 1 for the aggregator', () => {
    // Prepare
    const validations = pipeline.variables.consumers?.validation as HclBody[];

    // Assess
    expect(
      validations.some(
        (v) =>
          String(v.condition).includes('"dynamodb-aggregator"') &&
          String(v.condition).includes('parallelization_factor') &&
          String(v.condition).includes('== 1'),
      ),
    ).toBe(true);
  });

  it('depends on every app, so nx affected reaches the infrastructure', () => {
    // Prepare
    const project = JSON.parse(readFileSync(join(ROOT, 'terraform', 'project.json'), 'utf8'));
    const appTags = APPS.filter((app) => existsSync(join(ROOT, 'apps', app, 'project.json'))).map(
      (app) => JSON.parse(readFileSync(join(ROOT, 'apps', app, 'project.json'), 'utf8')).tags as string[],
    );

    // Assess
    expect(project.implicitDependencies).toEqual(['tag:type:app']);
    for (const tags of appTags) expect(tags).toContain('type:app');
  });

  it('protects prod and only prod from deletion', () => {
    // Assess
    expect((environments.prod?.modules.pipeline as HclBody).deletion_protection).toBe(true);
    expect((environments.dev?.modules.pipeline as HclBody).deletion_protection).toBe(false);
  });

  it('keeps each environment on its own S3 state with locking', () => {
    for (const env of Object.values(environments)) {
      // Prepare
      const backend = (env.terraform[0]?.backend as Record<string, HclBody[]>).s3?.[0];

      // Assess
      expect(backend).toMatchObject({ encrypt: true, use_lockfile: true });
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
      'struct<campaign:struct<name:string,advertiser:string,known:boolean>,device:struct<os:string,osVersion:string,deviceType:string,browser:string>,ingestLagMs:bigint,eventDate:string,ipTruncated:boolean>',
    );
  });

  it('puts every custom metric on the dashboard', async () => {
    // Prepare
    const monitoring = await loadTerraformConfig(join(ROOT, 'terraform/modules/monitoring'));
    const metrics = (monitoring.locals.custom_metrics as { name: string }[]).map((m) => m.name);

    // Assess
    expect(metrics.sort()).toEqual(
      ['BatchAgeMs', 'PoisonRecords', 'RecordsIn', 'RecordsOut', 'SinkLatencyMs', 'TransientFailures'].sort(),
    );
  });
});
