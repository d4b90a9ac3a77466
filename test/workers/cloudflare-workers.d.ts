// The slice of workerd's `cloudflare:workers` module this suite uses; the full
// @cloudflare/workers-types would clash with Node's globals in the shared tsconfig.
declare module 'cloudflare:workers' {
  export const env: unknown;
  export const exports: unknown;
}

// The slice of the pool's `cloudflare:test` helpers this suite uses.
declare module 'cloudflare:test' {
  export function createExecutionContext(): { waitUntil(p: Promise<unknown>): void; passThroughOnException(): void };
  export function waitOnExecutionContext(ctx: unknown): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: number; cron?: string }): unknown;
}
