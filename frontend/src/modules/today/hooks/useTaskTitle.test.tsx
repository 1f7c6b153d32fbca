import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import { i18n } from '@/i18n/i18n';

import { useTaskTitle } from './useTaskTitle';

function wrapper({ children }: { children: ReactNode }) {
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

// Written for an English contact; read by German and English agents alike.
const followUp = { title: 'Follow up: order SHOP-ORD-1042', title_code: 'order_follow_up', title_params: { order: 'SHOP-ORD-1042' } };
const renewal = {
  title: 'Renewal: contract ends on 2026-12-31, notice date 2026-10-02',
  title_code: 'renewal',
  title_params: { end_date: '2026-12-31', notice_date: '2026-10-02' },
};
const callBack = { title: 'Rückruf: Detraktor (Score 3)', title_code: 'detractor_call_back', title_params: { score: 3 } };

describe('useTaskTitle', () => {
  it('writes automatic titles in the reader\'s language with their dates and numbers', async () => {
    await act(() => i18n.changeLanguage('de'));
    const { result } = renderHook(() => useTaskTitle(), { wrapper });
    expect(result.current(followUp)).toBe('Nachfassen: Bestellung SHOP-ORD-1042');
    expect(result.current(renewal)).toBe('Verlängerung: Vertrag endet am 31.12.2026, Kündigungsfrist 02.10.2026');
    expect(result.current(callBack)).toBe('Rückruf: Detraktor (Score 3)');

    await act(() => i18n.changeLanguage('en'));
    expect(result.current(followUp)).toBe('Follow up: order SHOP-ORD-1042');
    expect(result.current(renewal)).toBe('Renewal: contract ends on Dec 31, 2026, notice date Oct 2, 2026');
    expect(result.current(callBack)).toBe('Call back: detractor (score 3)');
  });

  it('keeps the stored title for manual and rewritten tasks and for codes or values it does not know', async () => {
    await act(() => i18n.changeLanguage('de'));
    const { result } = renderHook(() => useTaskTitle(), { wrapper });
    expect(result.current({ title: 'Angebot nachfassen', title_code: null, title_params: null })).toBe('Angebot nachfassen');
    expect(result.current({ ...followUp, title_code: 'quote_follow_up' })).toBe(followUp.title);
    expect(result.current({ ...renewal, title_params: { end_date: '2026-12-31' } })).toBe(renewal.title);
    expect(result.current({ ...callBack, title_params: { score: 'three' } })).toBe(callBack.title);
  });
});
