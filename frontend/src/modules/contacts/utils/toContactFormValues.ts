import type { ContactRead, CustomFieldRead } from '@/client';

import type { ContactFormValues } from '../types/ContactFormValues';
import { toCustomFieldFormValues } from './customFieldValues';
import { LIFECYCLE_STAGES } from './lifecycleStages';

/** An existing contact as the form edits it: empty strings for what is not set. */
export function toContactFormValues(contact: ContactRead, customFields: readonly CustomFieldRead[]): ContactFormValues {
  return {
    first_name: contact.first_name,
    last_name: contact.last_name,
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    company: contact.company ?? '',
    lifecycle_stage: LIFECYCLE_STAGES.find((stage) => stage === contact.lifecycle_stage) ?? 'lead',
    language: contact.language === 'en' ? 'en' : 'de',
    tags: contact.tags,
    marketing_consent: contact.marketing_consent,
    custom_fields: toCustomFieldFormValues(customFields, contact.custom_fields),
  };
}
