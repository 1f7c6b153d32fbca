import { useMutation } from '@tanstack/react-query';

import { contractsCancelContractMutation, contractsRenewContractMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

const AFFECTED = ['contractsListContracts', 'contactsGetTimeline', 'analyticsGetCustomer'];

export function useContractActions() {
  const invalidate = useInvalidate();
  const renew = useMutation({ ...contractsRenewContractMutation(), onSuccess: () => invalidate(...AFFECTED) });
  const cancel = useMutation({ ...contractsCancelContractMutation(), onSuccess: () => invalidate(...AFFECTED) });
  return { renew, cancel };
}
