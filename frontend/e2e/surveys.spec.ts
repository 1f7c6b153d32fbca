import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { AnswerPage } from './pages/AnswerPage';
import { ContactsPage } from './pages/ContactsPage';
import { LoginPage } from './pages/LoginPage';
import { SurveyPage } from './pages/SurveyPage';
import { SurveysPage } from './pages/SurveysPage';
import { TodayPage } from './pages/TodayPage';
import { screenshot } from './screenshots';

test('send a survey, answer it on the public page by keyboard with a 3, and see the case and the call-back task', async ({
  page,
  browser,
}, testInfo) => {
  // The call-back task travels survey-service -> Kafka -> contacts-service: on a busy machine that takes a while.
  test.setTimeout(180_000);
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const person = { firstName: 'Kurt', lastName: `Kritisch ${unique}`, email: `kurt-${unique}@example.com` };
  const surveyName = `Nach dem Kauf ${unique}`;

  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  const today = new TodayPage(page);
  await expect(today.heading).toBeVisible();

  const contacts = new ContactsPage(page);
  await contacts.open();
  await contacts.create(person);
  await expect(page.getByRole('heading', { name: `${person.firstName} ${person.lastName}` })).toBeVisible();

  const surveys = new SurveysPage(page);
  await surveys.open();
  await surveys.create(surveyName);
  const survey = new SurveyPage(page);
  await expect(survey.heading(surveyName)).toBeVisible();
  const link = await survey.inviteContact(person.lastName, new RegExp(person.lastName));
  expect(link).toMatch(/\/s\/[\w-]{20,}$/);
  await screenshot(page, 'survey-invited');

  // The customer: no session, a phone, only the keyboard.
  const customer = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
  const phone = await customer.newPage();
  const answer = new AnswerPage(phone);
  await answer.open(new URL(new URL(link).pathname, page.url()).toString());
  await expect(answer.scale).toHaveAccessibleName(/empfehlen/);
  await screenshot(phone, 'answer-question');
  await answer.answerByKeyboard(3, 'Die Lieferung kam zu spät.');
  await expect(phone.getByRole('heading', { name: 'Vielen Dank für Ihre Antwort!' })).toBeVisible();
  await expect(phone.getByText('Ihre Bewertung: 3 von 10')).toBeVisible();
  await screenshot(phone, 'answer-thanks');
  await customer.close();

  // Back in the CRM: the answer arrives on the survey page by polling, with the NPS.
  await expect(survey.responses.getByRole('cell', { name: 'Die Lieferung kam zu spät.' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(survey.nps.getByTestId('nps-value')).toHaveText('-100');
  await screenshot(page, 'survey');

  // The detractor opened a feedback case and (through the events) a call-back task.
  await today.open();
  await today.showUnassigned();
  const name = `${person.firstName} ${person.lastName}`;
  await expect(today.cases.getByRole('link', { name })).toBeVisible({ timeout: 30_000 });
  await expect(today.tasks.getByRole('listitem').filter({ hasText: name })).toBeVisible({ timeout: 30_000 });
  await screenshot(page, 'today-unassigned');

  const caseRow = today.cases.getByRole('listitem').filter({ hasText: name });
  await caseRow.getByRole('button', { name: 'Übernehmen' }).click();
  await today.showMine();
  const mine = today.cases.getByRole('listitem').filter({ hasText: name });
  await mine.getByRole('button', { name: 'Bearbeitung beginnen' }).click();
  await expect(mine.getByText('in Bearbeitung')).toBeVisible();
  await screenshot(page, 'today');
  await mine.getByRole('button', { name: 'Lösen …' }).click();
  await mine.getByLabel('Lösungsnotiz').fill('Angerufen, Versandkosten erstattet.');
  await mine.getByRole('button', { name: 'Als gelöst markieren' }).click();
  await expect(today.cases.getByRole('link', { name })).toBeHidden();
});
