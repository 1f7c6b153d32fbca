import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formLevelErrors } from '@/lib/api/formErrors';
import { mapProblemToFields } from '@/lib/api/mapProblemToFields';

/**
 * A form's errors from the API's problem+json: each at the field it names, the rest (or a
 * generic message when the request failed without a problem) for the form's alert.
 */
export function useServerErrors<TField extends string>(fields: readonly TField[]) {
  const { t } = useTranslation();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<TField, string>>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);

  const clear = () => {
    setFieldErrors({});
    setFormErrors([]);
  };

  const show = (error: unknown) => {
    const mapping = mapProblemToFields(error, fields, t);
    setFieldErrors(mapping.fieldErrors);
    setFormErrors(formLevelErrors(mapping, t('common.unexpectedError')));
  };

  return { fieldErrors, formErrors, setFieldErrors, clear, show };
}
