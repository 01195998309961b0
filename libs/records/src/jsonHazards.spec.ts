import { findExcessDepth, findForbiddenKey, mayHoldForbiddenKey } from './jsonHazards';

describe('findExcessDepth', () => {
  it('reports the offset of the first opener beyond the limit', () => {
    // Act and assess
    expect(findExcessDepth('{"a":[{"b":[1]}],"c":[[[[]]]]}', 3)).toBe(11);
  });

  it('ignores openers inside strings, escaped quotes included', () => {
    // Act and assess
    expect(findExcessDepth(JSON.stringify({ a: '\\"[[[[[[', b: '{{{{' }), 2)).toBe(-1);
  });
});

describe('mayHoldForbiddenKey', () => {
  it('flags literal forbidden words and unicode escapes, and nothing else', () => {
    // Act and assess
    expect(
      ['{"__proto__":1}', '{"x":"constructor"}', '{"\\u0041":1}', '{"plain":1}', '{"constructors":1}'].map(
        mayHoldForbiddenKey,
      ),
    ).toEqual([true, true, true, false, false]);
  });
});

describe('findForbiddenKey', () => {
  it('finds an own forbidden key deep inside arrays and objects', () => {
    // Prepare
    const value = JSON.parse('{"a":[1,{"b":{"constructor":{}}}]}') as unknown;

    // Act and assess
    expect(findForbiddenKey(value)).toEqual({ path: '$.a[1].b', key: 'constructor' });
  });

  it('ignores inherited properties of ordinary objects', () => {
    // Act and assess
    expect(findForbiddenKey({ a: { b: [] } })).toBeUndefined();
  });
});
