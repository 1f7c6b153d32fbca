import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ModalFormFooterProps = {
  /** What the submit button does, e.g. "Create user". */
  submitLabel: string;
  /** While the form is being sent: the submit button spins and cannot be pressed twice. */
  loading: boolean;
  onCancel: () => void;
};

/** The cancel + submit row that ends every form shown in a modal. */
export function ModalFormFooter({ submitLabel, loading, onCancel }: ModalFormFooterProps) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}
