/**
 * What Lambda gives an execution environment for its configured memory: the CPU share and the Node.js heap
 * limits of the managed runtime. One place for these facts; the cgroup limits and the host's flags derive from it.
 */

/** Lambda's memory range, MB. */
export const LAMBDA_MEMORY_MIN_MB = 128;
export const LAMBDA_MEMORY_MAX_MB = 10_240;

/** The memory size at which a function has one full vCPU. */
export const MEMORY_MB_PER_VCPU = 1_769;

/** The most vCPUs a function gets (at 10,240 MB). */
export const MAX_VCPUS = 6;

function checkMemory(memoryMB: number): void {
  if (!Number.isInteger(memoryMB) || memoryMB < LAMBDA_MEMORY_MIN_MB || memoryMB > LAMBDA_MEMORY_MAX_MB) {
    throw new RangeError(
      `memory_size must be an integer from ${LAMBDA_MEMORY_MIN_MB} to ${LAMBDA_MEMORY_MAX_MB} MB, got ${memoryMB}`,
    );
  }
}

/**
 * The CPU Lambda gives a function of `memoryMB`, in vCPUs: proportional to memory, one vCPU at 1,769 MB, at most 6.
 * At 10,240 MB this is 5.79 vCPUs of CPU time, which Lambda spreads over 6 vCPUs.
 *
 * @example
 * ```ts
 * cpuShareFor(1769); // 1
 * cpuShareFor(128); // 0.0724 (1/13.8 of a core)
 * ```
 */
export function cpuShareFor(memoryMB: number): number {
  checkMemory(memoryMB);
  return Math.min(MAX_VCPUS, memoryMB / MEMORY_MB_PER_VCPU);
}

/**
 * The V8 heap flags Lambda's Node.js runtime starts with (its `bootstrap` in aws-lambda-base-images: new space a
 * tenth of the memory, semi-space half of that, old space the rest), so a heap that outgrows them fails here as
 * it does there.
 *
 * @example
 * ```ts
 * nodeHeapFlagsFor(512); // ['--max-semi-space-size=25', '--max-old-space-size=461']
 * ```
 */
export function nodeHeapFlagsFor(memoryMB: number): string[] {
  checkMemory(memoryMB);
  const newSpace = Math.floor(memoryMB / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMB - newSpace}`];
}
