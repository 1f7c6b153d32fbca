import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import type { SurveyRead } from '@/client';

import { SurveyForm } from './SurveyForm';

export type NewSurveyModalProps = {
  opened: boolean;
  onClose: () => void;
};

/** Loaded on first use, like the new-contact form. */
export function NewSurveyModal({ opened, onClose }: NewSurveyModalProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  const handleCreated = (survey: SurveyRead) => {
    onClose();
    notifications.show({ color: 'teal', message: t('surveys.created', { name: survey.name }) });
    void navigate({ to: '/surveys/$surveyId', params: { surveyId: survey.id } });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('surveys.new')} size="lg">
      <SurveyForm onCreated={handleCreated} onCancel={onClose} />
    </Modal>
  );
}
