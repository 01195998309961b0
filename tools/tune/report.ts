import { consumerNames as APPS } from '@shardline/contract';
import type { GridRow, Recommendation } from './recommend';

const WIDTH = 360;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 24, bottom: 36 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function format(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(1);
  return n.toPrecision(2);
}

/**
 * One line chart as inline SVG: memory sizes evenly spaced on x, one line per batch size, the knee marked with a
 * dashed line.
 */
export function lineChart(options: {
  title: string;
  yLabel: string;
  memories: number[];
  series: Array<{ label: string; values: number[] }>;
  kneeMB?: number;
}): string {
  const { memories, series } = options;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const max = Math.max(...all, 0) * 1.1 || 1;
  const x = (i: number) =>
    PAD.left + (memories.length === 1 ? 0.5 : i / (memories.length - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(options.title)}">`,
    `<text x="${WIDTH / 2}" y="14" text-anchor="middle" class="title">${escape(options.title)}</text>`,
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" class="axis"/>`,
    `<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 4}" text-anchor="middle" class="label">memory (MB)</text>`,
    `<text x="12" y="${(PAD.top + HEIGHT - PAD.bottom) / 2}" text-anchor="middle" class="label" transform="rotate(-90 12 ${(PAD.top + HEIGHT - PAD.bottom) / 2})">${escape(options.yLabel)}</text>`,
  ];
  for (const tick of [0, 0.5, 1]) {
    const v = (max / 1.1) * tick;
    parts.push(
      `<text x="${PAD.left - 4}" y="${y(v) + 3}" text-anchor="end" class="tick">${format(v)}</text>`,
    );
  }
  memories.forEach((m, i) =>
    parts.push(
      `<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle" class="tick">${m}</text>`,
    ),
  );
  const knee = options.kneeMB === undefined ? -1 : memories.indexOf(options.kneeMB);
  if (knee >= 0) {
    parts.push(
      `<line x1="${x(knee)}" y1="${PAD.top}" x2="${x(knee)}" y2="${HEIGHT - PAD.bottom}" class="knee"/>`,
      `<text x="${x(knee) + 4}" y="${PAD.top + 10}" class="knee-label">knee ${options.kneeMB} MB</text>`,
    );
  }
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const points = s.values
      .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2" class="series"/>`,
    );
    s.values.forEach((v, i) => {
      if (Number.isFinite(v))
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"/>`);
    });
    parts.push(
      `<text x="${WIDTH - PAD.right}" y="${PAD.top + 12 + k * 12}" text-anchor="end" fill="${colour}" class="tick">${escape(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The self-contained HTML report of a tune run: per consumer, duration, throughput and cost per million events
 * against memory (one line per batch size, the knee marked), then the recommendation. No script, no external
 * resource: it opens offline.
 */
export function renderReport(input: {
  title: string;
  summary: string[];
  rows: GridRow[];
  recommendation: Recommendation;
}): string {
  const sections: string[] = [];
  for (const app of APPS) {
    const rows = input.rows.filter((r) => r.consumer === app);
    if (rows.length === 0) continue;
    const memories = [...new Set(rows.map((r) => r.memoryMB))].sort((a, b) => a - b);
    const batches = [...new Set(rows.map((r) => r.batchSize))].sort((a, b) => a - b);
    const series = (pick: (r: GridRow) => number) =>
      batches.map((b) => ({
        label: `batch ${b}`,
        values: memories.map((m) => {
          const row = rows.find((r) => r.memoryMB === m && r.batchSize === b);
          return row ? pick(row) : NaN;
        }),
      }));
    const c = input.recommendation.consumers[app];
    sections.push(
      `<section><h2>${escape(app)}</h2><p>recommended: ${c.memoryMB} MB (knee ${c.kneeMB} MB), batch ${c.batchSize}, ` +
        `window ${c.windowSeconds} s, parallelization factor ${c.parallelizationFactor}, ` +
        `${c.enhancedFanOut ? 'enhanced fan-out' : 'polling'}; ${Math.round(c.verdict.sustainableRecordsPerSecPerShard)} records/s per shard, ` +
        `${c.verdict.keepsUp ? `keeps up with ${Math.round(c.verdict.headroom * 100)} % headroom` : `falls behind by ${c.verdict.fallsBehindMBps.toFixed(2)} MB/s`}</p>` +
        `<div class="charts">` +
        lineChart({
          title: 'duration per batch (p50)',
          yLabel: 'ms',
          memories,
          series: series((r) => r.durationMsP50),
          kneeMB: c.kneeMB,
        }) +
        lineChart({
          title: 'throughput per shard',
          yLabel: 'records/s',
          memories,
          series: series((r) => r.recordsPerSecPerShard),
          kneeMB: c.kneeMB,
        }) +
        lineChart({
          title: 'cost per million events',
          yLabel: 'USD',
          memories,
          series: series((r) => r.costPerMillionUsd),
          kneeMB: c.kneeMB,
        }) +
        `</div></section>`,
    );
  }
  const style = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #ddd;background:#fff}.title{font-size:12px;font-weight:600}
.label,.tick{font-size:10px;fill:#444}.axis{stroke:#888}.knee{stroke:#555;stroke-dasharray:4 3}.knee-label{font-size:10px;fill:#555}
pre{background:#f6f6f6;padding:12px;overflow-x:auto}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title><style>${style}</style></head><body>` +
    `<h1>${escape(input.title)}</h1><pre>${escape(input.summary.join('\n'))}</pre>${sections.join('')}</body></html>\n`
  );
}
