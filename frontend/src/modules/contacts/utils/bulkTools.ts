import type { BulkActionKind, Role } from '@/client';

export type BulkTool = BulkActionKind | 'invite' | 'export';

const EVERY_TOOL: readonly BulkTool[] = ['add_tag', 'remove_tag', 'set_owner', 'set_lifecycle_stage', 'invite', 'export'];
// Owners in bulk: managers and admins only (treue.identity: agents assign only themselves,
// and only on records unowned or theirs, which a bulk change cannot promise).
const ASSIGNS_ANYONE: readonly Role[] = ['admin', 'manager'];

/**
 * The bulk tools a role may use, so nobody is offered what the API answers with 403: a
 * viewer writes nothing and only exports; an agent does not set owners. While the role is
 * not known yet, only the export.
 */
export function bulkTools(role: Role | undefined): BulkTool[] {
  if (role === undefined || role === 'viewer') return ['export'];
  return EVERY_TOOL.filter((tool) => tool !== 'set_owner' || ASSIGNS_ANYONE.includes(role));
}
