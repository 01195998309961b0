import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  contract,
  ingestSettings,
  resolveEnvironment,
  type IngestName,
  type ResourceMap,
} from '@shardline/contract';
import { FunctionPool } from './FunctionPool';
import { httpIngestNames, ingestBundleOf } from './ingestFunctions';
import { startHttpApi, type AccessLogEntry, type HttpApi } from './HttpApiEmulator';
import { createDevIssuer, type DevIssuer } from './jwtAuthorizer';
import { LOCAL_ACCOUNT_ID, type PipelineTopology } from './localTopology';
import { ACCOUNT_THROTTLE, type ThrottleSettings } from './TokenBucket';

/** The route producers post events to (the ingest API's Terraform route, behind the JWT authorizer). */
export const INGEST_ROUTE_KEY = 'POST /v1/events';

/** One served ingest API. */
export interface ServedApi {
  name: IngestName;
  /** `http://127.0.0.1:<port>`; events go to `${url}/v1/events`. */
  url: string;
  /** `${url}/v1/events` */
  eventsUrl: string;
  api: HttpApi;
  pool: FunctionPool;
}

/** The local front door: every HTTP API ingest function behind an emulated API, and the dev issuer. */
export interface IngestFront {
  apis: ServedApi[];
  issuer: DevIssuer;
  /** A dev token the authorizer accepts (12 h). */
  token: string;
  stop(): Promise<void>;
}

/** Options of {@link startIngestApis}. */
export interface StartIngestApisOptions {
  root: string;
  topology: PipelineTopology;
  /** The contract's resources on the local stack (`localResources`). */
  resources: ResourceMap;
  /** The stack's endpoints and credentials (`stack.env()`). */
  stackEnv: Record<string, string>;
  region: string;
  /** Which functions to serve (default {@link httpIngestNames}). */
  names?: readonly IngestName[];
  /** A bundle per function instead of dist/apps/<name>/index.js (tests). */
  bundles?: Partial<Record<IngestName, string>>;
  logDir: string;
  /** Route throttling (default: the account's, 10,000/s with a burst of 5,000). */
  throttle?: ThrottleSettings;
  onAccess?: (name: IngestName, entry: AccessLogEntry) => void;
}

/**
 * Serves each HTTP API ingest function of the contract on 127.0.0.1 as API Gateway would: its bundle in
 * {@link FunctionPool} environments with its contract settings (memory, timeout) and its environment resolved on
 * the local stack, behind {@link startHttpApi} with a JWT authorizer that trusts a dev issuer made for this run.
 *
 * @example
 * ```ts
 * const front = await startIngestApis({ root, topology, resources, stackEnv, region, logDir });
 * console.log(`ingest api: ${front.apis[0].eventsUrl}`, `dev token: ${front.token}`);
 * ```
 */
export async function startIngestApis(options: StartIngestApisOptions): Promise<IngestFront> {
  const issuer = await createDevIssuer();
  const token = await issuer.issue();
  const apis: ServedApi[] = [];
  const pools: FunctionPool[] = [];
  const stop = async () => {
    await Promise.allSettled(apis.map((a) => a.api.stop()));
    await Promise.allSettled(pools.map((p) => p.stop()));
  };
  try {
    for (const name of options.names ?? httpIngestNames) {
      const settings = ingestSettings(name, options.topology.environment);
      const bundle = options.bundles?.[name] ?? ingestBundleOf(options.root, name);
      if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build ${name} first`);
      const pool = new FunctionPool({
        functionName: name,
        bundle,
        environment: {
          ...options.stackEnv,
          ...resolveEnvironment(name, 'local', options.topology.environment, options.resources),
          POWERTOOLS_SERVICE_NAME: name,
          POWERTOOLS_METRICS_NAMESPACE: contract.namespace,
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
        },
        memorySize: settings.memory_size,
        logFile: join(options.logDir, `${name}.log`),
        cwd: options.root,
      });
      pools.push(pool);
      await pool.warm();
      const api = await startHttpApi({
        routeKey: INGEST_ROUTE_KEY,
        functionName: name,
        invoke: (event, context) => pool.invoke(event, context),
        functionTimeoutSeconds: settings.timeout_seconds,
        memorySize: settings.memory_size,
        // As Terraform's route: issuer and audiences, no authorization scopes.
        authorizer: { issuer: issuer.issuer, audience: [issuer.audience], jwks: issuer.jwks },
        throttle: options.throttle ?? ACCOUNT_THROTTLE,
        accountId: LOCAL_ACCOUNT_ID,
        region: options.region,
        apiId: `${options.topology.prefix}-${name}`,
        ...(options.onAccess ? { onAccess: (entry: AccessLogEntry) => options.onAccess!(name, entry) } : {}),
      });
      apis.push({ name, url: api.url, eventsUrl: `${api.url}${INGEST_ROUTE_KEY.split(' ')[1]}`, api, pool });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { apis, issuer, token, stop };
}
