import { pipelineOutputs } from '@shardline/contract';
import type { PipelineSummary } from '../runPipeline';

/** Every output the contract declares was checked, and holds what it must. */
export function expectEveryOutputChecked(summary: PipelineSummary): void {
  const checked = summary.verification.outputs.map(
    (v) => `${v.output.kind} ${v.output.name} ${v.output.format}`,
  );
  expect(checked.sort()).toEqual(
    pipelineOutputs()
      .map((o) => `${o.kind} ${o.name} ${o.format}`)
      .sort(),
  );
  for (const verdict of summary.verification.outputs) {
    expect(verdict).toMatchObject({
      missing: 0,
      duplicated: 0,
      unexpected: 0,
      lost: 0,
      excess: 0,
      mismatches: 0,
    });
    // Events exactly once per record, documents once per identity (the generator's ids are distinct).
    if (verdict.output.format !== 'quarantine-messages') expect(verdict.holds).toBe(summary.valid);
  }
}
