import { DeployError, functionModuleAddress, planDeploy, type DeployRequest } from './deploy';

const request = (overrides: Partial<DeployRequest> = {}): DeployRequest => ({
  environment: 'dev',
  affectedProjects: [],
  infrastructureChanged: false,
  planOnly: false,
  terraform: 'terraform',
  hasBackendConfig: true,
  ...overrides,
});

describe('planDeploy', () => {
  it('applies only the function modules of the affected apps', () => {
    // Prepare
    const affected = ['enrichment', 'terraform', 'records', 'opensearch-indexer'];

    // Act
    const plan = planDeploy(request({ affectedProjects: affected }));

    // Assess
    expect(plan.apps).toEqual(['enrichment', 'opensearch-indexer']);
    const applies = plan.steps.filter((s) => s.command[1] === 'apply').map((s) => s.command);
    expect(applies).toEqual([
      [
        'terraform',
        'apply',
        '-input=false',
        '-auto-approve',
        '-target=module.pipeline.module.consumer["enrichment"]',
      ],
      [
        'terraform',
        'apply',
        '-input=false',
        '-auto-approve',
        '-target=module.pipeline.module.consumer["opensearch-indexer"]',
      ],
    ]);
    expect(
      plan.steps.every((s) => s.command[0] !== 'terraform' || s.cwd === 'terraform/environments/dev'),
    ).toBe(true);
    expect(plan.summary).toBe('apply enrichment, opensearch-indexer in dev');
  });

  it('packages before it initialises and applies', () => {
    // Act
    const plan = planDeploy(request({ affectedProjects: ['s3-archiver'] }));

    // Assess
    expect(plan.steps.map((s) => s.command.slice(0, 3).join(' '))).toEqual([
      'npx nx run-many',
      'terraform init -input=false',
      'terraform apply -input=false',
    ]);
    expect(plan.steps[0]?.command).toEqual(['npx', 'nx', 'run-many', '-t', 'package']);
    expect(plan.steps[1]?.command).toContain('-backend-config=backend.hcl');
  });

  it('plans instead of applying when asked, without auto-approve', () => {
    // Act
    const plan = planDeploy(
      request({ affectedProjects: ['dynamodb-aggregator'], planOnly: true, terraform: 'tofu' }),
    );

    // Assess
    const last = plan.steps.at(-1)?.command;
    expect(last).toEqual([
      'tofu',
      'plan',
      '-input=false',
      '-target=module.pipeline.module.consumer["dynamodb-aggregator"]',
    ]);
  });

  it('applies the whole environment when the Terraform itself changed', () => {
    // Act
    const plan = planDeploy(
      request({ environment: 'prod', affectedProjects: ['enrichment'], infrastructureChanged: true }),
    );

    // Assess
    const applies = plan.steps.filter((s) => s.command[1] === 'apply');
    expect(applies).toHaveLength(1);
    expect(applies[0]?.command.some((a) => a.startsWith('-target'))).toBe(false);
    expect(applies[0]?.cwd).toBe('terraform/environments/prod');
  });

  it('does nothing when no app and no Terraform changed', () => {
    // Act
    const plan = planDeploy(request({ affectedProjects: ['records', 'schema'] }));

    // Assess
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toContain('nothing to deploy');
  });

  it('refuses an environment name that is not a plain word', () => {
    // Act
    const act = () => planDeploy(request({ environment: '../prod' }));

    // Assess
    expect(act).toThrow(DeployError);
  });

  it('addresses the consumer module instance keyed by the app name', () => {
    // Assess
    expect(functionModuleAddress('s3-archiver')).toBe('module.pipeline.module.consumer["s3-archiver"]');
  });

  it('deploys the HTTPS ingestion API through the module of its trigger', () => {
    // Act
    const plan = planDeploy(request({ affectedProjects: ['ingest-api', 'dynamodb-aggregator'] }));

    // Assess
    expect(plan.apps).toEqual(['dynamodb-aggregator', 'ingest-api']);
    expect(plan.steps.filter((s) => s.command[1] === 'apply').map((s) => s.command.at(-1))).toEqual([
      '-target=module.pipeline.module.consumer["dynamodb-aggregator"]',
      '-target=module.pipeline.module.http_ingest["ingest-api"]',
    ]);
  });

  it('deploys the S3 inbox importer through the inbox module', () => {
    // Act
    const plan = planDeploy(request({ affectedProjects: ['s3-import'] }));

    // Assess
    expect(plan.apps).toEqual(['s3-import']);
    expect(plan.steps.filter((s) => s.command[1] === 'apply').map((s) => s.command.at(-1))).toEqual([
      '-target=module.pipeline.module.s3_inbox["s3-import"]',
    ]);
  });

  it('names an app that is no function of the contract instead of guessing its module', () => {
    // Act
    const act = () => functionModuleAddress('records');

    // Assess
    expect(act).toThrow(new DeployError('"records" is not a function of the pipeline contract'));
  });
});
