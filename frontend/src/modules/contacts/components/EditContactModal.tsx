import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';

import { ContactForm } from './ContactForm';

export type EditContactModalProps = {
  contact: ContactRead;
  onClose: () => void;
};

export function EditContactModal({ contact, onClose }: EditContactModalProps) {
  const { t } = useTranslation();

  const handleSaved = (saved: ContactRead) => {
    onClose();
    notifications.show({ color: 'teal', message: t('contact360.edit.saved', { name: `${saved.first_name} ${saved.last_name}` }) });
  };

  return (
    <Modal opened onClose={onClose} title={t('contact360.edit.title')} size="lg">
      <ContactForm contact={contact} onSaved={handleSaved} onCancel={onClose} />
    </Modal>
  );
}
