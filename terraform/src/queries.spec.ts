import { functionNames, isConsumer } from '@shardline/contract';
import { plannedResources, planTerraform, type TerraformPlan } from './terraformPlan';

// The first plan on a machine builds OpenTofu and the offline AWS provider into the tools cache.
const firstPlanMs = 60 * 60_000;

describe('saved Logs Insights queries', () => {
  let plan: TerraformPlan;

  beforeAll(() => {
    plan = planTerraform('environments/dev');
  }, firstPlanMs);

  it('saves each operator question once, in the dashboard’s folder, over every consumer’s log group', () => {
    // Prepare
    const queries = plannedResources(plan, 'aws_cloudwatch_query_definition');
    const consumerGroups = functionNames.filter(isConsumer).map((fn) => `/aws/lambda/shardline-dev-${fn}`);

    // Assess
    expect(queries.map((q) => q.values.name).sort()).toEqual([
      'shardline-dev/errors-by-shard',
      'shardline-dev/quarantined-by-reason',
      'shardline-dev/slowest-invocations',
      'shardline-dev/timeouts-and-crashes',
    ]);
    for (const q of queries) {
      expect([...(q.values.log_group_names as string[])].sort()).toEqual(expect.arrayContaining(consumerGroups));
    }
  });

  it('groups quarantined records by the keys the consumer middleware logs', () => {
    // Prepare
    const query = plannedResources(plan, 'aws_cloudwatch_query_definition').find(
      (q) => q.values.name === 'shardline-dev/quarantined-by-reason',
    )!;
    const text = query.values.query_string as string;

    // Assess: the message and keys of libs/middleware's one line per reason.
    expect(text).toContain('filter message = "records quarantined"');
    expect(text).toContain('stats sum(count) as records by service, reason');
  });
});
