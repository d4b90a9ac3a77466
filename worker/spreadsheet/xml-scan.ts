// A small, strict XML scanner for the parts of an XLSX file the reader needs (shared strings,
// the workbook, the first sheet). It checks what it reads is well formed (tags nest and
// close, entities are the five predefined ones or character references) and refuses any
// DOCTYPE, so no entity expansion or external reference can happen. It builds no tree: the
// caller gets open/close/text events and keeps only what it wants.
import { SpreadsheetError } from './read-error';

export interface XmlHandler {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

function broken(part: string, detail: string): SpreadsheetError {
  return new SpreadsheetError('broken_xml', `Tệp XLSX bị hỏng: nội dung XML của ${part} không hợp lệ (${detail})`, `The XLSX file is damaged: the XML of ${part} is not well formed (${detail})`);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string, part: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&<>]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw broken(part, 'bad entity');
    if (name.startsWith('#x') || name.startsWith('#X')) {
      const code = Number.parseInt(name.slice(2), 16);
      if (!Number.isFinite(code) || code > 0x10ffff) throw broken(part, `bad character reference &${name};`);
      return String.fromCodePoint(code);
    }
    if (name.startsWith('#')) {
      const code = Number.parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw broken(part, `bad character reference &${name};`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[name];
    if (value === undefined) throw broken(part, `unknown entity &${name};`);
    return value;
  });
}

const ATTR = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseTag(inner: string, part: string): { name: string; attrs: Record<string, string> } {
  const m = /^([A-Za-z_:][-A-Za-z0-9_:.]*)/.exec(inner);
  if (!m) throw broken(part, 'bad tag name');
  const name = m[1]!;
  const attrs: Record<string, string> = {};
  const rest = inner.slice(name.length);
  let consumed = 0;
  for (const a of rest.matchAll(ATTR)) {
    if (rest.slice(consumed, a.index).trim() !== '') throw broken(part, `bad attribute in <${name}>`);
    attrs[a[1]!] = decodeEntities(a[3] ?? a[4] ?? '', part);
    consumed = a.index + a[0].length;
  }
  if (rest.slice(consumed).trim() !== '') throw broken(part, `bad attribute in <${name}>`);
  return { name, attrs };
}

/** Scans `xml`, calling the handler; throws `broken_xml` on anything not well formed. */
export function scanXml(xml: string, part: string, handler: XmlHandler): void {
  const stack: string[] = [];
  let i = 0;
  let rootSeen = false;
  const n = xml.length;
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const text = xml.slice(i, textEnd);
      if (stack.length > 0) handler.text(decodeEntities(text, part));
      else if (text.trim() !== '') throw broken(part, 'text outside the root element');
    }
    if (lt < 0) break;
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw broken(part, 'unterminated declaration');
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw broken(part, 'unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0 || stack.length === 0) throw broken(part, 'bad CDATA');
      handler.text(xml.slice(lt + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<!', lt)) {
      throw broken(part, 'DOCTYPE is not allowed');
    } else {
      const gt = xml.indexOf('>', lt + 1);
      if (gt < 0) throw broken(part, 'unterminated tag');
      const raw = xml.slice(lt + 1, gt);
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim();
        const open = stack.pop();
        if (open !== name) throw broken(part, `</${name}> closes <${open ?? 'nothing'}>`);
        handler.close(name);
      } else {
        const selfClosing = raw.endsWith('/');
        const { name, attrs } = parseTag(selfClosing ? raw.slice(0, -1) : raw, part);
        if (stack.length === 0) {
          if (rootSeen) throw broken(part, 'two root elements');
          rootSeen = true;
        }
        handler.open(name, attrs, selfClosing);
        if (selfClosing) handler.close(name);
        else stack.push(name);
      }
      i = gt + 1;
    }
  }
  if (stack.length > 0) throw broken(part, `<${stack[stack.length - 1]}> is never closed`);
  if (!rootSeen) throw broken(part, 'no root element');
}

/** The local part of a qualified name (`x:row` → `row`): some writers prefix the main namespace. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
