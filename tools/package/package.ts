/**
 * Packages one app's esbuild bundle as a Lambda deployment zip, byte-for-byte reproducible.
 *
 *   tsx tools/package/package.ts <app>
 *
 * Reads dist/apps/<app>/index.js and index.js.map (written by `nx run <app>:build`), writes
 * dist/packages/<app>.zip and prints its path, size and base64 SHA-256 (the value Terraform's
 * filebase64sha256() computes, so it can be compared with a plan's source_code_hash).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createDeterministicZip } from './zip';

/** Files of a bundle that go into the zip, in the bundle's output directory. */
export const BUNDLE_FILES = ['index.js', 'index.js.map'] as const;

/** What {@link packageApp} wrote. */
export interface PackageResult {
  readonly app: string;
  readonly zipPath: string;
  readonly bytes: number;
  readonly sha256Base64: string;
}

/**
 * Zips dist/apps/<app>/{index.js,index.js.map} into dist/packages/<app>.zip under `workspaceRoot`.
 *
 * @example
 * ```ts
 * const result = packageApp('enrichment', process.cwd());
 * console.log(result.sha256Base64);
 * ```
 */
export function packageApp(app: string, workspaceRoot: string): PackageResult {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app)) throw new Error(`invalid app name "${app}"`);
  const bundleDir = join(workspaceRoot, 'dist', 'apps', app);
  const entries = BUNDLE_FILES.map((name) => {
    const file = join(bundleDir, name);
    if (!existsSync(file)) {
      throw new Error(`${relative(workspaceRoot, file)} is missing: run "npx nx run ${app}:build" first`);
    }
    return { name, data: readFileSync(file) };
  });
  const zip = createDeterministicZip(entries);
  const zipPath = join(workspaceRoot, 'dist', 'packages', `${app}.zip`);
  mkdirSync(dirname(zipPath), { recursive: true });
  writeFileSync(zipPath, zip, { mode: 0o644 });
  return {
    app,
    zipPath,
    bytes: zip.length,
    sha256Base64: createHash('sha256').update(zip).digest('base64'),
  };
}

function main(argv: readonly string[]): void {
  const app = argv[0];
  if (app === undefined || argv.length !== 1) {
    console.error('usage: tsx tools/package/package.ts <app>');
    process.exit(2);
  }
  const workspaceRoot = resolve(__dirname, '..', '..');
  const result = packageApp(app, workspaceRoot);
  console.log(
    `${relative(workspaceRoot, result.zipPath)} ${result.bytes} bytes sha256(base64)=${result.sha256Base64}`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
