import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { notifyProblem } from '@/ui/notifyProblem';

import { useChurnActions } from '../hooks/useChurnActions';

// The forms and their libraries load on first use, not with the page.
const EditContactModal = lazy(() => import('./EditContactModal').then((module) => ({ default: module.EditContactModal })));
const RecordOrderModal = lazy(() => import('./RecordOrderModal').then((module) => ({ default: module.RecordOrderModal })));
const ChurnModal = lazy(() => import('./ChurnModal').then((module) => ({ default: module.ChurnModal })));

export type ContactActionsProps = {
  contact: ContactRead;
};

type Open = 'edit' | 'order' | 'churn' | undefined;

/** What can be done to a contact from its 360° page. */
export function ContactActions({ contact }: ContactActionsProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open>();
  const { winBack } = useChurnActions();
  const close = () => {
    setOpen(undefined);
  };
  const churned = contact.lifecycle_stage === 'churned';

  const handleWinBack = () => {
    winBack.mutate(
      { path: { contact_id: contact.id } },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('contact360.churn.wonBack', { name: `${contact.first_name} ${contact.last_name}` }) });
        },
        onError: (error) => {
          notifyProblem(error, t);
        },
      },
    );
  };

  return (
    <Group gap="xs">
      <Button variant="default" onClick={() => { setOpen('edit'); }}>
        {t('contact360.edit.open')}
      </Button>
      <Button variant="light" onClick={() => { setOpen('order'); }}>
        {t('contact360.order.open')}
      </Button>
      {churned ? (
        <Button variant="light" color="teal" loading={winBack.isPending} onClick={handleWinBack}>
          {t('contact360.churn.winBack')}
        </Button>
      ) : (
        <Button variant="subtle" color="red" onClick={() => { setOpen('churn'); }}>
          {t('contact360.churn.open')}
        </Button>
      )}
      <Suspense fallback={null}>
        {open === 'edit' && <EditContactModal contact={contact} onClose={close} />}
        {open === 'order' && <RecordOrderModal contactId={contact.id} onClose={close} />}
        {open === 'churn' && <ChurnModal contact={contact} onClose={close} />}
      </Suspense>
    </Group>
  );
}
