import { join, resolve } from 'node:path';
import { contract, ingestNames, ingestSettings, parameterValue, type IngestName } from '@shardline/contract';
import { loadTerraformConfig, type HclBody, type TerraformConfig } from './terraformConfig';
import { plannedResources, planTerraform, type PlannedResource, type TerraformPlan } from './terraformPlan';

// The HTTPS ingestion API (terraform/modules/http-ingest) as the dev root plans it: one per ingest function of the
// contract with trigger http-api, never an anonymous route, the function reachable from its API's routes only.
const ROOT = resolve(__dirname, '..', '..');
const firstPlanMs = 60 * 60_000;
const JWT = '-var=http_ingest={jwt={issuer="https://issuer.example.com/",audiences=["shardline-ingest"]},cors_allowed_origins=["https://game.example.com"]}';
const httpApis = ingestNames.filter(
  (name) => (contract.ingest as Record<IngestName, { trigger: string }>)[name].trigger === 'http-api',
);

let dev: TerraformPlan;
let withJwt: TerraformPlan;
let ingestModule: TerraformConfig;

const inModule = (plan: TerraformPlan, type: string, app: string): PlannedResource[] =>
  plannedResources(plan, type).filter((r) => r.module === `module.pipeline.module.http_ingest["${app}"]`);
// The function, its log group, role and policy: the lambda-function module the http-ingest module calls.
const inFunction = (plan: TerraformPlan, type: string, app: string): PlannedResource[] =>
  plannedResources(plan, type).filter((r) => r.module === `module.pipeline.module.http_ingest["${app}"].module.function`);

beforeAll(async () => {
  dev = planTerraform('environments/dev');
  withJwt = planTerraform('environments/dev', [JWT]);
  ingestModule = await loadTerraformConfig(join(ROOT, 'terraform/modules/http-ingest'));
}, firstPlanMs);

