// What the app reports for metrics, whatever the runtime: Node keeps Prometheus counters
// (metrics-node.ts); Workers pass the no-op (Cloudflare's own analytics cover requests there).
export interface Metrics {
  /** One finished request: its route pattern (never the raw path, which may carry a code). */
  request(method: string, route: string, status: number, seconds: number): void;
  /** The verdict a scan page or verify call gave. */
  verdict(verdict: string): void;
  /** The daily job finished ('ok') or failed ('error'). */
  dailyJob(outcome: 'ok' | 'error', seconds: number): void;
}

export const noMetrics: Metrics = {
  request: () => undefined,
  verdict: () => undefined,
  dailyJob: () => undefined,
};
