import { Alert, Button, Group, Stack, Textarea, Title } from '@mantine/core';
import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { PublicInvitationRead } from '@/client';
import { problemByStatus } from '@/lib/api/problemByStatus';

import { useAnswer } from '../hooks/useAnswer';
import { ScoreScale } from './ScoreScale';

export type AnswerFormProps = {
  token: string;
  invitation: PublicInvitationRead;
  onAnswered: () => void;
  onCancel?: () => void;
};

const COMMENT_MAX = 5000;

export function AnswerForm({ token, invitation, onAnswered, onCancel }: AnswerFormProps) {
  const { t } = useTranslation();
  const questionId = useId();
  const answer = useAnswer(token);
  const [score, setScore] = useState<number | null>(invitation.response?.score ?? null);
  const [comment, setComment] = useState(invitation.response?.comment ?? '');
  const [missingScore, setMissingScore] = useState(false);

  const handleSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (score === null) {
      setMissingScore(true);
      return;
    }
    const text = comment.trim();
    answer.mutate({ path: { token }, body: { score, comment: text === '' ? null : text } }, { onSuccess: onAnswered });
  };
  const handleScore = (chosen: number) => {
    setScore(chosen);
    setMissingScore(false);
  };

  return (
    <form noValidate onSubmit={handleSubmit} aria-labelledby={questionId}>
      <Stack gap="lg">
        <Title order={1} size="h3" id={questionId}>
          {invitation.question}
        </Title>
        <ScoreScale
          labelId={questionId}
          value={score}
          onChange={handleScore}
          min={invitation.scale_min}
          max={invitation.scale_max}
          error={missingScore ? t('answer.scoreRequired') : undefined}
        />
        <Textarea
          label={invitation.follow_up_question}
          description={t('answer.optional')}
          rows={4}
          maxLength={COMMENT_MAX}
          value={comment}
          onChange={(event) => {
            setComment(event.currentTarget.value);
          }}
        />
        {answer.isError && (
          <Alert color="red" role="alert">
            {problemByStatus(
              answer.error,
              { 404: t('answer.unknownLink'), 409: t('answer.editClosed'), 410: t('answer.expiredText'), 429: t('answer.tooMany') },
              t('answer.sendFailed'),
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={answer.isPending} size="md">
            {t('answer.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
