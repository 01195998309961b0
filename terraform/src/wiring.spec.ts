import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
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

// Where quarantine messages too large for SQS go, in the archive bucket.
const OVERFLOW_OBJECTS = '${module.archive.bucket_arn}/${local.quarantine_overflow_prefix}/*';

// Sink access per function: action -> resource expression it is limited to.
const SINK_ACCESS: Record<App, Record<string, string[]>> = {
  enrichment: {
    'kinesis:PutRecords': ['${module.enriched_stream.stream_arn}'],
    'kinesis:ListShards': ['${module.enriched_stream.stream_arn}'],
    'kinesis:GetShardIterator': ['${module.enriched_stream.stream_arn}'],
    'kinesis:GetRecords': ['${module.enriched_stream.stream_arn}'],
    'dynamodb:BatchGetItem': ['${module.reference_table.table_arn}'],
    'dynamodb:GetItem': ['${module.ledger_table.table_arn}'],
    'dynamodb:PutItem': ['${module.ledger_table.table_arn}'],
    's3:PutObject': [OVERFLOW_OBJECTS],
  },
  's3-archiver': {
    's3:PutObject': ['${module.archive.bucket_arn}/${module.archive.prefix}/*', OVERFLOW_OBJECTS],
  },
  'dynamodb-aggregator': {
    'dynamodb:UpdateItem': ['${module.aggregates_table.table_arn}'],
  },
  'opensearch-indexer': {
    'es:ESHttpGet': ['${module.opensearch.domain_arn}/*'],
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
  enrichment: [
    'ENRICHED_STREAM_NAME',
    'REFERENCE_TABLE_NAME',
    'ENRICHMENT_LEDGER_TABLE_NAME',
    'QUARANTINE_OVERFLOW_BUCKET',
    'CAMPAIGN_CACHE_TTL_SECONDS',
    'PUT_RECORDS_MAX_ATTEMPTS',
    'TIMEOUT_GUARD_MS',
  ],
  's3-archiver': ['ARCHIVE_BUCKET', 'ARCHIVE_PREFIX', 'ARCHIVE_KMS_KEY_ID', 'ARCHIVE_MAX_OBJECT_BYTES'],
  'dynamodb-aggregator': ['AGGREGATES_TABLE_NAME', 'AGGREGATE_TTL_DAYS'],
  'opensearch-indexer': ['OPENSEARCH_DOMAIN_NAME', 'OPENSEARCH_INDEX_PREFIX', 'OPENSEARCH_BULK_MAX_BYTES', 'TIMEOUT_GUARD_MS'],
};
// Variables an app reads that Terraform leaves unset on purpose, with the reason.
const NOT_SET: Partial<Record<App, Record<string, string>>> = {
  'opensearch-indexer': { OPENSEARCH_ENDPOINT: 'for local servers; exclusive with OPENSEARCH_DOMAIN_NAME' },
};
// Set by the Lambda runtime itself.
const RUNTIME_ENVIRONMENT = ['AWS_REGION', 'AWS_DEFAULT_REGION'];
// Apps whose mapping must keep one batch per shard in flight (exactly once depends on it).
const ONE_BATCH_PER_SHARD: readonly App[] = ['enrichment', 's3-archiver', 'dynamodb-aggregator'];
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

/** Production source files of an app (no tests, benchmarks or test helpers). */
function appSources(app: App): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'test-helpers') visit(path);
      } else if (/\.ts$/.test(entry) && !/\.(spec|bench)\.ts$/.test(entry)) {
        files.push(readFileSync(path, 'utf8'));
      }
    }
  };
  visit(join(ROOT, 'apps', app, 'src'));
  return files;
}

/** Environment variables an app reads: through the config readers of @shardline/aws, or `env.NAME`. */
function variablesReadBy(app: App): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /\b(?:str|optionalStr|int|url|oneOf)\(\s*'([A-Z][A-Z0-9_]*)'/g,
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g,
  ];
  for (const text of appSources(app)) for (const p of patterns) for (const m of text.matchAll(p)) found.add(m[1] as string);
  return found;
}

