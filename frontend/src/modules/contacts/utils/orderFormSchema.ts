import type { TFunction } from 'i18next';
import { z } from 'zod';

import type { OrderCreate } from '@/client';

const decimal = /^\d+([.,]\d{1,2})?$/;

export function orderFormSchema(t: TFunction) {
  return z.object({
    ordered_at: z.string().refine((value) => !Number.isNaN(new Date(value).getTime()), t('contacts.form.required')),
    currency: z.string().trim().regex(/^[A-Za-z]{3}$/, t('contact360.order.currencyInvalid')),
    external_id: z.string().trim().max(100, t('contacts.form.tooLong', { max: 100 })),
    lines: z
      .array(
        z.object({
          product_id: z.string().min(1, t('contacts.form.required')),
          quantity: z.string().trim().regex(/^\d+([.,]\d+)?$/, t('contact360.order.numberInvalid')),
          unit_price: z.union([z.literal(''), z.string().trim().regex(decimal, t('contact360.order.numberInvalid'))]),
        }),
      )
      .min(1),
  });
}

export type OrderFormValues = z.infer<ReturnType<typeof orderFormSchema>>;

const number = (value: string) => value.trim().replace(',', '.');

/** Decimal comma or point; an empty price means the product's own. */
export function toOrderCreate(contactId: string, values: OrderFormValues): OrderCreate {
  return {
    contact_id: contactId,
    ordered_at: new Date(values.ordered_at).toISOString(),
    currency: values.currency.toUpperCase(),
    external_id: values.external_id === '' ? null : values.external_id,
    lines: values.lines.map((line) => ({
      product_id: line.product_id,
      quantity: number(line.quantity),
      unit_price: line.unit_price === '' ? null : number(line.unit_price),
    })),
  };
}
