import type { AppDeps } from '../app-env';
import { todayInVietnam } from '../domain/dates';
import { runDailyJob } from './daily';

/**
 * Node's stand-in for the Workers cron: checks hourly and runs the job once per Vietnam
 * calendar day from `hour` on (and once shortly after start, to catch up after downtime).
 */
export function startDailyTimer(deps: AppDeps, hour: number): () => void {
  let lastRunDay: string | null = null;
  const tick = async (force: boolean) => {
    const now = deps.clock();
    const day = todayInVietnam(now);
    const vnHour = (now.getUTCHours() + 7) % 24;
    if (!force && (day === lastRunDay || vnHour < hour)) return;
    lastRunDay = day;
    const started = performance.now();
    try {
      const result = await runDailyJob(deps.database.open(), now, { scanRetentionMonths: deps.config.scanRetentionMonths, reportContactRetentionMonths: deps.config.reportContactRetentionMonths });
      deps.cache.invalidate();
      deps.metrics.dailyJob('ok', (performance.now() - started) / 1000);
      deps.log('info', `daily job: ${result.expiredRecorded} expiries recorded, ${result.expiringSoon.length} certificates expiring within 30 days, ${result.retention.deletedScans} raw scans older than ${deps.config.scanRetentionMonths} months deleted`);
    } catch (error) {
      deps.metrics.dailyJob('error', (performance.now() - started) / 1000);
      deps.log('error', 'daily job failed', { error: error instanceof Error ? error.message : String(error) });
      lastRunDay = null;
    }
  };
  const first = setTimeout(() => void tick(true), 5_000);
  const hourly = setInterval(() => void tick(false), 3_600_000);
  first.unref();
  hourly.unref();
  return () => {
    clearTimeout(first);
    clearInterval(hourly);
  };
}
