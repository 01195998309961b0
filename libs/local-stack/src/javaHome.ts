import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ENV } from './constants';
import { ArtefactError } from './errors';

/** The Java installation to use: OPENSEARCH_JAVA_HOME, then JAVA_HOME, then the `java` found on PATH. */
export function javaHome(): string {
  for (const name of [ENV.openSearchJavaHome, ENV.javaHome]) {
    const home = process.env[name];
    if (home && existsSync(join(home, 'bin', 'java'))) return home;
  }
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'java');
    if (directory && existsSync(candidate)) return dirname(dirname(realpathSync(candidate)));
  }
  throw new ArtefactError('no Java found: install Java 17 or set JAVA_HOME');
}

/** Path of the `java` executable of {@link javaHome}. */
export function javaExecutable(): string {
  return join(javaHome(), 'bin', 'java');
}
