import { documentId } from './documentId';

describe('documentId', () => {
  it('derives the same bounded id from the same identity on every call', () => {
    // Prepare
    const source = `//shop.example/${'x'.repeat(1_000)}`;

    // Act
    const first = documentId(source, 'evt-1');
    const second = documentId(source, 'evt-1');

    // Assess
    expect(first).toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps identities apart that a plain concatenation would merge', () => {
    // Act
    const a = documentId('src:a', 'b');
    const b = documentId('src:', 'ab');

    // Assess
    expect(a).not.toBe(b);
  });
});
