// Contact details and GTINs of the demo data (issue 11), kept beside demo-data.ts.
//
// GTINs: GS1 Vietnam's prefix 893, then the company number 99999, which is made up for the
// demo (no real company's number is used), then an item number and a valid check digit.
// Phone and Zalo numbers are illustrative: 0900 000 0xx, shown only in demo mode; websites
// use the reserved `.example` top-level domain (RFC 2606), so no link leads anywhere real.
import type { ProducerContact } from '../db/producers';

/** GTIN-13 by product slug. */
export const DEMO_GTINS: Readonly<Record<string, string>> = {
  'hat-dieu-rang-muoi-ha-my': '8939999900010',
  'keo-dieu-ha-my': '8939999900027',
  'ca-phe-robusta-ha-my': '8939999900034',
  'yen-sao-nam-phu': '8939999900041',
  'tieu-den-vo-thi-hien': '8939999900058',
  'mat-ong-rung-bu-gia-map': '8939999900065',
};

/** Contact by producer key: the demo producer login (Hà Mỵ) has all three, others some. */
export const DEMO_CONTACTS: Readonly<Record<string, ProducerContact>> = {
  'ha-my': { phone: '0900000001', website: 'https://ha-my.example/', zalo: '0900000001' },
  'nam-phu': { phone: '02713000002', website: null, zalo: '0900000002' },
  'vo-thi-hien': { phone: '0900000003', website: null, zalo: null },
  'mat-ong': { phone: null, website: 'https://mat-ong-rung.example/', zalo: null },
};

/** The columns a demo producer's row starts with. */
export function demoContactOf(key: string): ProducerContact {
  return DEMO_CONTACTS[key] ?? { phone: null, website: null, zalo: null };
}

/** The GTIN a demo product starts with, or null. */
export function demoGtinOf(slug: string): string | null {
  return DEMO_GTINS[slug] ?? null;
}
