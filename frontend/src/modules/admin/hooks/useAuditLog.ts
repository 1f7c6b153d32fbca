import { auditLogListAuditLogInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';
import { useCursorList } from '@/lib/api/useCursorList';

const AUDIT_PAGE_SIZE = 50;

/** The audit log, newest first, a page at a time along the API's cursor. */
export function useAuditLog() {
  return useCursorList(auditLogListAuditLogInfiniteOptions({ query: { limit: AUDIT_PAGE_SIZE } }), FIRST_PAGE);
}
