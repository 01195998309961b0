import { matchesFilterCriteria, matchesFilterPattern } from './matchesFilterPattern';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
describe('matchesFilterPattern', () => {
  const subject = {
    partitionKey: 'user-42',
    data: { type: 'Click', price: 12.5, tags: ['a', 'b'], nested: { empty: '', nothing: null } },
  };

  it.each<[string, Record<string, unknown>, boolean]>([
    ['equals', { data: { type: ['Click'] } }, true],
    ['equals, other value', { data: { type: ['View'] } }, false],
    ['OR within a list', { data: { type: ['View', 'Click'] } }, true],
    ['AND across keys', { data: { type: ['Click'], price: [1] } }, false],
    ['equals-ignore-case', { data: { type: [{ 'equals-ignore-case': 'click' }] } }, true],
    ['prefix', { partitionKey: [{ prefix: 'user-' }] }, true],
    ['suffix', { partitionKey: [{ suffix: '-41' }] }, false],
    ['anything-but', { data: { type: [{ 'anything-but': ['View'] }] } }, true],
    ['anything-but the value', { data: { type: [{ 'anything-but': 'Click' }] } }, false],
    ['numeric range', { data: { price: [{ numeric: ['>', 10, '<=', 20] }] } }, true],
    ['numeric range, outside', { data: { price: [{ numeric: ['>', 20] }] } }, false],
    ['exists', { data: { price: [{ exists: true }] } }, true],
    ['does not exist', { data: { missing: [{ exists: false }] } }, true],
    ['exists on a missing field', { data: { missing: [{ exists: true }] } }, false],
    ['empty string', { data: { nested: { empty: [''] } } }, true],
    ['null', { data: { nested: { nothing: [null] } } }, true],
    ['any element of an array', { data: { tags: ['b'] } }, true],
    ['a nested pattern on a missing object', { data: { nope: { x: ['1'] } } }, false],
  ])('%s', (_name, pattern, expected) => {
    // Act
    const matched = matchesFilterPattern(pattern, subject);

    // Assess
    expect(matched).toBe(expected);
  });

  it('lets every record through when there is no pattern, and ORs patterns otherwise', () => {
    // Act
    const none = matchesFilterCriteria([], subject);
    const either = matchesFilterCriteria(
      [{ data: { type: ['View'] } }, { partitionKey: ['user-42'] }],
      subject,
    );
    const neither = matchesFilterCriteria(
      [{ data: { type: ['View'] } }, { partitionKey: ['user-1'] }],
      subject,
    );

    // Assess
    expect([none, either, neither]).toEqual([true, true, false]);
  });
});
