import type { SchemaIssue } from './types';

/**
 * Joins issues into one line for logs and quarantine messages: `/data/campaignId is required; /time ...`.
 *
 * @example
 * ```ts
 * formatIssues([{ path: '/data/userId', message: 'is required' }]); // '/data/userId is required'
 * ```
 */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path} ${issue.message}`).join('; ');
}
