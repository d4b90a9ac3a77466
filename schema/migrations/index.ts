import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-28-01-initial';
import * as publicSearch from './2026-11-28-02-public-search';
import * as loginThrottle from './2026-11-28-03-login-throttle';
import * as certificateSearch from './2026-11-29-01-certificate-search';
import * as scanSummaries from './2026-11-30-01-scan-summaries';
import * as changeNotify from './2026-12-01-01-change-notify';
import * as media from './2026-12-02-01-media';
import * as renewalPending from './2026-12-02-02-renewal-pending';
import * as contact from './2026-12-02-03-contact';
import * as plans from './2026-12-02-04-plans';
import * as registerImport from './2026-12-02-05-import';
import * as salesPoints from './2026-12-02-06-sales-points';
import * as searchDocuments from './2026-12-02-07-search-documents';

// Imported statically: Workers have no filesystem to scan. Append new migrations here,
// named by date so they sort in the order they must run.
export const migrations: Record<string, Migration> = {
  '2026-11-28-01-initial': initial,
  '2026-11-28-02-public-search': publicSearch,
  '2026-11-28-03-login-throttle': loginThrottle,
  '2026-11-29-01-certificate-search': certificateSearch,
  '2026-11-30-01-scan-summaries': scanSummaries,
  '2026-12-01-01-change-notify': changeNotify,
  '2026-12-02-01-media': media,
  '2026-12-02-02-renewal-pending': renewalPending,
  '2026-12-02-03-contact': contact,
  '2026-12-02-04-plans': plans,
  '2026-12-02-05-import': registerImport,
  '2026-12-02-06-sales-points': salesPoints,
  '2026-12-02-07-search-documents': searchDocuments,
};
