// Reading QR codes from the phone camera: the browser's BarcodeDetector where it has one
// that knows QR codes (Android Chrome, Safari 17+), else ZXing-C++ compiled to WebAssembly,
// whose .wasm is served by this origin next to the app (never a CDN), so it works offline.
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

export type ReaderKind = 'barcode-detector' | 'zxing-wasm';

interface NativeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
}

type Decode = (video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string[]>;

async function nativeDecoder(): Promise<Decode | null> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    if (!(await Native.getSupportedFormats()).includes('qr_code')) return null;
    const detector = new Native({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video)).map((b) => b.rawValue);
  } catch {
    return null;
  }
}

function wasmDecoder(wasmUrl: string): Decode {
  prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) } });
  return async (video, canvas) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w === 0 || h === 0) return [];
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return [];
    ctx.drawImage(video, 0, 0, w, h);
    const results = await readBarcodes(ctx.getImageData(0, 0, w, h), { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
    return results.filter((r) => r.isValid).map((r) => r.text);
  };
}

export interface CameraOptions {
  video: HTMLVideoElement;
  wasmUrl: string;
  /** Each decoded text, as often as it is seen (the caller drops repeats). */
  onText: (text: string) => void;
  /** Force the WebAssembly reader even where BarcodeDetector exists (tests, comparisons). */
  forceWasm?: boolean;
}

/** Starts the back camera and a decode loop; resolves with the reader in use and a stop function. */
export async function startCamera(opts: CameraOptions): Promise<{ reader: ReaderKind; stop: () => void }> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } }, audio: false });
  const { video } = opts;
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const native = opts.forceWasm ? null : await nativeDecoder();
  const decode = native ?? wasmDecoder(opts.wasmUrl);
  const canvas = document.createElement('canvas');
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        for (const text of await decode(video, canvas)) opts.onText(text);
      } catch {
        // A frame that fails to decode is just the next frame's job.
      }
      // One decode at a time; ~8 frames a second is plenty and leaves the phone cool.
      await new Promise((r) => setTimeout(r, 120));
    }
  };
  void loop();
  return {
    reader: native ? 'barcode-detector' : 'zxing-wasm',
    stop: () => {
      running = false;
      for (const t of stream.getTracks()) t.stop();
      video.srcObject = null;
    },
  };
}
