/**
 * Human renderings for the sync commands: the mirror tree, a plan summary, the connection
 * check's steps. Pure functions of API answers.
 */

type Row = Record<string, unknown>;

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '-' : JSON.stringify(value));

/** Health counts as `ok 3, blocked 1` (zeros left out; `no connections` when empty). */
export function formatHealthCounts(counts: unknown): string {
  const c = (counts ?? {}) as Row;
  const parts = ['ok', 'blocked', 'error', 'unknown'].filter((k) => num(c[k]) > 0).map((k) => `${k} ${num(c[k])}`);
  return parts.length === 0 ? 'no connections' : parts.join(', ');
}

/** The tree indented two spaces per level: folders end with `/` and show counts; connections show state and health. */
export function renderTree(nodes: readonly Row[]): string {
  if (nodes.length === 0) return 'The mirror is empty: run `orglink integration sync <handle>` first.\n';
  const lines = nodes.map((node) => {
    const indent = '  '.repeat(num(node.depth));
    if (node.kind === 'folder') return `${indent}${str(node.title)}/  [${str(node.handle)}]  ${str(node.awsId)}  (${formatHealthCounts(node.counts)})`;
    const reason = node.health === 'blocked' || node.health === 'error' ? '  !' : '';
    return `${indent}${str(node.title)}  [${str(node.handle)}]  ${str(node.awsId)}  ${str(node.state)}  ${str(node.health)}${reason}`;
  });
  return lines.join('\n') + '\n';
}

const OP_LABELS: Array<[string, string]> = [
  ['add-folder', 'folders to add'],
  ['add-connection', 'connections to add'],
  ['move-folder', 'folders to move'],
  ['move-connection', 'connections to move'],
  ['rename', 'renames'],
  ['rehandle', 'new handles'],
  ['state-change', 'state changes'],
  ['remove-connection', 'connections to delete'],
  ['remove-folder', 'folders to delete'],
];

/** One op as a line (`+ connection acme-payments (123456789012) under r-ab12`). */
export function formatOp(op: Row): string {
  switch (op.op) {
    case 'add-folder':
      return `+ folder ${str(op.handle)} (${str(op.awsId)}) "${str(op.title)}" under ${str(op.parentAwsId)}`;
    case 'add-connection':
      return `+ connection ${str(op.handle)} (${str(op.awsAccountId)}) "${str(op.title)}" under ${str(op.parentAwsId)}, ${str(op.state)}`;
    case 'move-folder':
      return `> folder ${str(op.awsId)}: ${str(op.fromParentAwsId)} -> ${str(op.toParentAwsId)}`;
    case 'move-connection':
      return `> connection ${str(op.awsAccountId)}: ${str(op.fromParentAwsId)} -> ${str(op.toParentAwsId)}`;
    case 'rename':
      return `~ ${str(op.target)} ${str(op.awsId)}: "${str(op.fromTitle)}" -> "${str(op.toTitle)}"`;
    case 'rehandle':
      return `~ ${str(op.target)} ${str(op.awsId)}: handle ${str(op.fromHandle)} -> ${str(op.toHandle)}`;
    case 'state-change':
      return `~ connection ${str(op.awsAccountId)}: ${str(op.fromState)} -> ${str(op.toState)} (${str(op.toAwsState)})`;
    case 'remove-connection':
      return `- connection ${str(op.handle)} (${str(op.awsAccountId)}): ${str(op.reason)}`;
    case 'remove-folder':
      return `- folder ${str(op.handle)} (${str(op.awsId)})`;
    default:
      return `? ${JSON.stringify(op)}`;
  }
}

/** The run's outcome and plan counts for people; with a plan (dry runs), every op too. */
export function renderSyncResult(run: Row, plan: Row | null): string {
  const summary = (run.summary ?? null) as Row | null;
  const lines = [`Run ${str(run.id)}: ${str(run.status)}${run.dryRun === true ? ' (dry run: nothing written)' : ''}`];
  if (run.error !== null && run.error !== undefined) {
    const error = run.error as Row;
    lines.push(`  error: ${str(error.message)} [${str(error.code)}]`);
  }
  if (summary !== null) {
    const discovered = (summary.discovered ?? {}) as Row;
    lines.push(`  discovered: ${num(discovered.roots)} root, ${num(discovered.ous)} OUs, ${num(discovered.accounts)} accounts${summary.complete === false ? ' (INCOMPLETE)' : ''}`);
    const counts = (summary.counts ?? {}) as Row;
    const changes = OP_LABELS.filter(([key]) => num(counts[key]) > 0).map(([key, label]) => `${num(counts[key])} ${label}`);
    lines.push(`  plan: ${changes.length === 0 ? 'no changes' : changes.join(', ')}`);
    const health = (summary.health ?? {}) as Row;
    lines.push(`  health: ${formatHealthCounts(health.counts)}; ${num(health.updated)} connection(s) ${run.dryRun === true ? 'would change' : 'changed'}`);
    const guard = (summary.guard ?? {}) as Row;
    if (run.status === 'awaiting_approval') lines.push(`  ${str(guard.reason)} Approve with: orglink integration approve <handle> ${str(run.id)}`);
    for (const warning of (summary.warnings ?? []) as Row[]) lines.push(`  warning: ${str(warning.message)}`);
  }
  if (plan !== null) for (const op of (plan.ops ?? []) as Row[]) lines.push(`  ${formatOp(op)}`);
  return lines.join('\n') + '\n';
}

/** The connection check as one line per step, then the remedies of failed or warning steps. */
export function renderCheck(result: Row): string {
  const steps = (result.steps ?? []) as Row[];
  const lines = steps.map((s) => `${str(s.status).toUpperCase().padEnd(8)} ${str(s.step).padEnd(18)} ${str(s.detail)}`);
  for (const s of steps) {
    if (s.remedy !== undefined) lines.push(`  ${str(s.step)}: ${str(s.remedy)}${Array.isArray(s.templates) ? ` (templates: ${s.templates.join(', ')})` : ''}`);
  }
  lines.push(result.ok === true ? 'Connection OK.' : 'Connection FAILED.');
  return lines.join('\n') + '\n';
}
