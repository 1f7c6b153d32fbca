import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

import type { TaskRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';

type Titled = Pick<TaskRead, 'title' | 'title_code' | 'title_params'>;
type Params = NonNullable<TaskRead['title_params']>;

/**
 * An automatic task's title in the reader's language from its `title_code` and `title_params`
 * (dates and numbers in their locale); the stored `title` for manual tasks, rewritten ones and
 * a code or parameters this app does not know.
 */
export function useTaskTitle(): (task: Titled) => string {
  const { t } = useTranslation();
  const format = useFormatters();
  return useCallback(
    (task: Titled) => {
      const params: Params = task.title_params ?? {};
      const text = (name: string) => (typeof params[name] === 'string' ? params[name] : undefined);
      const score = params.score;
      switch (task.title_code) {
        case 'order_follow_up': {
          const order = text('order');
          return order === undefined ? task.title : t('today.titles.order_follow_up', { order });
        }
        case 'renewal': {
          const [end, notice] = [text('end_date'), text('notice_date')];
          return end === undefined || notice === undefined
            ? task.title
            : t('today.titles.renewal', { end_date: format.date(end), notice_date: format.date(notice) });
        }
        case 'detractor_call_back':
          return typeof score === 'number'
            ? t('today.titles.detractor_call_back', { score: format.number(score, 0) })
            : task.title;
        default:
          return task.title;
      }
    },
    [t, format],
  );
}
