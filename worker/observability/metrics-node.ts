// Prometheus metrics on Node, with prom-client (the de facto Node client: histograms,
// default process metrics and cluster aggregation we would otherwise hand-write).
import client from 'prom-client';
import type { Metrics } from './metrics';

/** The slice of a pg Pool the pool gauges read. */
export interface PoolState {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface NodeMetrics {
  metrics: Metrics;
  registry: client.Registry;
}

/**
 * Which families this process keeps. With several processes the serving ones keep the
 * request, verdict, pool and process families (the primary sums them) and the primary the
 * daily job's alone, so no family is reported twice.
 */
export type MetricsRole = 'single' | 'primary' | 'worker';

export function createNodeMetrics(pool?: PoolState, role: MetricsRole = 'single'): NodeMetrics {
  const registry = new client.Registry();
  const serving = role !== 'primary';
  const job = role !== 'worker';
  const none: client.Registry[] = [];
  if (serving) client.collectDefaultMetrics({ register: registry, prefix: 'ocop_' });
  const requests = new client.Counter({ name: 'ocop_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers: serving ? [registry] : none });
  const duration = new client.Histogram({
    name: 'ocop_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: serving ? [registry] : none,
  });
  const verdicts = new client.Counter({ name: 'ocop_scan_verdicts_total', help: 'Verdicts given to scans and verify calls', labelNames: ['verdict'], registers: serving ? [registry] : none });
  const jobRuns = new client.Counter({ name: 'ocop_daily_job_runs_total', help: 'Daily job runs by outcome', labelNames: ['outcome'], registers: job ? [registry] : none });
  const jobLast = new client.Gauge({ name: 'ocop_daily_job_last_run_timestamp_seconds', help: 'When the daily job last finished (Unix time)', labelNames: ['outcome'], registers: job ? [registry] : none });
  const jobSeconds = new client.Gauge({ name: 'ocop_daily_job_last_duration_seconds', help: 'How long the last daily job run took', registers: job ? [registry] : none });
  if (pool && serving) {
    new client.Gauge({
      name: 'ocop_db_pool_connections',
      help: 'Database pool connections by state (Postgres; absent on PGlite)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  return {
    registry,
    metrics: {
      request(method, route, status, seconds) {
        requests.inc({ method, route, status: String(status) });
        duration.observe({ method, route }, seconds);
      },
      verdict(verdict) {
        verdicts.inc({ verdict });
      },
      dailyJob(outcome, seconds) {
        jobRuns.inc({ outcome });
        jobLast.set({ outcome }, Date.now() / 1000);
        jobSeconds.set(seconds);
      },
    },
  };
}
