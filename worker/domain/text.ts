// Text that people and programs send us, checked before it goes anywhere else. Postgres
// refuses a NUL character in text outright (a 500 if it gets that far); the other control
// characters and lone surrogates (half of a UTF-16 pair, which no real text holds) would be
// stored, shown to other people and exported, where they break lines, CSV cells and headers.
//
// One rule for every text field and query parameter: C0 controls (U+0000–U+001F), DEL
// (U+007F) and C1 controls (U+0080–U+009F) are refused, except tab, line feed and carriage
// return in a field that is meant to hold several lines (browsers send a textarea's line
// breaks as CR LF). Lone surrogates are refused everywhere.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Without the `u` flag a regex walks UTF-16 code units, so an unpaired half shows up.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `text` holds only characters a person could have typed (see the rule above). */
export function isCleanText(text: string, opts: { multiline?: boolean } = {}): boolean {
  return !(opts.multiline ? CONTROL_BUT_LINES : CONTROL).test(text) && !LONE_SURROGATE.test(text);
}

/** The message beside a field that holds a refused character: Vietnamese / English. */
export const UNCLEAN_TEXT_MESSAGE = 'Có ký tự điều khiển hoặc ký tự không hợp lệ / Contains a control character or an invalid character';
