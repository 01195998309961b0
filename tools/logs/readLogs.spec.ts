import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLine, matches, parseLine, readLogs } from './readLogs';

/**
 * Writes `file` as the local runtime writes a function's log: the real Powertools Logger and Metrics in a process
 * of their own, its stdout and stderr on the same file descriptor.
 */
function writeFunctionLog(file: string, service: string, script: string): void {
  const fd = openSync(file, 'a');
  try {
    const result = spawnSync(
      process.execPath,
      [
        '-e',
        `const { Logger } = require('@aws-lambda-powertools/logger');
         const { Metrics, MetricUnit } = require('@aws-lambda-powertools/metrics');
         const logger = new Logger({ serviceName: '${service}' });
         const metrics = new Metrics({ namespace: 'Shardline', serviceName: '${service}' });
         ${script}`,
      ],
      { stdio: ['ignore', fd, fd], env: { PATH: process.env.PATH, POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
    );
    if (result.status !== 0) throw new Error(`the logging process failed: ${String(result.status)}`);
  } finally {
    closeSync(fd);
  }
}

describe('readLogs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shardline-logs-'));
    writeFunctionLog(
      join(dir, 'enrichment.log'),
      'enrichment',
      `logger.appendKeys({ shardId: 'shardId-000000000001' });
         logger.info('batch enriched', { records: 10 });
         metrics.addMetric('RecordsIn', MetricUnit.Count, 10); metrics.publishStoredMetrics();
         logger.warn('records quarantined', { reason: 'SCHEMA_INVALID', count: 2 });
         console.log('a plain line');`,
    );
    writeFunctionLog(
      join(dir, 'opensearch-indexer.log'),
      'opensearch-indexer',
      `logger.error('cannot reach OpenSearch; the batch will be retried');`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const all = { grep: [], metrics: false };

  it('merges the functions’ lines in time order and hides EMF metric lines unless asked', async () => {
    // Act
    const shown = await readLogs({ ...all, dir }, ['enrichment', 'opensearch-indexer']);
    const withMetrics = await readLogs({ ...all, metrics: true, dir }, ['enrichment']);

    // Assess
    expect(shown.lines.map((l) => l.fields?.message)).toEqual([
      'batch enriched',
      'records quarantined',
      undefined, // the plain line
      'cannot reach OpenSearch; the batch will be retried',
    ]);
    expect(withMetrics.lines.some((l) => l.fields && '_aws' in l.fields)).toBe(true);
    const times = shown.lines.map((l) => l.timeMs!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('filters by level, by text (every --grep, any case) and by time, and names functions without a log', async () => {
    // Act
    const warnings = await readLogs({ ...all, level: 'WARN', dir }, ['enrichment', 'opensearch-indexer']);
    const grepped = await readLogs({ ...all, grep: ['QUARANTINED', 'schema_invalid'], dir }, ['enrichment']);
    const future = await readLogs({ ...all, sinceMs: Date.now() + 60_000, dir }, ['enrichment']);
    const missing = await readLogs({ ...all, dir }, ['s3-archiver']);

    // Assess
    // Lines without a level (plain text: an uncaught error's stack, say) are kept.
    expect(warnings.lines.map((l) => l.level)).toEqual(['WARN', undefined, 'ERROR']);
    expect(grepped.lines.map((l) => l.fields?.message)).toEqual(['records quarantined']);
    expect(future.lines).toEqual([]);
    expect(missing).toEqual({ lines: [], missing: ['s3-archiver'] });
  });

  it('keeps plain lines, timed like the JSON line before them', async () => {
    // Act
    const { lines } = await readLogs({ ...all, grep: ['plain line'], dir }, ['enrichment']);

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toBeUndefined();
    expect(lines[0]!.timeMs).toBeGreaterThan(0);
    expect(formatLine(lines[0]!)).toMatch(/^\S+Z enrichment\s+a plain line$/);
  });

  it('prints time, function, level and message, then the other keys', () => {
    // Arrange
    const line = parseLine(
      'enrichment',
      JSON.stringify({
        level: 'WARN',
        message: 'records quarantined',
        timestamp: '2026-12-01T10:00:00.000Z',
        service: 'enrichment',
        shardId: 'shardId-000000000001',
      }),
      undefined,
    );

    // Act
    const text = formatLine(line);

    // Assess
    expect(text).toBe(
      '2026-12-01T10:00:00.000Z enrichment           WARN  records quarantined {"shardId":"shardId-000000000001"}',
    );
    expect(matches(line, { grep: ['shardid-000000000001'], metrics: false })).toBe(true);
    expect(matches(line, { grep: ['shardId-000000000002'], metrics: false })).toBe(false);
  });
});
