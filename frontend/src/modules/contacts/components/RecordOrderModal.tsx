import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { productsListProductsOptions } from '@/client/@tanstack/react-query.gen';
import { showProblemInForm } from '@/lib/api/formErrors';
import { FormErrors } from '@/ui/FormErrors';

import { useRecordOrder } from '../hooks/useRecordOrder';
import { orderFormSchema, toOrderCreate, type OrderFormValues } from '../utils/orderFormSchema';

export type RecordOrderModalProps = {
  contactId: string;
  onClose: () => void;
};

const FIELDS = ['ordered_at', 'currency', 'external_id', 'lines'] as const;
const EMPTY_LINE = { product_id: '', quantity: '1', unit_price: '' };

/** The local date-time input's value for now. */
function nowLocal(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** An order by hand (e.g. taken on the phone); shop orders arrive through the API or an import. */
export function RecordOrderModal({ contactId, onClose }: RecordOrderModalProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => orderFormSchema(t), [t]);
  const recordOrder = useRecordOrder();
  const products = useQuery(productsListProductsOptions({ query: { active: true, limit: 100 } }));
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting },
  } = useForm<OrderFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { ordered_at: nowLocal(), currency: 'EUR', external_id: '', lines: [EMPTY_LINE] },
  });
  const lines = useFieldArray({ control, name: 'lines' });
  const options = (products.data?.items ?? []).map((product) => ({ value: product.id, label: `${product.name} (${product.sku})` }));

  const handleValidSubmit = async (values: OrderFormValues) => {
    setFormErrors([]);
    try {
      await recordOrder.mutateAsync({ body: toOrderCreate(contactId, values) });
      notifications.show({ color: 'teal', message: t('contact360.order.recorded') });
      onClose();
    } catch (error) {
      setFormErrors(showProblemInForm(error, FIELDS, setError, t, t('common.unexpectedError')));
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('contact360.order.title')} size="lg">
      <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)}>
        <Stack gap="sm">
          <FormErrors messages={errors.lines?.message ? [...formErrors, errors.lines.message] : formErrors} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput
              label={t('contact360.order.orderedAt')}
              type="datetime-local"
              withAsterisk
              {...register('ordered_at')}
              error={errors.ordered_at?.message}
            />
            <TextInput label={t('contact360.order.currency')} withAsterisk maxLength={3} {...register('currency')} error={errors.currency?.message} />
            <TextInput label={t('contact360.order.externalId')} {...register('external_id')} error={errors.external_id?.message} />
          </SimpleGrid>
          <Text size="sm" fw={600}>
            {t('contact360.order.lines')}
          </Text>
          {products.isSuccess && options.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('contact360.order.noProducts')}
            </Text>
          )}
          {lines.fields.map((line, index) => (
            <Group key={line.id} align="flex-start" gap="xs" wrap="nowrap">
              <Controller
                control={control}
                name={`lines.${index}.product_id`}
                render={({ field, fieldState }) => (
                  <Select
                    style={{ flex: 3 }}
                    label={t('contact360.order.product', { n: index + 1 })}
                    withAsterisk
                    searchable
                    data={options}
                    value={field.value === '' ? null : field.value}
                    onChange={(value) => {
                      field.onChange(value ?? '');
                      const product = products.data?.items.find((candidate) => candidate.id === value);
                      if (product && index === 0) setValue('currency', product.currency);
                      if (product && getValues(`lines.${index}.unit_price`) === '') {
                        setValue(`lines.${index}.unit_price`, product.price);
                      }
                    }}
                    error={fieldState.error?.message}
                  />
                )}
              />
              <TextInput
                style={{ flex: 1 }}
                label={t('contact360.order.quantity')}
                inputMode="decimal"
                withAsterisk
                {...register(`lines.${index}.quantity`)}
                error={errors.lines?.[index]?.quantity?.message}
              />
              <TextInput
                style={{ flex: 1 }}
                label={t('contact360.order.unitPrice')}
                inputMode="decimal"
                {...register(`lines.${index}.unit_price`)}
                error={errors.lines?.[index]?.unit_price?.message}
              />
              <ActionIcon
                mt={28}
                variant="subtle"
                color="gray"
                disabled={lines.fields.length === 1}
                aria-label={t('contact360.order.removeLine', { n: index + 1 })}
                onClick={() => {
                  lines.remove(index);
                }}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group justify="space-between">
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                lines.append(EMPTY_LINE);
              }}
            >
              {t('contact360.order.addLine')}
            </Button>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={isSubmitting}>
                {t('contact360.order.submit')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
