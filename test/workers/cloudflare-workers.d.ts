// The slice of workerd's `cloudflare:workers` module this suite uses; the full
// @cloudflare/workers-types would clash with Node's globals in the shared tsconfig.
declare module 'cloudflare:workers' {
  export const env: unknown;
  export const exports: unknown;
}
