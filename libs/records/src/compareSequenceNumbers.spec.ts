import { compareSequenceNumbers } from './compareSequenceNumbers';

describe('compareSequenceNumbers', () => {
  it('orders sequence numbers numerically, not as text', () => {
    // Act
    const sorted = ['49590338271490256608559692538361571095921575989136588900', '9', '100', '10'].sort(
      compareSequenceNumbers,
    );
    // Assess
    expect(sorted).toEqual(['9', '10', '100', '49590338271490256608559692538361571095921575989136588900']);
    expect(compareSequenceNumbers('42', '42')).toBe(0);
  });
});
