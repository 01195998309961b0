import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, platform } from 'node:os';
import { join } from 'node:path';

/** The cgroup filesystem, unless `SHARDLINE_CGROUP_ROOT` names another mount point. */
export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

const CFS_PERIOD_US = 100_000;
// The kernel refuses quotas under 1 ms per period.
const MIN_QUOTA_US = 1_000;
// 100x a default process's CPU weight: on a busy machine the environment still gets its share, and its quota
// (not its neighbours) bounds it, as Lambda's reserved share does.
const WEIGHT_V1 = 102_400;
const WEIGHT_V2 = 10_000;
const PREFIX = 'shardline-env';

/** Where execution environments' cgroups can be made, or why they cannot. */
export type CgroupSupport =
  | { available: true; version: 1; cpuParent: string; memoryParent: string }
  | { available: true; version: 2; parent: string }
  | { available: false; reason: string };

/** The limits of one execution environment. */
export interface EnvironmentLimits {
  /** vCPUs (cpuShareFor); capped at the machine's cores by the caller. */
  cpuShare: number;
  memoryMB: number;
}

/** The cores this machine has, the most CPU a quota can give. */
export function machineCores(): number {
  return availableParallelism();
}

function ownCgroupPath(controller: string | undefined): string {
  // /proc/self/cgroup: "4:memory:/a/b" (v1), "0::/a/b" (v2). Environments nest under this process's own cgroup,
  // so they stay inside whatever limits the machine already puts on it.
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  for (const line of lines) {
    const [, controllers = '', path = '/'] = line.split(':');
    if (controller === undefined ? controllers === '' : controllers.split(',').includes(controller))
      return path;
  }
  return '/';
}

function write(path: string, value: string): void {
  writeFileSync(path, value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function removeStale(parent: string): void {
  // Leftovers of a runner that was killed before it could remove them: shardline-env-<pid>-<n>.
  for (const name of readdirSync(parent)) {
    const pid = new RegExp(`^${PREFIX}-(\\d+)-\\d+$`).exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      try {
        rmdirSync(join(parent, name));
      } catch {
        // still has processes or already gone: not ours to force
      }
    }
  }
}

/**
 * Finds out whether this process can give child processes a CPU quota and a memory limit: cgroup v1 (cpu and
 * memory controllers) or v2 (cpu and memory enabled for children), by creating and removing a probe cgroup with
 * both limits. Never throws: a machine without them gets the reason.
 */
export function detectCgroupSupport(root: string = DEFAULT_CGROUP_ROOT): CgroupSupport {
  if (platform() !== 'linux')
    return { available: false, reason: `cgroups are Linux only (this is ${platform()})` };
  let support: CgroupSupport;
  try {
    if (
      existsSync(join(root, 'cpu', 'cpu.cfs_quota_us')) &&
      existsSync(join(root, 'memory', 'memory.limit_in_bytes'))
    ) {
      support = {
        available: true,
        version: 1,
        cpuParent: join(root, 'cpu', ownCgroupPath('cpu')),
        memoryParent: join(root, 'memory', ownCgroupPath('memory')),
      };
    } else if (existsSync(join(root, 'cgroup.controllers'))) {
      const parent = join(root, ownCgroupPath(undefined));
      const controllers = readFileSync(join(parent, 'cgroup.controllers'), 'utf8').split(/\s+/);
      const missing = ['cpu', 'memory'].filter((c) => !controllers.includes(c));
      if (missing.length > 0) {
        return {
          available: false,
          reason: `cgroup ${parent} is not delegated the ${missing.join(' and ')} controller`,
        };
      }
      // Fails (EBUSY) when the parent holds processes itself and is not the root: cgroup v2's no-internal-processes rule.
      write(join(parent, 'cgroup.subtree_control'), '+cpu +memory');
      support = { available: true, version: 2, parent };
    } else {
      return { available: false, reason: `no cgroup v1 cpu/memory controllers or cgroup v2 at ${root}` };
    }
    const probe = new EnvironmentCgroup(support, 'probe', { cpuShare: 0.5, memoryMB: 128 });
    probe.remove();
    for (const parent of support.version === 1
      ? [support.cpuParent, support.memoryParent]
      : [support.parent]) {
      removeStale(parent);
    }
    return support;
  } catch (error) {
    return { available: false, reason: describe(error) };
  }
}

let nextId = 1;

/**
 * The cgroup(s) of one execution environment: a CPU quota of its share per 100 ms period and a memory limit of its
 * memory size (no swap), which the kernel enforces by killing the process (SIGKILL), as Lambda's sandbox does.
 */
export class EnvironmentCgroup {
  /** The `cgroup.procs` files a process writes its pid to, to enter the cgroup(s). */
  readonly procsFiles: string[];
  private readonly directories: string[];

  constructor(support: CgroupSupport & { available: true }, label: string, limits: EnvironmentLimits) {
    const name = `${PREFIX}-${process.pid}-${nextId++}`;
    const quotaUs = String(Math.max(MIN_QUOTA_US, Math.round(limits.cpuShare * CFS_PERIOD_US)));
    const memoryBytes = String(limits.memoryMB * 1024 * 1024);
    this.directories = [];
    const make = (parent: string, file: string): string => {
      const directory = join(parent, name);
      mkdirSync(directory);
      this.directories.push(directory);
      // A plain directory would accept any file written into it: a cgroup creates its interface files itself.
      if (!existsSync(join(directory, file))) {
        throw new Error(
          `${parent} is not a cgroup with the controller of ${file} (creating ${label}'s cgroup)`,
        );
      }
      return directory;
    };
    try {
      if (support.version === 1) {
        const cpu = make(support.cpuParent, 'cpu.cfs_quota_us');
        write(join(cpu, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
        write(join(cpu, 'cpu.cfs_quota_us'), quotaUs);
        write(join(cpu, 'cpu.shares'), String(WEIGHT_V1));
        const memory = make(support.memoryParent, 'memory.limit_in_bytes');
        write(join(memory, 'memory.limit_in_bytes'), memoryBytes);
        if (existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) {
          write(join(memory, 'memory.memsw.limit_in_bytes'), memoryBytes);
        }
        this.procsFiles = [join(cpu, 'cgroup.procs'), join(memory, 'cgroup.procs')];
      } else {
        const directory = make(support.parent, 'cpu.max');
        write(join(directory, 'cpu.max'), `${quotaUs} ${CFS_PERIOD_US}`);
        write(join(directory, 'cpu.weight'), String(WEIGHT_V2));
        write(join(directory, 'memory.max'), memoryBytes);
        if (existsSync(join(directory, 'memory.swap.max'))) write(join(directory, 'memory.swap.max'), '0');
        this.procsFiles = [join(directory, 'cgroup.procs')];
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  /** Removes the cgroup(s); call once the process in them has exited. */
  remove(): void {
    for (const directory of this.directories.splice(0)) {
      try {
        rmdirSync(directory);
      } catch {
        // The kernel may still be tearing the exited process down; a later run's detection removes it.
      }
    }
  }
}
