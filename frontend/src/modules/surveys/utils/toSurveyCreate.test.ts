import { describe, expect, it } from 'vitest';

import { toSurveyCreate } from './toSurveyCreate';

const EMPTY = {
  name: ' Nach dem Kauf ',
  question_de: '',
  question_en: '',
  follow_up_de: '',
  follow_up_en: '',
  quiet_period_days: 90,
};

describe('toSurveyCreate', () => {
  it('leaves the questions out when none are given, for the standard wording', () => {
    expect(toSurveyCreate(EMPTY)).toEqual({ name: 'Nach dem Kauf', quiet_period_days: 90 });
  });

  it('sends each question as its language pair', () => {
    const body = toSurveyCreate({
      ...EMPTY,
      question_de: ' Wie war es? ',
      question_en: 'How was it?',
      follow_up_de: 'Warum?',
      follow_up_en: 'Why?',
    });
    expect(body.question).toEqual({ de: 'Wie war es?', en: 'How was it?' });
    expect(body.follow_up_question).toEqual({ de: 'Warum?', en: 'Why?' });
  });
});
