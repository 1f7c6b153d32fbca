import { useMutation } from '@tanstack/react-query';

import { contactsListContacts, surveysInviteContacts } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';
import type { ContactsSearch } from '../types/ContactsSearch';
import { toListFilter } from '../utils/toListFilter';

// The survey API takes up to this many contact ids per request.
const INVITE_BATCH = 1000;
const PAGE = 500;
// Beyond this, the list's filters should be saved as a segment and the segment invited.
export const MAX_INVITED = 10_000;

export type InviteOutcome = { invited: number; skipped: number };
export type InviteRequest = {
  surveyId: string;
  selection: ContactSelection;
  search: ContactsSearch;
  onProgress: (fraction: number) => void;
};

/** The ids of every contact the list's filters match but `excluded`, page by page, at most MAX_INVITED. */
async function matchingIds(search: ContactsSearch, excluded: ReadonlySet<string>): Promise<string[]> {
  const filter = toListFilter(search);
  const ids: string[] = [];
  let cursor: string | null | undefined;
  do {
    const { data } = await contactsListContacts({
      query: { ...filter, limit: PAGE, ...(cursor && { cursor }) },
      throwOnError: true,
    });
    ids.push(...data.items.map((contact) => contact.id).filter((id) => !excluded.has(id)));
    cursor = data.next_cursor;
  } while (cursor && ids.length < MAX_INVITED);
  return ids.slice(0, MAX_INVITED);
}

/** Whether the selection is exactly a segment: every member, no other filter, no row unticked. */
export function invitesWholeSegment(selection: ContactSelection, search: ContactsSearch): boolean {
  const onlySegment = Boolean(search.segment) && !search.q && !search.stage && !search.tag;
  return selection.mode === 'matching' && selection.excluded.size === 0 && onlySegment;
}

/**
 * Invites the selection by personal link: a whole segment in one request when the list
 * shows exactly a segment, otherwise the contact ids a thousand at a time.
 */
async function invite({ surveyId, selection, search, onProgress }: InviteRequest): Promise<InviteOutcome> {
  if (invitesWholeSegment(selection, search) && search.segment) {
    const { data } = await surveysInviteContacts({
      path: { survey_id: surveyId },
      body: { segment_id: search.segment, channel: 'link' },
      throwOnError: true,
    });
    return { invited: data.items.length, skipped: data.skipped.length };
  }
  const ids = selection.mode === 'matching' ? await matchingIds(search, selection.excluded) : [...selection.ids];
  const outcome: InviteOutcome = { invited: 0, skipped: 0 };
  for (let start = 0; start < ids.length; start += INVITE_BATCH) {
    const { data } = await surveysInviteContacts({
      path: { survey_id: surveyId },
      body: { contact_ids: ids.slice(start, start + INVITE_BATCH), channel: 'link' },
      throwOnError: true,
    });
    outcome.invited += data.items.length;
    outcome.skipped += data.skipped.length;
    onProgress(Math.min((start + INVITE_BATCH) / ids.length, 1));
  }
  return outcome;
}

export function useInviteSelection() {
  return useMutation({ mutationFn: invite });
}
