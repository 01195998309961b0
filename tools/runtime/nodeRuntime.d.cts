/**
 * The Node.js major the functions deploy to, declared once in the repository's `.nvmrc`.
 *
 * Everything that depends on it reads that file: Terraform's Lambda runtime (`nodejs<major>.x`, with `file()`),
 * the bundles' esbuild target (`node<major>`, `esbuild.config.cjs` beside this file), the Node that `npm test`,
 * `npm start` and `npm run bench` run on (`with-node.sh` beside this file), nvm and `actions/setup-node`.
 */

/** The file that declares the Node major, at the workspace root. */
export declare const NODE_RUNTIME_FILE: string;

/** The runtime the functions deploy to, in the forms each tool wants it. */
export interface NodeRuntime {
  /** The Node.js major, e.g. 22. */
  readonly major: number;
  /** Lambda's runtime identifier, e.g. `nodejs22.x`. */
  readonly lambdaRuntime: string;
  /** esbuild's `target`, e.g. `node22`. */
  readonly esbuildTarget: string;
}

/**
 * Parses the text of `.nvmrc`: a bare major (`22`) and nothing else, because Terraform interpolates it as is.
 * Anything else throws, naming `file`.
 *
 * @example
 * ```ts
 * parseNodeRuntime('22\n').lambdaRuntime; // 'nodejs22.x'
 * ```
 */
export declare function parseNodeRuntime(text: string, file?: string): NodeRuntime;

/**
 * Reads the workspace's Node runtime from `.nvmrc`.
 *
 * @example
 * ```ts
 * const { esbuildTarget } = readNodeRuntime(); // 'node22'
 * ```
 */
export declare function readNodeRuntime(file?: string): NodeRuntime;