describe('the HTTPS ingestion API', () => {
  it('deploys one HTTP API and function per http-api ingest function, sized by the contract', () => {
    // Prepare
    const apis = plannedResources(dev, 'aws_apigatewayv2_api');

    // Assess
    expect(httpApis).toEqual(['ingest-api']);
    expect(apis.map((a) => [a.module, a.values.protocol_type])).toEqual(
      httpApis.map((app) => [`module.pipeline.module.http_ingest["${app}"]`, 'HTTP']),
    );
    for (const app of httpApis) {
      const fn = inFunction(dev, 'aws_lambda_function', app)[0]!;
      const settings = ingestSettings(app, 'dev');
      expect(fn.values).toMatchObject({
        function_name: `shardline-dev-${app}`,
        memory_size: settings.memory_size,
        timeout: settings.timeout_seconds,
        reserved_concurrent_executions: settings.reserved_concurrency,
        architectures: ['arm64'],
        handler: 'index.handler',
      });
      expect(settings.timeout_seconds).toBeLessThan(30);
    }
  });

  it('gives the function its limits from the contract parameters', () => {
    // Prepare
    const fn = inFunction(dev, 'aws_lambda_function', 'ingest-api')[0]!;
    const variables = ((fn.values.environment as HclBody[])[0] as { variables: Record<string, string> }).variables;

    // Assess
    expect(variables).toMatchObject({
      INGEST_MAX_BODY_BYTES: String(parameterValue('ingest_max_body_bytes', 'dev')),
      INGEST_MAX_EVENTS: String(parameterValue('ingest_max_events', 'dev')),
      INGEST_MAX_EVENT_BYTES: String(parameterValue('ingest_max_event_bytes', 'dev')),
      POWERTOOLS_SERVICE_NAME: 'ingest-api',
    });
  });

  it('has no anonymous route: SigV4 only by default, and the JWT route once an issuer is configured', () => {
    // Prepare
    const routesOf = (plan: TerraformPlan) =>
      inModule(plan, 'aws_apigatewayv2_route', 'ingest-api')
        .map((r) => [r.values.route_key, r.values.authorization_type])
        .sort();
    const authorizer = inModule(withJwt, 'aws_apigatewayv2_authorizer', 'ingest-api')[0]!;

    // Assess
    expect(routesOf(dev)).toEqual([['POST /v1/iam/events', 'AWS_IAM']]);
    expect(inModule(dev, 'aws_apigatewayv2_authorizer', 'ingest-api')).toEqual([]);
    expect(routesOf(withJwt)).toEqual([
      ['POST /v1/events', 'JWT'],
      ['POST /v1/iam/events', 'AWS_IAM'],
    ]);
    expect(authorizer.values).toMatchObject({
      authorizer_type: 'JWT',
      identity_sources: ['$request.header.Authorization'],
      jwt_configuration: [{ issuer: 'https://issuer.example.com/', audience: ['shardline-ingest'] }],
    });
  });

  it('answers CORS only for the configured origins', () => {
    // Prepare
    const cors = (plan: TerraformPlan) =>
      inModule(plan, 'aws_apigatewayv2_api', 'ingest-api')[0]!.values.cors_configuration;

    // Assess
    expect(cors(dev)).toEqual([]);
    expect(cors(withJwt)).toEqual([
      expect.objectContaining({ allow_origins: ['https://game.example.com'], allow_methods: ['POST'] }),
    ]);
  });

  it('throttles the stage and each route, and writes JSON access logs to an encrypted log group', () => {
    // Prepare
    const stage = inModule(withJwt, 'aws_apigatewayv2_stage', 'ingest-api')[0]!;
    const logs = [
      ...inModule(withJwt, 'aws_cloudwatch_log_group', 'ingest-api'),
      ...inFunction(withJwt, 'aws_cloudwatch_log_group', 'ingest-api'),
    ];
    const settings = stage.values.default_route_settings as HclBody[];
    const routes = stage.values.route_settings as HclBody[];
    const access = (stage.values.access_log_settings as { format: string }[])[0]!;

    // Assess
    expect(stage.values.name).toBe('$default');
    expect(settings[0]).toMatchObject({ throttling_rate_limit: 50, throttling_burst_limit: 100 });
    expect(routes.map((r) => [r.route_key, r.throttling_rate_limit, r.throttling_burst_limit]).sort()).toEqual([
      ['POST /v1/events', 50, 100],
      ['POST /v1/iam/events', 50, 100],
    ]);
    expect(JSON.parse(access.format)).toMatchObject({ status: '$context.status', requestId: '$context.requestId' });
    expect(logs.map((l) => l.values.name).sort()).toEqual([
      '/aws/apigateway/shardline-dev-ingest-api',
      '/aws/lambda/shardline-dev-ingest-api',
    ]);
    for (const log of logs) expect(log.unknown.kms_key_id).toBe(true);
  });

  it('lets only its own API routes invoke the function (the resource-based policy of the push model)', () => {
    // Prepare
    const permissions = inModule(withJwt, 'aws_lambda_permission', 'ingest-api');
    const permission = ingestModule.resources.aws_lambda_permission?.this as HclBody;

    // Assess
    expect(permissions.map((p) => [p.values.principal, p.values.action])).toEqual([
      ['apigateway.amazonaws.com', 'lambda:InvokeFunction'],
      ['apigateway.amazonaws.com', 'lambda:InvokeFunction'],
    ]);
    expect(permission.source_arn).toBe(
      '${aws_apigatewayv2_api.this.execution_arn}/${aws_apigatewayv2_stage.this.name}/POST${each.value.path}',
    );
  });

  it('gives the role the contract access and nothing of the consumers’', () => {
    // Prepare
    const call = ingestModule.modules.function as HclBody;
    const document = plannedResources(dev, 'aws_iam_policy_document', 'data').find(
      (r) => r.module === 'module.pipeline.module.http_ingest["ingest-api"].module.function',
    )!;
    const statements = document.values.statement as { sid: string; actions: string[] }[];

    // Assess: the lambda-function module's own statements (logs, key, traces) and the contract's, no other
    expect(call.source).toBe('../lambda-function');
    expect(call.invocation_statements).toBeUndefined();
    expect(call.use_pipeline_key).toBeUndefined();
    expect(call.policy_statements).toBe('${var.policy_statements}');
    expect(statements.flatMap((s) => s.actions).sort()).toEqual([
      'kinesis:PutRecords',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(statements.map((s) => s.sid)).toEqual(['WriteOwnLogs', 'UsePipelineKey', 'WriteTraces', 'PutRawEvents']);
    expect(contract.ingest['ingest-api'].access).toEqual([
      { sid: 'PutRawEvents', actions: ['kinesis:PutRecords'], resources: [{ stream: 'raw' }] },
    ]);
  });

  it('alarms on 5xx, throttled requests, function errors and throttles, and on retryable events', () => {
    // Prepare
    const names = plannedResources(dev, 'aws_cloudwatch_metric_alarm').map((a) => a.values.alarm_name);

    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'shardline-dev-ingest-api-5xx',
        'shardline-dev-ingest-api-throttled-requests',
        'shardline-dev-ingest-api-errors',
        'shardline-dev-ingest-api-throttles',
        'shardline-dev-ingest-api-events-retryable',
      ]),
    );
  });
});
