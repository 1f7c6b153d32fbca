import { useMutation } from '@tanstack/react-query';

import { importsCreateImportMutation } from '@/client/@tanstack/react-query.gen';

export function useStartImport() {
  return useMutation(importsCreateImportMutation());
}
