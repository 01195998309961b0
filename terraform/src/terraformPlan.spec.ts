import { plannedResources, planTerraform, TerraformPlanError, type TerraformPlan } from './terraformPlan';

// The first plan on a machine builds OpenTofu and the offline AWS provider into the tools cache (OpenTofu
// alone took 3 to 57 minutes on a loaded 2-core machine).
const firstPlanMs = 60 * 60_000;

describe('planTerraform', () => {
  let plan: TerraformPlan;

  beforeAll(() => {
    plan = planTerraform('modules/queue/examples/basic');
  }, firstPlanMs);

  it('resolves the arguments a module passes and leaves computed values unknown', () => {
    // Prepare / Act: the example's plan, above.
    const queues = plannedResources(plan, 'aws_sqs_queue');

    // Assess
    expect(queues).toHaveLength(1);
    const queue = queues[0]!;
    expect(queue.address).toBe('module.queue.aws_sqs_queue.this');
    expect(queue.module).toBe('module.queue');
    expect(queue.values.name).toBe('example-quarantine');
    expect(queue.values.kms_data_key_reuse_period_seconds).toBe(3600);
    // The key is created by the same plan, so its ARN, and the queue's own, are known only after apply.
    expect(queue.unknown.kms_master_key_id).toBe(true);
    expect(queue.unknown.arn).toBe(true);
  });

  it('lists every resource the root creates, nested modules included', () => {
    // Prepare / Act: the example's plan, above.
    const addresses = plan.resources.filter((r) => r.mode === 'managed').map((r) => r.address);

    // Assess
    expect(addresses).toEqual(
      expect.arrayContaining(['aws_kms_key.example', 'module.queue.aws_sqs_queue.this', 'module.queue.aws_sqs_queue_policy.this']),
    );
  });

  it('returns the same plan for the same inputs without planning again', () => {
    // Prepare / Act
    const again = planTerraform('modules/queue/examples/basic');

    // Assess
    expect(again).toBe(plan);
  });

  it('names the root it cannot plan', () => {
    // Prepare / Act / Assess
    expect(() => planTerraform('modules/no-such-module')).toThrow(TerraformPlanError);
    expect(() => planTerraform('modules/no-such-module')).toThrow(/terraform\/modules\/no-such-module/);
  });
});
