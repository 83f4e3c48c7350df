/** The CLI's human renderings of trees, plans and connection checks (pure functions). */
import { describe, expect, it } from 'vitest';
import { formatHealthCounts, formatOp, renderCheck, renderSyncResult, renderTree } from '../../src/cli/commands/sync-render.js';

describe('formatHealthCounts', () => {
  it.each([
    [{ ok: 3, blocked: 1, error: 0, unknown: 0 }, 'ok 3, blocked 1'],
    [{ ok: 0, blocked: 0, error: 2, unknown: 5 }, 'error 2, unknown 5'],
    [{ ok: 0, blocked: 0, error: 0, unknown: 0 }, 'no connections'],
    [undefined, 'no connections'],
  ])('%j → %s', (counts, expected) => {
    expect(formatHealthCounts(counts)).toBe(expected);
  });
});

describe('formatOp', () => {
  it.each([
    [{ op: 'add-folder', awsId: 'ou-1', handle: 'acme-prod', title: 'Prod', parentAwsId: 'r-1' }, '+ folder acme-prod (ou-1) "Prod" under r-1'],
    [{ op: 'add-connection', awsAccountId: '123456789012', handle: 'acme-web', title: 'web', parentAwsId: 'ou-1', state: 'active' }, '+ connection acme-web (123456789012) "web" under ou-1, active'],
    [{ op: 'move-connection', awsAccountId: '123456789012', fromParentAwsId: 'r-1', toParentAwsId: 'ou-1' }, '> connection 123456789012: r-1 -> ou-1'],
    [{ op: 'rename', target: 'folder', awsId: 'ou-1', fromTitle: 'Prod', toTitle: 'Production' }, '~ folder ou-1: "Prod" -> "Production"'],
    [{ op: 'rehandle', target: 'connection', awsId: '1', fromHandle: 'a-x', toHandle: 'b-x' }, '~ connection 1: handle a-x -> b-x'],
    [{ op: 'state-change', awsAccountId: '1', fromState: 'active', toState: 'disabled', toAwsState: 'SUSPENDED' }, '~ connection 1: active -> disabled (SUSPENDED)'],
    [{ op: 'remove-connection', awsAccountId: '1', handle: 'acme-old', reason: 'closed' }, '- connection acme-old (1): closed'],
    [{ op: 'remove-folder', awsId: 'ou-2', handle: 'acme-gone' }, '- folder acme-gone (ou-2)'],
  ])('%j', (op, expected) => {
    expect(formatOp(op)).toBe(expected);
  });
});

describe('renderTree', () => {
  it('indents by depth, folders with counts, connections with state and health', () => {
    const text = renderTree([
      { kind: 'folder', depth: 0, title: 'Root', handle: 'root', awsId: 'r-1', counts: { ok: 1, blocked: 1, error: 0, unknown: 0 } },
      { kind: 'folder', depth: 1, title: 'Prod', handle: 'prod', awsId: 'ou-1', counts: { ok: 0, blocked: 1, error: 0, unknown: 0 } },
      { kind: 'connection', depth: 2, title: 'web', handle: 'web', awsId: '111111111111', state: 'active', health: 'blocked' },
      { kind: 'connection', depth: 1, title: 'mgmt', handle: 'mgmt', awsId: '222222222222', state: 'active', health: 'ok' },
    ]);
    expect(text).toBe(
      [
        'Root/  [root]  r-1  (ok 1, blocked 1)',
        '  Prod/  [prod]  ou-1  (blocked 1)',
        '    web  [web]  111111111111  active  blocked  !',
        '  mgmt  [mgmt]  222222222222  active  ok',
        '',
      ].join('\n'),
    );
  });

  it('says how to fill an empty mirror', () => {
    expect(renderTree([])).toContain('orglink integration sync');
  });
});

describe('renderSyncResult and renderCheck', () => {
  const summary = {
    complete: true,
    discovered: { roots: 1, ous: 2, accounts: 5 },
    counts: { 'add-connection': 2, 'remove-connection': 3 },
    health: { counts: { ok: 4, blocked: 1 }, updated: 1 },
    guard: { reason: 'The plan deletes 3 of 8 nodes (37.5%), more than the limit of 25%: it waits for approval.' },
    warnings: [],
  };

  it('names the approval command for a held run', () => {
    const text = renderSyncResult({ id: 'sr_1', status: 'awaiting_approval', dryRun: false, error: null, summary }, null);
    expect(text).toContain('Run sr_1: awaiting_approval');
    expect(text).toContain('plan: 2 connections to add, 3 connections to delete');
    expect(text).toContain('orglink integration approve <handle> sr_1');
  });

  it('lists every op of a dry run', () => {
    const text = renderSyncResult({ id: 'sr_2', status: 'succeeded', dryRun: true, error: null, summary }, { ops: [{ op: 'remove-folder', awsId: 'ou-2', handle: 'x' }] });
    expect(text).toContain('(dry run: nothing written)');
    expect(text).toContain('  - folder x (ou-2)');
  });

  it('prints each step and the remedies of failed ones', () => {
    const text = renderCheck({
      ok: false,
      steps: [
        { step: 'platform_principal', status: 'ok', detail: 'fine' },
        { step: 'discovery_role', status: 'failed', detail: 'denied', remedy: 'Deploy the management template', templates: ['cloudformation', 'terraform'] },
      ],
    });
    expect(text).toContain('FAILED   discovery_role');
    expect(text).toContain('discovery_role: Deploy the management template (templates: cloudformation, terraform)');
    expect(text.trimEnd().endsWith('Connection FAILED.')).toBe(true);
  });
});
