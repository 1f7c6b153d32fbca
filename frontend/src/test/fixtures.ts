import type { CaseRead, UserRead } from '@/client';

/** The signed-in agent of the component tests. */
export const AGENT: UserRead = {
  id: 'u1',
  email: 'anna@treue.local',
  name: 'Anna',
  role: 'agent',
  active: true,
  created_at: '2026-01-01T00:00:00Z',
};

export const LONG_AGO = '2020-01-01T09:00:00Z';

/** A detractor's open case of contact c1, due long ago; `fields` change what a test is about. */
export function feedbackCaseFixture(id: string, fields: Partial<CaseRead> = {}): CaseRead {
  return {
    id,
    contact_id: 'c1',
    survey_id: 's1',
    response_id: `r-${id}`,
    status: 'open',
    owner_id: null,
    due_at: LONG_AGO,
    resolution_note: null,
    created_at: LONG_AGO,
    updated_at: LONG_AGO,
    resolved_at: null,
    score: 3,
    comment: 'The delivery was late',
    survey_name: 'After the purchase',
    ...fields,
  };
}
