import { cpuShareFor, nodeHeapFlagsFor } from './lambdaResources';

describe('cpuShareFor', () => {
  it('gives one vCPU at 1,769 MB and a proportional share below', () => {
    expect(cpuShareFor(1769)).toBe(1);
    expect(cpuShareFor(128)).toBeCloseTo(128 / 1769, 10);
    expect(1 / cpuShareFor(128)).toBeCloseTo(13.82, 2);
  });

  it('grows proportionally above one vCPU and never passes six', () => {
    expect(cpuShareFor(3538)).toBe(2);
    expect(cpuShareFor(10_240)).toBeCloseTo(5.79, 2);
    expect(cpuShareFor(10_240)).toBeLessThanOrEqual(6);
  });

  it('rejects a memory size Lambda does not accept', () => {
    expect(() => cpuShareFor(64)).toThrow('memory_size must be an integer from 128 to 10240 MB, got 64');
    expect(() => cpuShareFor(20_000)).toThrow(RangeError);
    expect(() => cpuShareFor(512.5)).toThrow(RangeError);
  });
});

describe('nodeHeapFlagsFor', () => {
  it("derives the heap limits as Lambda's Node.js bootstrap does", () => {
    expect(nodeHeapFlagsFor(128)).toEqual(['--max-semi-space-size=6', '--max-old-space-size=116']);
    expect(nodeHeapFlagsFor(1769)).toEqual(['--max-semi-space-size=88', '--max-old-space-size=1593']);
  });
});
