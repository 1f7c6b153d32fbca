import type { Selection } from '@/client';
import { contactsExportSelection } from '@/client';

/** Asks the API for the selection's CSV and hands it to the browser as a download. */
export async function downloadSelection(target: Selection, filename: string): Promise<void> {
  const { data } = await contactsExportSelection({ body: target, parseAs: 'blob', throwOnError: true });
  const url = URL.createObjectURL(data as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
