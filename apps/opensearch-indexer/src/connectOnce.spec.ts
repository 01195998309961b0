import { connectOnce } from './connectOnce';

describe('connectOnce', () => {
  it('shares one successful attempt and retries after a failure', async () => {
    // Prepare
    let calls = 0;
    const connect = connectOnce(async () => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return calls;
    });

    // Act
    const first = await connect().catch((error: Error) => error.message);
    const [second, third] = await Promise.all([connect(), connect()]);

    // Assess
    expect(first).toBe('not yet');
    expect([second, third]).toEqual([2, 2]);
    expect(calls).toBe(2);
  });
});
