import type { PublicInvitationRead } from '@/client';
import { isProblem } from '@/lib/api/isProblem';

/** What the answer page shows for a link: decided by the invitation, its answer and the clock. */
export type AnswerState = 'loading' | 'unknown' | 'expired' | 'failed' | 'question' | 'answered' | 'closed';

export function answerState(
  invitation: PublicInvitationRead | undefined,
  error: unknown,
  now: Date = new Date(),
): AnswerState {
  if (error) {
    if (isProblem(error) && (error.status === 404 || error.status === 422)) return 'unknown';
    if (isProblem(error) && error.status === 410) return 'expired';
    return 'failed';
  }
  if (!invitation) return 'loading';
  if (!invitation.response) return 'question';
  return new Date(invitation.response.editable_until) > now ? 'answered' : 'closed';
}
