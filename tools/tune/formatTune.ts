import { consumerNames as APPS } from '@shardline/contract';
import { SERVICES } from './cost';
import type { GridRow, Recommendation } from './recommend';

const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The grid as a table: one line per consumer, memory and batch size, evaluated with the declared settings. */
export function formatGrid(rows: readonly GridRow[]): string[] {
  const lines = [
    'consumer             memory  batch  p50 ms  p99 ms  cpu ms  init ms  rec/s/shard  real batch  eff MB/s  max MB/s  keeps up  $/M events',
  ];
  for (const r of rows) {
    lines.push(
      `${r.consumer.padEnd(20)} ${pad(r.memoryMB, 6)} ${pad(r.batchSize, 6)} ${pad(r.durationMsP50.toFixed(1), 7)} ` +
        `${pad(r.durationMsP99.toFixed(1), 7)} ${pad(r.cpuMsP50 === null ? '-' : r.cpuMsP50.toFixed(1), 7)} ` +
        `${pad(r.initMs === null ? '-' : Math.round(r.initMs), 8)} ${pad(r.recordsPerSecPerShard, 12)} ${pad(r.realBatch, 11)} ` +
        `${pad(r.effectiveMBps.toFixed(1), 9)} ${pad(r.maxTheoreticalMBps.toFixed(1), 9)} ${pad(r.keepsUp ? 'yes' : 'NO', 9)} ` +
        `${pad(r.costPerMillionUsd.toFixed(4), 11)}`,
    );
  }
  return lines;
}

/** The recommendation, its capacity verdicts and its price, as printed after the grid. */
export function formatRecommendation(rec: Recommendation): string[] {
  const lines = [
    `recommendation for ${rec.env} at ${rec.eventsPerSec} events/s${rec.feasible ? '' : ' (NOT every consumer keeps up: see notes)'}`,
  ];
  for (const name of ['raw', 'enriched'] as const) {
    const s = rec.streams[name];
    const alts = rec.alternatives
      .filter((a) => a.stream === name && a.mode !== s.mode)
      .map(
        (a) =>
          `${a.mode} ${a.mode === 'ON_DEMAND' ? '' : `${a.shards} shards `}${usd(a.monthlyUsd)}/month with its consumers`,
      );
    lines.push(
      `  ${name} stream: ${s.mode}${s.mode === 'PROVISIONED' ? `, ${s.shards} shard(s)` : ` (~${s.shards} shards)`}, ${usd(s.monthlyUsd)}/month` +
        (alts.length > 0 ? `; against ${alts.join(', ')}` : ''),
    );
  }
  lines.push(
    '  consumer             memory  knee  batch  window  factor  fan-out  real batch  rec/s/shard  bottleneck      headroom  iterator age',
  );
  for (const app of APPS) {
    const c = rec.consumers[app];
    const v = c.verdict;
    const age = v.keepsUp
      ? 'steady'
      : `+${v.iteratorAgeGrowthPerSec.toFixed(2)} s/s, records lost after ${v.hoursToExpiry!.toFixed(1)} h`;
    lines.push(
      `  ${app.padEnd(20)} ${pad(c.memoryMB, 6)} ${pad(c.kneeMB, 5)} ${pad(c.batchSize, 6)} ${pad(c.windowSeconds, 7)} ` +
        `${pad(c.parallelizationFactor, 7)} ${pad(c.enhancedFanOut ? 'yes' : 'no', 8)} ${pad(Math.round(v.realBatch), 11)} ` +
        `${pad(Math.round(v.sustainableRecordsPerSecPerShard), 12)} ${v.bottleneck.padEnd(15)} ${pad(`${Math.round(v.headroom * 100)} %`, 8)}  ${age}`,
    );
  }
  const cost = rec.cost;
  lines.push(
    `cost per month at ${rec.eventsPerSec} events/s: ${usd(cost.monthlyUsd)} (${usd(cost.perMillionEventsUsd)} per million events)`,
    `  by service: ${SERVICES.map((s) => `${s} ${usd(cost.byService[s])}`).join(', ')}`,
    `  per million events: ${SERVICES.map((s) => `${s} $${(cost.byService[s] / (cost.monthlyUsd / cost.perMillionEventsUsd || 1)).toFixed(4)}`).join(', ')}`,
    `  by part: ${Object.entries(cost.byPart)
      .map(([part, c]) => `${part} ${usd(Object.values(c).reduce((a, b) => a + b, 0))}`)
      .join(', ')}`,
    `archive path: s3-archiver ${usd(rec.archive.pipelineUsd)}/month against Amazon Data Firehose ${usd(rec.archive.firehose.monthlyUsd)}/month ` +
      `(ingestion ${usd(rec.archive.firehose.ingestUsd)} with records rounded up to 5 KB, dynamic partitioning ` +
      `${usd(rec.archive.firehose.dynamicPartitioningUsd)}, S3 ${usd(rec.archive.firehose.s3Usd)})`,
  );
  for (const note of rec.notes) lines.push(`note: ${note}`);
  return lines;
}
