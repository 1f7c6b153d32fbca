import 'i18next';

import type { de } from './de';

declare module 'i18next' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface CustomTypeOptions {
    resources: { translation: typeof de };
  }
}
