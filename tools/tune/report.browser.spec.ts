/// <reference lib="dom" />
// The callbacks given to page.$$eval run in the browser page, on its DOM.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { consumerNames as APPS } from '@shardline/contract';
import { loadPrices } from './prices';
import { gridRows, recommend, type EnvironmentSettings, type Workload } from './recommend';
import { renderReport } from './report';
import type { CellMeasurement } from './types';

// The report opened in a real browser (Debian's chromium, which .ci/run installs; playwright-core downloads none).
const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve(__dirname, '..', '..', 'tmp', 'tune');

const PER_RECORD_MS: Record<number, number> = { 128: 4, 256: 2, 512: 0.5, 1024: 0.48, 1769: 0.47 };
const cells: CellMeasurement[] = APPS.flatMap((consumer) =>
  Object.keys(PER_RECORD_MS).flatMap((m) =>
    [100, 500].map((batchSize) => {
      const durationMs = 5 + PER_RECORD_MS[Number(m)]! * batchSize;
      return {
        consumer,
        memoryMB: Number(m),
        batchSize,
        batches: 3,
        recordBytes: 1200,
        durationMsP50: durationMs,
        durationMsP99: durationMs * 1.2,
        recordsPerSecPerShard: batchSize / (durationMs / 1000),
        logBytesPerInvocation: 1000,
        callsPerBatch: {},
        metricCount: 5,
        errors: 0,
      };
    }),
  ),
);
const settings: EnvironmentSettings = {
  env: 'dev',
  streams: {
    raw: { mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 },
    enriched: { mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 },
  },
  consumers: Object.fromEntries(
    APPS.map((a) => [
      a,
      {
        stream: a === 'enrichment' ? 'raw' : 'enriched',
        memorySize: 512,
        batchSize: a === 'dynamodb-aggregator' ? 1000 : 100,
        windowSeconds: a === 'dynamodb-aggregator' ? 5 : 0,
        parallelizationFactor: 1,
        enhancedFanOut: false,
      },
    ]),
  ) as EnvironmentSettings['consumers'],
  opensearch: {
    instanceType: 't3.small.search',
    instanceCount: 1,
    dedicatedMasterCount: 0,
    volumeSizeGb: 10,
  },
};
const workload: Workload = {
  eventsPerSec: 600,
  rawRecordBytes: 1024,
  enrichedRecordBytes: 1200,
  enrichedShare: 1,
};

const run = existsSync(CHROMIUM) ? it : it.skip; // skipped only where chromium is not installed (see .ci/run)

describe('the tune report in a browser', () => {
  run(
    'draws three charts per consumer, each with lines and the knee, offline',
    async () => {
      // Prepare
      const prices = loadPrices();
      const rows = gridRows(cells, settings, workload, prices);
      const html = renderReport({
        title: 'test report',
        summary: ['line'],
        rows,
        recommendation: recommend(cells, settings, workload, prices),
      });
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, 'report-browser-test.html');
      writeFileSync(file, html);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const external: string[] = [];
        page.on('request', (request) => {
          if (!request.url().startsWith('file:')) external.push(request.url());
        });

        // Act
        await page.goto(`file://${file}`);
        const charts = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect();
            const line = svg.querySelector('polyline') as SVGPolylineElement | null;
            const lineBox = line?.getBBox();
            return {
              width: box.width,
              height: box.height,
              lines: svg.querySelectorAll('polyline').length,
              lineWidth: lineBox?.width ?? 0,
              lineHeight: lineBox?.height ?? 0,
              knee: svg.querySelector('.knee-label')?.textContent ?? '',
            };
          }),
        );
        await page.screenshot({ path: join(OUT, 'report-browser-test.png'), fullPage: true });

        // Assess
        expect(charts).toHaveLength(APPS.length * 3);
        for (const chart of charts) {
          expect(chart.width).toBeGreaterThan(100);
          expect(chart.height).toBeGreaterThan(100);
          expect(chart.lines).toBe(2);
          expect(chart.lineWidth).toBeGreaterThan(50);
          expect(chart.lineHeight).toBeGreaterThan(0);
          expect(chart.knee).toBe('knee 512 MB');
        }
        expect(external).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
