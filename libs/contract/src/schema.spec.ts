import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractJsonSchema, parseReference } from './schema';

describe('the contract schema', () => {
  it('is committed as pipeline.schema.json for editors, up to date', () => {
    // Prepare
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'pipeline.schema.json'), 'utf8'));

    // Assess
    expect(committed).toEqual(contractJsonSchema());
  });

  it('reads a resource reference, an access resource and a parameter into one form', () => {
    // Assess
    expect(parseReference({ table: 'campaigns', attribute: 'name' })).toEqual({
      kind: 'table',
      name: 'campaigns',
      attribute: 'name',
    });
    expect(parseReference({ 'bucket-prefix': 'archive' }, 'arn')).toEqual({
      kind: 'bucket-prefix',
      name: 'archive',
      attribute: 'arn',
    });
    expect(parseReference({ parameter: 'timeout_guard_ms', only: 'aws' })).toEqual({
      parameter: 'timeout_guard_ms',
      only: 'aws',
    });
  });

  it('refuses a reference naming two kinds', () => {
    // Assess
    expect(() => parseReference({ table: 'a', queue: 'b', attribute: 'name' })).toThrow(
      'names more than one resource kind',
    );
  });
});
