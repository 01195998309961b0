import { ConfigError } from './errors';
import { int, loadConfig, oneOf, optionalStr, str, url } from './loadConfig';

describe('loadConfig', () => {
  const spec = {
    streamName: str('STREAM_NAME', { pattern: /^[a-zA-Z0-9_.-]{1,128}$/ }),
    ttl: int('CACHE_TTL_SECONDS', { default: 300, min: 0, max: 3600 }),
    queueUrl: url('QUEUE_URL'),
    level: oneOf('LEVEL', ['DEBUG', 'INFO'] as const, { default: 'INFO' }),
    kmsKey: optionalStr('KMS_KEY_ID'),
  };

  it('returns typed values and applies defaults', () => {
    // Act
    const config = loadConfig(spec, { STREAM_NAME: 'raw', QUEUE_URL: 'http://127.0.0.1:1/q' });
    // Assess
    expect(config).toEqual({
      streamName: 'raw',
      ttl: 300,
      queueUrl: 'http://127.0.0.1:1/q',
      level: 'INFO',
      kmsKey: undefined,
    });
  });

  it('names every missing or malformed variable in one error', () => {
    // Act
    const act = () => loadConfig(spec, { CACHE_TTL_SECONDS: '12x', QUEUE_URL: 'not a url', LEVEL: 'TRACE' });
    // Assess
    expect(act).toThrow(ConfigError);
    try {
      act();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.variable);
      expect(problems).toEqual(['STREAM_NAME', 'CACHE_TTL_SECONDS', 'QUEUE_URL', 'LEVEL']);
      expect((error as Error).message).toContain('STREAM_NAME is required but not set');
      expect((error as Error).message).toContain("CACHE_TTL_SECONDS must be an integer (got '12x')");
    }
  });

  it('enforces integer bounds and string patterns', () => {
    // Act
    const act = () =>
      loadConfig(spec, { STREAM_NAME: 'bad name!', QUEUE_URL: 'ftp://x', CACHE_TTL_SECONDS: '-1' });
    // Assess
    expect(act).toThrow(
      /STREAM_NAME must match .*CACHE_TTL_SECONDS must be >= 0 \(got -1\).*QUEUE_URL must be an http\(s\) URL/,
    );
  });

  it('treats an empty optional variable as unset', () => {
    // Act
    const config = loadConfig({ kmsKey: optionalStr('KMS_KEY_ID') }, { KMS_KEY_ID: '  ' });
    // Assess
    expect(config.kmsKey).toBeUndefined();
  });
});
