import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { isProblem } from '@/lib/api/isProblem';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

/** What QueryView needs of a TanStack query (plain or infinite). */
export type QueryState<TData> = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: TData | undefined;
  refetch: () => unknown;
};

export type QueryViewProps<TData> = {
  query: QueryState<TData>;
  /** The error's headline: what could not be loaded. */
  errorTitle: string;
  /** Shown instead of the data when it holds nothing, telling the user what to do next. */
  empty?: ReactNode;
  isEmpty?: (data: TData) => boolean;
  /** Shown instead of the error for a 404 (e.g. analytics has not seen the contact yet). */
  notFound?: ReactNode;
  children: (data: TData) => ReactNode;
};

/** The loading / error (with retry) / empty / data switch every data panel and admin table repeats. */
export function QueryView<TData>({ query, errorTitle, empty, isEmpty, notFound, children }: QueryViewProps<TData>) {
  const { t } = useTranslation();
  if (query.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (query.isError || query.data === undefined) {
    if (notFound !== undefined && isProblem(query.error) && query.error.status === 404) {
      return notFound;
    }
    return (
      <ErrorState
        title={errorTitle}
        text={problemMessage(query.error, t('common.unexpectedError'))}
        retryLabel={t('common.retry')}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (empty !== undefined && isEmpty?.(query.data)) {
    return empty;
  }
  return children(query.data);
}
