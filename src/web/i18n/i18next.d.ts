import type en from './en.json' with { type: 'json' };

/** Typed keys: t('nav.customerz') is a compile error, and en.json is the reference key set. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
