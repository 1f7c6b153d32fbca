import { Text, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import classes from './ScoreScale.module.css';

export type ScoreScaleProps = {
  labelId: string;
  value: number | null;
  onChange: (score: number) => void;
  min?: number;
  max?: number;
  error?: string;
};

/**
 * The 0–10 question as native radio buttons: Tab reaches the group, the arrow keys choose,
 * and a screen reader announces the question, the position and both ends of the scale.
 */
export function ScoreScale({ labelId, value, onChange, min = 0, max = 10, error }: ScoreScaleProps) {
  const { t } = useTranslation();
  const name = useId();
  const anchorsId = useId();
  const errorId = useId();
  const scores = Array.from({ length: max - min + 1 }, (_, index) => min + index);

  return (
    <div>
      <div
        role="radiogroup"
        aria-labelledby={labelId}
        aria-describedby={error ? `${anchorsId} ${errorId}` : anchorsId}
        aria-required="true"
        aria-invalid={error ? true : undefined}
        className={classes.scale}
      >
        {scores.map((score) => (
          <label key={score} className={classes.option}>
            <input
              type="radio"
              className={classes.input}
              name={name}
              value={score}
              checked={value === score}
              onChange={() => {
                onChange(score);
              }}
            />
            <span className={classes.box}>
              {score}
              {score === min && <VisuallyHidden>{`, ${t('answer.scaleLow')}`}</VisuallyHidden>}
              {score === max && <VisuallyHidden>{`, ${t('answer.scaleHigh')}`}</VisuallyHidden>}
            </span>
          </label>
        ))}
      </div>
      <div id={anchorsId} className={classes.anchors}>
        <Text size="sm" c="dimmed" mt={4}>
          {min} = {t('answer.scaleLow')}
        </Text>
        <Text size="sm" c="dimmed" mt={4} ta="right">
          {max} = {t('answer.scaleHigh')}
        </Text>
      </div>
      {error && (
        <Text id={errorId} size="sm" c="red.8" mt={4} role="alert">
          {error}
        </Text>
      )}
    </div>
  );
}
