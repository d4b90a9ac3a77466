import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from '../../../worker/qr/matrix';
import { qrPng } from '../../../worker/qr/png';
import { ZIP_MAX_FILES, zipStream, type ZipFile } from '../../../worker/qr/zip';
import { BASE_32, fromArray, packageUrl, readAll } from './tools';

describe('zipStream', () => {
  it('unzips to the same files, names with Vietnamese letters included', async () => {
    const files: ZipFile[] = Array.from({ length: 12 }, (_, i) => ({
      name: `lô-${i}/mã-${String(i).padStart(4, '0')}.png`,
      data: qrPng(qrMatrix(packageUrl(BASE_32))),
    }));
    files.push({ name: 'empty.txt', data: new Uint8Array(0) });
    const progress: [number, number][] = [];
    const zip = await readAll(zipStream(fromArray(files), { total: files.length, onProgress: (d, t) => progress.push([d, t]) }));
    const out = unzipSync(zip);
    expect(Object.keys(out)).toEqual(files.map((f) => f.name));
    for (const f of files) expect(Buffer.from(out[f.name]!).equals(Buffer.from(f.data))).toBe(true);
    expect(progress.at(-1)).toEqual([files.length, files.length]);
    expect(progress).toHaveLength(files.length);
  });

  it('stores entries uncompressed (PNGs are already deflated)', async () => {
    const data = new Uint8Array(5000).fill(65);
    const zip = await readAll(zipStream(fromArray([{ name: 'a.bin', data }])));
    // Method 0 in the local header, and the bytes appear verbatim.
    expect(zip[8]! | (zip[9]! << 8)).toBe(0);
    expect(zip.length).toBeGreaterThan(5000);
  });

  it('makes a valid empty archive', async () => {
    const zip = await readAll(zipStream(fromArray<ZipFile>([])));
    expect(unzipSync(zip)).toEqual({});
  });

  it('reads files only as fast as the consumer reads bytes', async () => {
    let produced = 0;
    async function* files(): AsyncGenerator<ZipFile> {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield { name: `${i}.bin`, data: new Uint8Array(1000) };
      }
    }
    let closed = false;
    const gen = files();
    const wrapped: AsyncIterable<ZipFile> = {
      [Symbol.asyncIterator]: () => ({
        next: () => gen.next(),
        return: async (v?: unknown) => {
          closed = true;
          return gen.return(v);
        },
      }),
    };
    const reader = zipStream(wrapped).getReader();
    for (let i = 0; i < 5; i++) await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThan(10);
    await reader.cancel();
    expect(closed).toBe(true);
  });

  it('fails with a clear error past the 65,535 entries a non-ZIP64 archive can index', async () => {
    async function* many(): AsyncGenerator<ZipFile> {
      const data = new Uint8Array(1);
      for (let i = 0; i <= ZIP_MAX_FILES; i++) yield { name: `${i}`, data };
    }
    await expect(readAll(zipStream(many()))).rejects.toThrow(/65535/);
  });

  it('errors the stream when the source fails', async () => {
    async function* broken(): AsyncGenerator<ZipFile> {
      yield { name: 'a', data: new Uint8Array(1) };
      throw new Error('database went away');
    }
    await expect(readAll(zipStream(broken()))).rejects.toThrow('database went away');
  });
});
