import { recogniseCall } from './invocationTrace';

const signed = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20261201/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=ab`;

describe('recogniseCall', () => {
  it('names the JSON protocol calls by their X-Amz-Target', () => {
    const at = { method: 'POST', path: '/', authority: '127.0.0.1:4000' };
    expect(recogniseCall({ ...at, amzTarget: 'DynamoDB_20120810.UpdateItem' })).toEqual({
      service: 'dynamodb',
      operation: 'UpdateItem',
    });
    expect(recogniseCall({ ...at, amzTarget: 'Kinesis_20131202.PutRecords' })).toEqual({
      service: 'kinesis',
      operation: 'PutRecords',
    });
    expect(recogniseCall({ ...at, amzTarget: 'AmazonSQS.SendMessageBatch' })).toEqual({
      service: 'sqs',
      operation: 'SendMessageBatch',
    });
  });

  it('names S3 calls by method and path', () => {
    const s3 = (method: string, path: string) =>
      recogniseCall({ method, path, authority: 'h:1', authorization: signed('s3') }).operation;
    expect(s3('PUT', '/bucket/dt=2026-12-01/a.ndjson.gz?x-id=PutObject')).toBe('PutObject');
    expect(s3('GET', '/bucket/key')).toBe('GetObject');
    expect(s3('GET', '/bucket?list-type=2&prefix=a')).toBe('ListObjectsV2');
    expect(s3('PUT', '/bucket')).toBe('CreateBucket');
    expect(s3('POST', '/bucket/key?uploads')).toBe('CreateMultipartUpload');
    expect(s3('PUT', '/bucket/key?partNumber=1&uploadId=u')).toBe('UploadPart');
  });

  it('names OpenSearch calls by their REST path, signed or not', () => {
    expect(recogniseCall({ method: 'POST', path: '/_bulk', authority: '127.0.0.1:9200' })).toEqual({
      service: 'opensearch',
      operation: 'Bulk',
    });
    expect(
      recogniseCall({
        method: 'POST',
        path: '/events-2026.12/_bulk',
        authority: 'h',
        authorization: signed('es'),
      }),
    ).toEqual({ service: 'opensearch', operation: 'Bulk' });
    expect(recogniseCall({ method: 'PUT', path: '/events/_doc/a%3Ab', authority: 'h' }).operation).toBe(
      'Index',
    );
    expect(
      recogniseCall({ method: 'HEAD', path: '/events', authority: 'h', authorization: signed('es') }),
    ).toEqual({
      service: 'opensearch',
      operation: 'IndicesExists',
    });
    // Unsigned and without an OpenSearch endpoint, a path is any REST API's.
    expect(recogniseCall({ method: 'HEAD', path: '/events', authority: 'h:1' }).service).toBe('h:1');
  });

  it('falls back to the signing service, then to host:port', () => {
    expect(
      recogniseCall({ method: 'POST', path: '/', authority: 'h', authorization: signed('sts') }),
    ).toEqual({
      service: 'sts',
      operation: 'POST /',
    });
    expect(recogniseCall({ method: 'GET', path: '/a/b/c?q=1', authority: '10.0.0.1:8080' })).toEqual({
      service: '10.0.0.1:8080',
      operation: 'GET /a/b/c',
    });
  });
});
