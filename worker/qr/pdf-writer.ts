import { zlibSync } from 'fflate';

/**
 * Minimal PDF 1.7 serializer for streaming: objects are turned into bytes as soon as they are
 * written, only their byte offsets are kept for the cross-reference table. Object ids may be
 * reserved before the object is written (the page tree is written last, pages point to it).
 */
export class PdfWriter {
  private readonly offsets: number[] = [0];
  private position = 0;
  private readonly encoder = new TextEncoder();

  /** Reserve an object id. */
  allocate(): number {
    this.offsets.push(-1);
    return this.offsets.length - 1;
  }

  header(): Uint8Array {
    // The binary comment line tells transfer tools the file is not text.
    return this.bytes('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', true);
  }

  object(id: number, body: string): Uint8Array {
    this.offsets[id] = this.position;
    return this.bytes(`${id} 0 obj\n${body}\nendobj\n`);
  }

  /** A stream object; `body` is written as given, so name its /Filter in `dict` if it is encoded. */
  stream(id: number, dict: string, body: Uint8Array): Uint8Array {
    const head = this.encoder.encode(`${id} 0 obj\n<< ${dict} /Length ${body.length} >>\nstream\n`);
    const tail = this.encoder.encode('\nendstream\nendobj\n');
    const out = new Uint8Array(head.length + body.length + tail.length);
    out.set(head, 0);
    out.set(body, head.length);
    out.set(tail, head.length + body.length);
    this.offsets[id] = this.position;
    this.position += out.length;
    return out;
  }

  /** Cross-reference table and trailer; every allocated id must have been written. */
  trailer(rootId: number, infoId: number, fileId: string): Uint8Array {
    const start = this.position;
    const n = this.offsets.length;
    const lines: string[] = [`xref\n0 ${n}\n0000000000 65535 f \n`];
    for (let id = 1; id < n; id++) {
      const off = this.offsets[id]!;
      if (off < 0) throw new Error(`PDF object ${id} was reserved but never written`);
      lines.push(`${String(off).padStart(10, '0')} 00000 n \n`);
    }
    lines.push(`trailer\n<< /Size ${n} /Root ${rootId} 0 R /Info ${infoId} 0 R /ID [<${fileId}> <${fileId}>] >>\nstartxref\n${start}\n%%EOF\n`);
    return this.bytes(lines.join(''));
  }

  private bytes(s: string, latin1 = false): Uint8Array {
    let out: Uint8Array;
    if (latin1) {
      out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    } else out = this.encoder.encode(s);
    this.position += out.length;
    return out;
  }
}

/**
 * zlib-wrapped DEFLATE for /FlateDecode. The platform's CompressionStream (Workers, Node 18+)
 * is native code and about twice as fast as fflate at a better ratio; fflate covers the rest.
 */
export async function deflate(data: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream !== 'function') return zlibSync(data, { level: 6 });
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A PDF text string in UTF-16BE with BOM, as hex: safe for any Unicode title. */
export function pdfTextString(s: string): string {
  let out = '<FEFF';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `${out}>`;
}
