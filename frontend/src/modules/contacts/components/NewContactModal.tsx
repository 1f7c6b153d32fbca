import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';

import { ContactForm } from './ContactForm';

export type NewContactModalProps = {
  opened: boolean;
  onClose: () => void;
};

/** Loaded on first use: the form's libraries (react-hook-form, zod) stay out of the list's bundle. */
export function NewContactModal({ opened, onClose }: NewContactModalProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  const handleCreated = (contact: ContactRead) => {
    onClose();
    notifications.show({ color: 'teal', message: t('contacts.created', { name: `${contact.first_name} ${contact.last_name}` }) });
    void navigate({ to: '/contacts/$contactId', params: { contactId: contact.id } });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('contacts.new')} size="lg">
      <ContactForm onSaved={handleCreated} onCancel={onClose} />
    </Modal>
  );
}
