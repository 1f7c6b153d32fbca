import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContractRead } from '@/client';
import { productsGetProductOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { QueryView } from '@/ui/QueryView';
import { notifyProblem } from '@/ui/notifyProblem';

import { useContactContracts } from '../hooks/useContactContracts';
import { useContractActions } from '../hooks/useContractActions';
import { CancelContractModal } from './CancelContractModal';

export type ContactContractsProps = {
  contactId: string;
};

const STATUS_COLORS = { active: 'teal', renewed: 'blue', notice_given: 'orange', ended: 'gray' } as const;

function ProductName({ productId }: { productId: string }) {
  const product = useQuery(productsGetProductOptions({ path: { product_id: productId } }));
  return <>{product.data ? `${product.data.name} (${product.data.sku})` : productId.slice(0, 8)}</>;
}

function ContractRow({ contract, onCancel }: { contract: ContractRead; onCancel: () => void }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const { renew } = useContractActions();
  const running = contract.status === 'active' || contract.status === 'renewed';

  const handleRenew = () => {
    renew.mutate(
      { path: { contract_id: contract.id } },
      {
        onSuccess: (renewed) => {
          notifications.show({ color: 'teal', message: t('contact360.contracts.renewed', { end: format.date(renewed.end_date) }) });
        },
        onError: (error) => {
          notifyProblem(error, t);
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" component="li" aria-label={t('contact360.contracts.item')}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <Text fw={600} size="sm">
              <ProductName productId={contract.product_id} />
            </Text>
            <Badge size="sm" variant="light" color={STATUS_COLORS[contract.status]}>
              {t(`contact360.contracts.status.${contract.status}`)}
            </Badge>
            {contract.auto_renew && (
              <Badge size="sm" variant="outline" color="gray">
                {t('contact360.contracts.autoRenew')}
              </Badge>
            )}
          </Group>
          <Text size="sm">
            {t('contact.contractPeriod', {
              start: format.date(contract.start_date),
              end: format.date(contract.end_date),
              value: format.money(contract.monthly_value, contract.currency),
            })}
          </Text>
          <Text size="xs" c="dimmed">
            {contract.status === 'notice_given'
              ? t('contact360.contracts.cancelledBecause', { reason: contract.cancellation_reason ?? t('common.none') })
              : t('contact360.contracts.noticeBy', { date: format.date(contract.notice_date) })}
          </Text>
        </Stack>
        {running && (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="light" loading={renew.isPending} onClick={handleRenew}>
              {t('contact360.contracts.renew')}
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={onCancel}>
              {t('contact360.contracts.cancel')}
            </Button>
          </Group>
        )}
      </Group>
    </Paper>
  );
}

/** The contact's contracts, with renewal and notice. */
export function ContactContracts({ contactId }: ContactContractsProps) {
  const { t } = useTranslation();
  const contracts = useContactContracts(contactId);
  const [cancelling, setCancelling] = useState<ContractRead>();

  return (
    <>
      <QueryView
        query={contracts}
        errorTitle={t('contact360.contracts.error')}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('contact360.contracts.empty')}
          </Text>
        }
      >
        {(page) => (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {page.items.map((contract) => (
              <ContractRow
                key={contract.id}
                contract={contract}
                onCancel={() => {
                  setCancelling(contract);
                }}
              />
            ))}
          </Stack>
        )}
      </QueryView>
      {cancelling && (
        <CancelContractModal
          contract={cancelling}
          onClose={() => {
            setCancelling(undefined);
          }}
        />
      )}
    </>
  );
}
