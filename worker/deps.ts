// The one place an app's dependencies are assembled, for both entries (worker/index.ts,
// worker/node-runtime.ts) and the tests. Runtime differences arrive as small parts: how
// scans are logged, whether a request waits for a key refresh, how work outlives a response.
import type { Context } from 'hono';
import type { AppDeps, DatabaseProvider, Logger } from './app-env';
import type { KeyRing } from './codes/keyring';
import type { AppConfig } from './config';
import { PackageStateCache } from './db/batches';
import type { ScanLog } from './db/scans';
import { noMetrics, type Metrics } from './observability/metrics';
import { ScanService } from './public/scan-service';
import { KeyStatusService } from './services/key-status';
import { MAX_PIXELS, MediaService } from './media/service';
import { memoryMediaStore, type MediaStore } from './media/store';

export interface DepsInput {
  database: DatabaseProvider;
  keys: KeyRing;
  config: AppConfig;
  sessionSecret: Uint8Array;
  log: Logger;
  clock?: () => Date;
  metrics?: Metrics;
  /** Keeps background work alive after the response. */
  waitUntil: (c: Context, work: Promise<unknown>) => void;
  /** Where scans go: a batching log over a shared pool (Node) or a direct one (Workers). */
  scanLog: ScanLog;
  /** Whether the request that finds key statuses stale waits for the re-read (see KeyStatusService). */
  waitForKeyRefresh: boolean;
  /**
   * Whether package states may be refreshed in the background across requests (Node, one
   * shared pool) or only within the request that needs them (Workers: a client per request).
   */
  sharedCache?: boolean;
  /** Where uploaded photos and documents live: R2 on Workers, DATA_DIR/media on Node; memory when absent (tests). */
  media?: MediaStore;
}

export function buildDeps(input: DepsInput): AppDeps {
  const ttlMs = input.config.cacheTtlSeconds * 1000;
  const cache = new PackageStateCache(input.config.cacheTtlSeconds, Date.now, { shared: input.sharedCache ?? true });
  const keyStatus = new KeyStatusService(input.keys, { ttlMs, waitForRefresh: input.waitForKeyRefresh, log: input.log });
  return {
    database: input.database,
    keys: input.keys,
    clock: input.clock ?? (() => new Date()),
    config: input.config,
    sessionSecret: input.sessionSecret,
    log: input.log,
    waitUntil: input.waitUntil,
    metrics: input.metrics ?? noMetrics,
    cache,
    keyStatus,
    scans: new ScanService({ keys: input.keys, cache, scanLog: input.scanLog }),
    media: new MediaService(input.media ?? memoryMediaStore(), { maxPixels: input.config.runtime === 'workers' ? MAX_PIXELS.workers : MAX_PIXELS.node }, ttlMs),
  };
}
