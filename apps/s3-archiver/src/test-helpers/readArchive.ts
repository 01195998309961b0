import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** One archive object read back: its key, metadata, stored size and NDJSON lines. */
export interface ArchivedObject {
  key: string;
  metadata: Record<string, string>;
  contentLength: number;
  lines: string[];
}

/** Reads back, gunzips and splits every object under a prefix. */
export async function readArchive(s3: S3Client, bucket: string, prefix: string): Promise<ArchivedObject[]> {
  const objects: ArchivedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }));
      const body = Buffer.from(
        await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      const text = gunzipSync(body).toString('utf8');
      objects.push({
        key: item.Key as string,
        metadata: got.Metadata ?? {},
        contentLength: body.byteLength,
        lines: text.split('\n').slice(0, -1),
      });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** The sorted multiset of archived event identities, `source id`, one per line. */
export function archivedIdentities(objects: readonly ArchivedObject[]): string[] {
  return objects
    .flatMap((o) => o.lines)
    .map((line) => {
      const e = JSON.parse(line) as { source: string; id: string };
      return `${e.source} ${e.id}`;
    })
    .sort();
}
