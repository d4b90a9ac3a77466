// The core encoder of `qrcode`, imported directly so that neither its Node PNG renderer
// (pngjs, fs, zlib) nor its canvas renderer ends up in the Workers bundle.
declare module 'qrcode/lib/core/qrcode' {
  export { create } from 'qrcode';
}
