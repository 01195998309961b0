import type { PipelineSummary } from './runPipeline';

/** The summary lines of the inbox importers a `--via s3` run went through; none for other runs. */
export function formatInbox(summary: PipelineSummary): string[] {
  if (!summary.inbox) return [];
  const lines = [
    `  producer sent via ${summary.via}`,
    '  importer             files invocations retries errors timeouts hand-offs retriesExhausted eventAgeExceeded',
  ];
  for (const [name, i] of Object.entries(summary.inbox)) {
    lines.push(
      `  ${name.padEnd(20)} ${String(i.notifications).padStart(5)} ${String(i.invocations).padStart(11)} ` +
        `${String(i.retries).padStart(7)} ${String(i.errors).padStart(6)} ${String(i.timeouts).padStart(8)} ` +
        `${String(i.handOffs).padStart(9)} ${String(i.discarded.RetriesExhausted).padStart(16)} ` +
        `${String(i.discarded.EventAgeExceeded).padStart(16)}`,
    );
  }
  return lines;
}
