// Fixture process: starts a managed `sleep`, prints its pid, then waits to be signalled or killed.
import { ManagedProcess } from '../ManagedProcess';

const sleeper = ManagedProcess.spawn({ name: 'sleeper', command: 'sleep', args: ['300'] });
console.log(`sleeper ${String(sleeper.pid)}`);
setInterval(() => undefined, 60_000);
