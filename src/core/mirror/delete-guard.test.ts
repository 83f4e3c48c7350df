import { describe, expect, it } from 'vitest';
import { evaluateDeleteGuard, type DeleteGuardOptions } from './delete-guard.js';
import { MIRROR_OP_ORDER, type MirrorOp, type MirrorOpType, type MirrorPlan } from './mirror-plan.js';

function planRemoving(connections: number, folders = 0): MirrorPlan {
  const ops: MirrorOp[] = [
    ...Array.from({ length: connections }, (_, i): MirrorOp => ({
      op: 'remove-connection', connectionId: `c_${i}`, awsAccountId: String(100000000000 + i), handle: `h${i}`, reason: 'gone',
    })),
    ...Array.from({ length: folders }, (_, i): MirrorOp => ({ op: 'remove-folder', folderId: `f_${i}`, awsId: `ou-x-${i}`, handle: `f${i}`, reason: 'gone' })),
  ];
  const counts = Object.fromEntries(MIRROR_OP_ORDER.map((t) => [t, 0])) as Record<MirrorOpType, number>;
  for (const op of ops) counts[op.op] += 1;
  return { ops, complete: true, withheldRemovals: [], failures: [], counts };
}

describe('evaluateDeleteGuard', () => {
  it.each<{ name: string; connections: number; folders?: number; size: number; options?: DeleteGuardOptions; needs: boolean; code: string | null }>([
    { name: 'nothing to delete', connections: 0, size: 0, needs: false, code: null },
    { name: 'exactly 25 % is allowed', connections: 1, size: 4, needs: false, code: null },
    { name: 'just over 25 %', connections: 2, folders: 1, size: 11, needs: true, code: 'delete_share_exceeded' },
    { name: 'exactly 50 nodes of a large mirror', connections: 50, size: 1000, needs: false, code: null },
    { name: '51 nodes of a large mirror', connections: 40, folders: 11, size: 1000, needs: true, code: 'delete_count_exceeded' },
    { name: 'a custom share', connections: 3, size: 10, options: { maxShare: 0.5 }, needs: false, code: null },
    { name: 'a custom count', connections: 6, size: 1000, options: { maxCount: 5 }, needs: true, code: 'delete_count_exceeded' },
    { name: 'everything, with auto-approve', connections: 80, size: 80, options: { autoApprove: true }, needs: false, code: null },
    { name: 'everything, without auto-approve', connections: 80, size: 80, needs: true, code: 'delete_count_exceeded' },
  ])('$name', ({ connections, folders, size, options, needs, code }) => {
    const verdict = evaluateDeleteGuard(planRemoving(connections, folders), size, options);
    expect(verdict.needsApproval).toBe(needs);
    expect(verdict.code).toBe(code);
    expect(verdict.removals).toBe(connections + (folders ?? 0));
    expect(verdict.reason.length).toBeGreaterThan(0);
  });

  it('explains a share refusal in numbers', () => {
    expect(evaluateDeleteGuard(planRemoving(3), 10).reason).toBe(
      'The plan deletes 3 of 10 nodes (30%), more than the limit of 25%: it waits for approval.',
    );
  });
});