const wiringOf = (app: App) =>
  (
    pipeline.locals.wiring as unknown as Record<
      string,
      { environment: Record<string, string>; policy_statements: Statement[] }
    >
  )[app];

/** Every statement of the stream-consumer role, static and dynamic, before the function's own. */
function baseStatements(): Statement[] {
  const document = consumer.data.aws_iam_policy_document?.this as HclBody;
  return [
    ...(document.statement as unknown as Statement[]),
    ...(document.dynamic as unknown as { statement: { content: Statement[] }[] }).statement.flatMap((d) => d.content),
  ].filter((s) => Array.isArray(s.actions));
}
let pipeline: TerraformConfig;
let consumer: TerraformConfig;
let environments: Record<string, TerraformConfig>;
// The apps' targets as Nx resolves them: shared defaults in nx.json merged into each project.json.
let graph: ProjectGraph;

beforeAll(async () => {
  graph = await createProjectGraphAsync({ exitOnError: false });
  pipeline = await loadTerraformConfig(join(ROOT, 'terraform/modules/pipeline'));
  consumer = await loadTerraformConfig(join(ROOT, 'terraform/modules/stream-consumer'));
  environments = {
    dev: await loadTerraformConfig(join(ROOT, 'terraform/environments/dev')),
    prod: await loadTerraformConfig(join(ROOT, 'terraform/environments/prod')),
  };
}, 120_000);

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
      const project = graph.nodes[app]!.data as {
        targets: Record<string, { options: Record<string, unknown> }>;
      };
      const build = project.targets.build!.options;

      // Assess
      expect(build.outputPath).toBe(`dist/apps/${app}`);
      expect(build.outputFileName ?? 'index.js').toBe('index.js');
      expect(build.format).toEqual(['cjs']);
      expect(build.sourcemap).toBe(true);
      expect(project.targets.package!.options.command).toBe(`tsx tools/package/package.ts ${app}`);
    },
  );

  it.each(APPS)('grants %s only the sink access it uses, on its own sinks', (app) => {
    // Act
    const access = accessOf(wiringOf(app)?.policy_statements ?? []);

    // Assess
    expect(access).toEqual(sorted(SINK_ACCESS[app]));
  });

  it('lets enrichment read and write only its ledger and batch-read only the reference table in DynamoDB', () => {
    // Prepare
    const statements = [...baseStatements(), ...(wiringOf('enrichment')?.policy_statements ?? [])];

    // Act
    const dynamodb = Object.fromEntries(
      Object.entries(accessOf(statements)).filter(([action]) => action.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamodb).toEqual({
      'dynamodb:BatchGetItem': ['${module.reference_table.table_arn}'],
      'dynamodb:GetItem': ['${module.ledger_table.table_arn}'],
      'dynamodb:PutItem': ['${module.ledger_table.table_arn}'],
    });
  });

  it('lets the aggregator only update its table: no reads', () => {
    // Prepare
    const statements = [...baseStatements(), ...(wiringOf('dynamodb-aggregator')?.policy_statements ?? [])];

    // Act
    const dynamodb = Object.keys(accessOf(statements)).filter((action) => action.startsWith('dynamodb:'));

    // Assess
    expect(dynamodb).toEqual(['dynamodb:UpdateItem']);
  });

  it('keeps quarantine overflow under the prefix the apps write to, apart from the archive', () => {
    // Prepare
    const archiverConstants = readFileSync(join(ROOT, 'apps/s3-archiver/src/constants.ts'), 'utf8');
    const archiverPrefix = /QUARANTINE_OVERFLOW_PREFIX = '([^']+)'/.exec(archiverConstants)?.[1];
    const enrichmentHandler = readFileSync(join(ROOT, 'apps/enrichment/src/handler.ts'), 'utf8');
    const enrichmentPrefix = /prefix: '([^']+)'/.exec(enrichmentHandler)?.[1];

    // Assess
    expect(pipeline.locals.quarantine_overflow_prefix).toBe('quarantine-overflow');
    expect(archiverPrefix).toBe(pipeline.locals.quarantine_overflow_prefix);
    expect(enrichmentPrefix).toBe(pipeline.locals.quarantine_overflow_prefix);
    expect(wiringOf('enrichment')?.environment.QUARANTINE_OVERFLOW_BUCKET).toBe('${module.archive.bucket_name}');
    expect(wiringOf('s3-archiver')?.environment.ARCHIVE_BUCKET).toBe('${module.archive.bucket_name}');
    expect(JSON.stringify(pipeline.variables.archive_prefix?.validation)).toContain('quarantine-overflow/');
  });

  it('gives every consumer the same base access, limited to its stream, queues, key and log group', () => {
    // Act
    const access = accessOf(baseStatements());

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
    const wiring = wiringOf(app);
    const fn = consumer.resources.aws_lambda_function?.this as HclBody;
    const common = String((fn.environment as HclBody[])[0]?.variables);

    // Assess
    expect(Object.keys(wiring?.environment ?? {}).sort()).toEqual([...ENVIRONMENT_OF[app]].sort());
    for (const name of COMMON_ENVIRONMENT) expect(common).toContain(`${name} `);
    expect(common).toContain('"--enable-source-maps"');
    expect(common).toContain('merge(var.environment');
    expect(consumer.variables.metrics_namespace?.default).toBe('Shardline');
  });

  it.each(APPS)('leaves no variable %s reads unset, and sets none it does not read', (app) => {
    // Prepare
    const read = variablesReadBy(app);
    const set = Object.keys(wiringOf(app)?.environment ?? {});
    const allowed = new Set([...set, ...COMMON_ENVIRONMENT, ...RUNTIME_ENVIRONMENT, ...Object.keys(NOT_SET[app] ?? {})]);

    // Assess
    expect(read).toContain('QUARANTINE_QUEUE_URL');
    expect({ app, unset: [...read].filter((v) => !allowed.has(v)).sort() }).toEqual({ app, unset: [] });
    expect({ app, unread: set.filter((v) => !read.has(v)).sort() }).toEqual({ app, unread: [] });
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

  it('maps with bisect, bounded retries, the sized batching window and TRIM_HORIZON', () => {
    // Prepare
    const mapping = (pipeline.modules.consumer as HclBody).event_source_mapping as HclBody;

    // Assess
    expect(mapping).toMatchObject({
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 10,
      batch_size: '${local.consumers[each.key].batch_size}',
      maximum_batching_window_in_seconds: '${local.consumers[each.key].maximum_batching_window_in_seconds}',
      starting_position: 'TRIM_HORIZON',
      maximum_record_age_in_seconds: '${var.maximum_record_age_in_seconds}',
      parallelization_factor: '${var.consumers[each.key].parallelization_factor}',
    });
  });

  it.each([
    ['dev', 3600],
    ['prod', 86400],
  ])('sizes %s within the contract', (env, recordAge) => {
    // Prepare
    const call = environments[env]?.modules.pipeline as HclBody;
    type Sizing = { batch_size: number; parallelization_factor?: number; maximum_batching_window_in_seconds?: number };
    const consumers = call.consumers as Record<App, Sizing>;
    const aggregator = consumers['dynamodb-aggregator'];

    // Assess
    expect(call.maximum_record_age_in_seconds).toBe(recordAge);
    expect(Object.keys(consumers).sort()).toEqual([...APPS].sort());
    for (const [app, sizing] of Object.entries(consumers)) {
      expect([app, sizing.batch_size >= 100 && sizing.batch_size <= 10000]).toEqual([app, true]);
      expect([app, (sizing.maximum_batching_window_in_seconds ?? 1) <= 30]).toEqual([app, true]);
    }
    for (const app of ONE_BATCH_PER_SHARD) expect([app, consumers[app].parallelization_factor ?? 1]).toEqual([app, 1]);
    expect(aggregator.batch_size).toBeGreaterThanOrEqual(1000);
    expect(aggregator.maximum_batching_window_in_seconds).toBeGreaterThanOrEqual(2);
    expect(aggregator.maximum_batching_window_in_seconds).toBeLessThanOrEqual(10);
  });

  it('defaults the aggregator to large batches over a few seconds, the others to 500 over 1 s', () => {
    // Prepare
    const defaults = pipeline.locals.mapping_defaults as Record<string, Record<string, number>>;

    // Assess
    expect(defaults).toEqual({
      batch_size: { default: 500, 'dynamodb-aggregator': 1000 },
      maximum_batching_window_in_seconds: { default: 1, 'dynamodb-aggregator': 5 },
    });
  });

  it.each(ONE_BATCH_PER_SHARD)('refuses a parallelization factor other than 1 for %s at plan time', (app) => {
    // Prepare
    const validations = pipeline.variables.consumers?.validation as HclBody[];

    // Act
    const rule = validations.find(
      (v) => String(v.condition).includes(`"${app}"`) && String(v.condition).includes('parallelization_factor'),
    );

    // Assess
    expect(String(rule?.condition)).toContain('== 1');
    expect(String(rule?.error_message)).toContain(app);
    expect(String(rule?.error_message)).toContain('parallelization_factor 1');
  });

  it('refuses aggregator batches under 1,000 records at plan time', () => {
    // Prepare
    const validations = pipeline.variables.consumers?.validation as HclBody[];

    // Act
    const rule = validations.find((v) => String(v.error_message).startsWith('dynamodb-aggregator needs batch_size'));

    // Assess
    expect(String(rule?.condition)).toContain('1000), 1000) >= 1000');
    expect(String(rule?.condition)).toContain('maximum_batching_window_in_seconds');
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

  it('keys the publish ledger by shard alone with expiresAt as TTL', () => {
    // Prepare
    const ledger = pipeline.modules.ledger_table as HclBody;

    // Assess
    expect(ledger).toMatchObject({ source: '../dynamodb-table', hash_key: 'shard', ttl_attribute: 'expiresAt' });
    expect(ledger).not.toHaveProperty('range_key');
    expect(wiringOf('enrichment')?.environment.ENRICHMENT_LEDGER_TABLE_NAME).toBe('${module.ledger_table.table_name}');
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

  it.each(APPS)('puts every custom metric %s emits on the dashboard', async (app) => {
    // Prepare
    const monitoring = await loadTerraformConfig(join(ROOT, 'terraform/modules/monitoring'));
    const common = (monitoring.locals.custom_metrics as { name: string }[]).map((m) => m.name);
    const own = (pipeline.locals.apps as Record<string, { metrics: string[] }>)[app]?.metrics ?? [];
    const middleware = readFileSync(join(ROOT, 'libs/middleware/src/kinesisBatchMiddleware.ts'), 'utf8');
    const emitted = (texts: string[]): string[] =>
      [...new Set(texts.flatMap((t) => [...t.matchAll(/addMetric\(\s*'([A-Za-z]+)'/g)].map((m) => m[1] as string)))].sort();

    // Act
    const shown = [...new Set([...common, ...own])].sort();

    // Assess
    expect(emitted([middleware])).toEqual([...common].sort());
    expect(emitted([middleware, ...appSources(app)])).toEqual(shown);
    expect((pipeline.modules.monitoring as HclBody).service_metrics).toBe(
      '${{ for app, a in local.apps : app => [for m in a.metrics : { name = m }] }}',
    );
  });

  it('alarms when enrichment falls back to at-least-once publishing', () => {
    // Prepare
    const alarm = pipeline.resources.aws_cloudwatch_metric_alarm?.ledger_errors as HclBody;

    // Assess
    expect(alarm).toMatchObject({
      namespace: 'Shardline',
      metric_name: 'LedgerErrors',
      dimensions: { service: 'enrichment' },
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      alarm_actions: ['${module.monitoring.alarm_topic_arn}'],
    });
  });
});
