// A video file for Chromium's fake camera (`--use-file-for-fake-video-capture`): Y4M, the
// raw format Chromium reads without a codec, with each QR code held still for a moment and
// a blank frame between codes, as a phone passes from one package to the next.
import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

export async function writeQrVideo(file: string, texts: string[], opts: { size?: number; fps?: number; framesPerCode?: number } = {}): Promise<void> {
  const size = opts.size ?? 480;
  const fps = opts.fps ?? 10;
  const framesPerCode = opts.framesPerCode ?? 8;
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  const frame = (luma: Buffer) => Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const blank = frame(Buffer.alloc(size * size, 255));
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${size} H${size} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const text of texts) {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    // Four modules of quiet zone on each side, as printed labels have.
    const scale = Math.floor(size / (modules.size + 8));
    const offset = Math.floor((size - modules.size * scale) / 2);
    const luma = Buffer.alloc(size * size, 255);
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size; x++) {
        if (!modules.get(y, x)) continue;
        for (let dy = 0; dy < scale; dy++) luma.fill(0, (offset + y * scale + dy) * size + offset + x * scale, (offset + y * scale + dy) * size + offset + (x + 1) * scale);
      }
    }
    const still = frame(luma);
    for (let i = 0; i < framesPerCode; i++) parts.push(still);
    parts.push(blank);
  }
  await writeFile(file, Buffer.concat(parts));
}
