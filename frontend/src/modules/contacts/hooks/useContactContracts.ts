import { useQuery } from '@tanstack/react-query';

import { contractsListContractsOptions } from '@/client/@tanstack/react-query.gen';

/** A contact has a handful of contracts: one page of 100 holds them all. */
export function useContactContracts(contactId: string) {
  return useQuery(contractsListContractsOptions({ query: { contact_id: contactId, limit: 100 } }));
}
