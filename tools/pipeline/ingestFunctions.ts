import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contract, ingestNames, type IngestName } from '@shardline/contract';

/** The ingest functions the contract triggers by an HTTP API, in its order. */
export const httpIngestNames: IngestName[] = ingestNames.filter(
  (name) => contract.ingest[name].trigger === 'http-api',
);

/** Whether the contract declares an ingest function with this trigger. */
export function declaresTrigger(trigger: string): boolean {
  return ingestNames.some((name) => contract.ingest[name].trigger === trigger);
}

/** The bundle of an ingest function, as Nx builds it: dist/apps/<name>/index.js. */
export function ingestBundleOf(root: string, name: IngestName): string {
  return join(root, 'dist', 'apps', name, 'index.js');
}

/** Whether the workspace has the app of an ingest function (an Nx project in apps/<name>). */
export function hasApp(root: string, name: IngestName): boolean {
  return existsSync(join(root, 'apps', name, 'project.json'));
}
