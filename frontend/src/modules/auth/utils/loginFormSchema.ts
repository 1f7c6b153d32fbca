import type { TFunction } from 'i18next';
import { z } from 'zod';

export function loginFormSchema(t: TFunction) {
  return z.object({
    email: z.email(t('auth.emailInvalid')),
    password: z.string().min(1, t('auth.passwordRequired')),
  });
}
