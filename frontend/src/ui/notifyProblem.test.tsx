import { MantineProvider } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { i18n } from '@/i18n/i18n';

import { notifyProblem } from './notifyProblem';

const CONFLICT = {
  type: 'urn:treue:problem:conflict',
  title: 'Conflict',
  status: 409,
  detail: 'a churned contact cannot be churned again',
};

function renderNotifications() {
  render(
    <MantineProvider>
      <Notifications />
    </MantineProvider>,
  );
}

describe('notifyProblem', () => {
  afterEach(() => {
    act(() => {
      notifications.clean();
    });
  });

  it('shows the translated title of the problem type with the server\'s detail', async () => {
    await i18n.changeLanguage('de');
    renderNotifications();
    act(() => {
      notifyProblem(CONFLICT, i18n.t.bind(i18n));
    });
    expect(await screen.findByText('Das geht so nicht')).toBeInTheDocument();
    expect(screen.getByText('a churned contact cannot be churned again')).toBeInTheDocument();
  });

  it('speaks English to an English user', async () => {
    await i18n.changeLanguage('en');
    renderNotifications();
    act(() => {
      notifyProblem(CONFLICT, i18n.t.bind(i18n));
    });
    expect(await screen.findByText('That is not possible like this')).toBeInTheDocument();
  });
});
