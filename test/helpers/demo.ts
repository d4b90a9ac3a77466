import { todayInVietnam } from '../../worker/domain/dates';
import { demoCertificateNumber } from '../../worker/seed/demo-data';

/**
 * The demo certificates' numbers as seeded at `now` (the test context's clock): numbers carry
 * the year of their own decision, and decisions are dated relative to the seed day, so tests
 * ask here instead of spelling a year (issue 12).
 */
export function demoNumbers(now: Date = new Date()) {
  const today = todayInVietnam(now);
  const n = (slug: string, index = -1) => demoCertificateNumber(slug, today, index);
  return {
    /** Hà Mỵ's salted cashews: the first 5★ decision, superseded by its renewal. */
    haMyOld: n('hat-dieu-rang-muoi-ha-my', 0),
    /** …and the renewal in force (the first demo batch, HM-RM-01, is printed under it). */
    haMy5: n('hat-dieu-rang-muoi-ha-my'),
    keo: n('keo-dieu-ha-my'),
    robusta: n('ca-phe-robusta-ha-my'),
    khanhSam: n('hat-dieu-rang-muoi-khanh-sam'),
    greenLotus: n('hat-dieu-rang-muoi-green-lotus'),
    myLe: n('dieu-rang-muoi-vo-lua-my-le'),
    phucThinh: n('dieu-mat-ong-phuc-thinh'),
    vinahe: n('banh-cashewpie-vinahe'),
    cong: n('ca-phe-nguyen-chat-cong'),
    namPhu: n('yen-sao-nam-phu'),
    tieuDen: n('tieu-den-vo-thi-hien'),
    locQuang: n('ho-tieu-huu-co-loc-quang'),
    thoCam: n('tho-cam-stieng-bu-dang'),
    duLich: n('du-lich-cong-dong-bu-dang'),
    /** Revoked (illustrative). */
    matOng: n('mat-ong-rung-bu-gia-map'),
    /** Expired, renewal under review (illustrative). */
    banhTrang: n('banh-trang-phoi-suong-phu-rieng'),
    /** Valid, with a lot past its best-before date (illustrative). */
    mutDieu: n('mut-dieu-phu-rieng'),
  };
}
