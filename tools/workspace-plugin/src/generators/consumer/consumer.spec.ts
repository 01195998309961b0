import { addProjectConfiguration, readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CONTRACT_PATH, ConsumerOptionsError, consumerGenerator } from './consumer';

/** A workspace holding a pipeline contract with two streams and one consumer. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(
    CONTRACT_PATH,
    JSON.stringify({
      namespace: 'Shardline',
      streams: { raw: { description: 'in' }, enriched: { description: 'out' } },
      consumers: {
        enrichment: {
          stream: 'raw',
          description: 'enriches',
          settings: { default: {} },
          environment: {},
          metrics: {},
          access: [],
        },
      },
    }),
  );
  return tree;
}

describe('consumer generator', () => {
  it('creates the app in the house layout', async () => {
    // Prepare
    const tree = workspace();

    // Act
    await consumerGenerator(tree, { name: 'click-counter', stream: 'enriched' });

    // Assess
    for (const file of [
      'project.json',
      'README.md',
      'tsconfig.json',
      'jest.config.cjs',
      'eslint.config.mjs',
      'src/config.ts',
      'src/config.spec.ts',
      'src/handler.ts',
      'src/countEvents.ts',
      'src/countEvents.spec.ts',
      'src/handler.int.spec.ts',
    ])
      expect(tree.exists(`apps/click-counter/${file}`)).toBe(true);
    expect(tree.children('apps/click-counter/src')).toHaveLength(6);
  });

  it('names the shared build and package targets without copying their options', async () => {
    // Prepare
    const tree = workspace();

    // Act
    await consumerGenerator(tree, { name: 'click-counter', stream: 'enriched' });

    // Assess
    const project = readProjectConfiguration(tree, 'click-counter');
    expect(project.tags).toEqual(['type:app', 'scope:click-counter']);
    expect(project.projectType).toBe('application');
    expect(project.targets).toEqual({ build: {}, package: {}, typecheck: {} });
  });

  it('wires the handler to the kinesisConsumer chain with the schema of its stream', async () => {
    // Prepare
    const tree = workspace();

    // Act
    await consumerGenerator(tree, { name: 'click-counter', stream: 'enriched' });
    await consumerGenerator(tree, { name: 'raw-auditor', stream: 'raw' });

    // Assess
    const enriched = tree.read('apps/click-counter/src/handler.ts', 'utf8')!;
    expect(enriched).toContain('kinesisConsumer<EnrichedEvent>(');
    expect(enriched).toContain('schema: enrichedEventSchema');
    expect(enriched).toContain('metric.ClickCounterEvents');
    const raw = tree.read('apps/raw-auditor/src/handler.ts', 'utf8')!;
    expect(raw).toContain('kinesisConsumer<AdEvent>(');
    expect(raw).toContain('schema: adEventSchema');
    expect(tree.read('apps/raw-auditor/src/handler.int.spec.ts', 'utf8')).toContain('map((g) => g.event)');
    expect(tree.read('apps/raw-auditor/src/config.ts', 'utf8')).toContain(
      "export const CONSUMER = 'raw-auditor' satisfies ConsumerName;",
    );
  });

  it('declares the consumer in the pipeline contract, after the existing ones', async () => {
    // Prepare
    const tree = workspace();

    // Act
    await consumerGenerator(tree, {
      name: 'click-counter',
      stream: 'enriched',
      description: 'Counts clicks.',
    });

    // Assess
    const contract = readJson(tree, CONTRACT_PATH);
    expect(Object.keys(contract.consumers)).toEqual(['enrichment', 'click-counter']);
    expect(contract.consumers['click-counter']).toEqual({
      stream: 'enriched',
      description: 'Counts clicks.',
      settings: { default: {} },
      environment: {},
      metrics: { ClickCounterEvents: { stat: 'Sum' } },
      access: [],
    });
  });

  it.each([
    'ClickCounter',
    'click_counter',
    'click counter',
    '-click',
    'click-',
    'click--counter',
    '1click',
    '',
  ])('refuses the name %j, which is not kebab-case', async (name) => {
    // Prepare
    const tree = workspace();

    // Act
    const error = await consumerGenerator(tree, { name, stream: 'enriched' }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConsumerOptionsError);
    expect((error as Error).message).toMatch(/must be kebab-case/);
  });

  it('refuses a name longer than the AWS names derived from it allow', async () => {
    // Act
    const run = consumerGenerator(workspace(), { name: `c-${'x'.repeat(40)}`, stream: 'raw' });

    // Assess
    await expect(run).rejects.toThrow(/is 42 characters; at most 40/);
  });

  it('refuses a name the contract already declares', async () => {
    // Act
    const run = consumerGenerator(workspace(), { name: 'enrichment', stream: 'raw' });

    // Assess
    await expect(run).rejects.toThrow(`consumer 'enrichment' is already declared in ${CONTRACT_PATH}`);
  });

  it('refuses the name of another Nx project', async () => {
    // Prepare
    const tree = workspace();
    addProjectConfiguration(tree, 'contract', { root: 'libs/contract' });

    // Act
    const run = consumerGenerator(tree, { name: 'contract', stream: 'raw' });

    // Assess
    await expect(run).rejects.toThrow("'contract' is already the name of an Nx project");
  });

  it.each(['archive', 'Raw', ''])(
    'refuses the stream %j, which the contract does not declare',
    async (stream) => {
      // Act
      const run = consumerGenerator(workspace(), { name: 'click-counter', stream });

      // Assess
      await expect(run).rejects.toThrow(
        `--stream must be one of raw, enriched (the contract's streams), got '${stream}'`,
      );
    },
  );

  it('changes nothing when it refuses', async () => {
    // Prepare
    const tree = workspace();
    const before = tree.listChanges().map((c) => c.path);

    // Act
    await consumerGenerator(tree, { name: 'click-counter', stream: 'nope' }).catch(() => undefined);

    // Assess
    expect(tree.listChanges().map((c) => c.path)).toEqual(before);
    expect(tree.exists('apps/click-counter')).toBe(false);
  });

  it('says where the contract should be when the workspace has none', async () => {
    // Act
    const run = consumerGenerator(createTreeWithEmptyWorkspace(), { name: 'click-counter', stream: 'raw' });

    // Assess
    await expect(run).rejects.toThrow(`${CONTRACT_PATH} is missing`);
  });
});
