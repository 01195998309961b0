import { describeValue, pointerSegment } from './describeValue';
import { formatIssues } from './formatIssues';

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['bad id!', "'bad id!'"],
    ['say "hi"', `'say "hi"'`],
    ["it's", "'it\\'s'"],
    ['line\nbreak', "'line\\nbreak'"],
    [42, '42'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [10n, '10n'],
    [() => 1, 'a function'],
  ])('renders %p as %s', (value, expected) => {
    // Act
    const shown = describeValue(value);

    // Assess
    expect(shown).toBe(expected);
  });

  it('truncates a long string and tells its length', () => {
    // Act
    const shown = describeValue('x'.repeat(1000));

    // Assess
    expect(shown).toBe(`'${'x'.repeat(64)}…' (1000 characters)`);
  });
});

describe('pointerSegment', () => {
  it('escapes ~ and / as RFC 6901 requires', () => {
    // Act
    const segment = pointerSegment('a~b/c');

    // Assess
    expect(segment).toBe('a~0b~1c');
  });
});

describe('formatIssues', () => {
  it('joins issues into one line and names the root', () => {
    // Act
    const text = formatIssues([
      { path: '', message: 'must be an object (got null)' },
      { path: '/data/userId', message: 'is required' },
    ]);

    // Assess
    expect(text).toBe('(root) must be an object (got null); /data/userId is required');
  });
});
