import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContractRead } from '@/client';
import { formLevelErrors } from '@/lib/api/formErrors';
import { mapProblemToFields } from '@/lib/api/mapProblemToFields';
import { FormErrors } from '@/ui/FormErrors';

import { useContractActions } from '../hooks/useContractActions';

export type CancelContractModalProps = {
  contract: ContractRead;
  onClose: () => void;
};

/** Notice on a contract: it runs to its end date and is not renewed; the reason is required. */
export function CancelContractModal({ contract, onClose }: CancelContractModalProps) {
  const { t } = useTranslation();
  const { cancel } = useContractActions();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [formErrors, setFormErrors] = useState<string[]>([]);

  const handleSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    setFormErrors([]);
    if (reason.trim() === '') {
      setReasonError(t('contacts.form.required'));
      return;
    }
    cancel.mutate(
      { path: { contract_id: contract.id }, body: { reason: reason.trim() } },
      {
        onSuccess: onClose,
        onError: (error) => {
          const mapping = mapProblemToFields(error, ['reason'] as const, t);
          setReasonError(mapping.fieldErrors.reason);
          setFormErrors(formLevelErrors(mapping, t('common.unexpectedError')));
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('contact360.contracts.cancelTitle')}>
      <form noValidate onSubmit={handleSubmit}>
        <Stack gap="sm">
          <FormErrors messages={formErrors} />
          <Textarea
            label={t('contact360.contracts.cancelReason')}
            description={t('contact360.contracts.cancelHint')}
            withAsterisk
            autoFocus
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setReasonError(undefined);
            }}
            error={reasonError}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={cancel.isPending}>
              {t('contact360.contracts.cancelSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
