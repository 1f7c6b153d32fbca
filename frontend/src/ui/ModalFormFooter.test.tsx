import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/test/renderWithProviders';

import { ModalFormFooter } from './ModalFormFooter';

describe('ModalFormFooter', () => {
  it('cancels without submitting, and submits the form it ends', async () => {
    const onCancel = vi.fn();
    const onSubmit = vi.fn((event: { preventDefault: () => void }) => {
      event.preventDefault();
    });
    renderWithProviders(
      <form onSubmit={onSubmit}>
        <ModalFormFooter submitLabel="Create user" loading={false} onCancel={onCancel} />
      </form>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it('keeps the submit button from being pressed again while sending', () => {
    renderWithProviders(
      <form>
        <ModalFormFooter submitLabel="Create user" loading onCancel={vi.fn()} />
      </form>,
    );
    expect(screen.getByRole('button', { name: 'Create user' })).toBeDisabled();
  });
});
