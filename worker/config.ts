import { z } from 'zod';
import { parseTrustProxy, TRUST_NOBODY, type TrustProxy } from './client-address';
import { parseVietnamesePhone } from './domain/contact';

// Every setting comes from the environment (Node) or bindings (Workers) and is checked
// here once, so a bad value stops the start with one message naming the variable.

const baseUrl = z
  .string()
  .trim()
  .max(32, 'must be at most 32 characters so every package QR fits version 6-M (41×41)')
  .refine((v) => /^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/i.test(v), {
    message: 'must be https://host (no path, no trailing slash); plain http only for localhost',
  });

// Raw scan rows are kept this long, then deleted by the daily job (their counts stay in
// the scan summaries). At least a month: the copy rule and the admin pages need none of
// them, but officials investigating a copied label may want the details of recent scans.
const scanRetentionMonths = z.coerce
  .number({ message: 'must be a whole number of months' })
  .int('must be a whole number of months')
  .min(1, 'must be at least 1 month')
  .max(120, 'must be at most 120 months')
  .default(13);

const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const trustProxy = z.string().transform((v, ctx) => {
  const parsed = parseTrustProxy(v);
  if (parsed) return parsed;
  ctx.addIssue({
    code: 'custom',
    message: `must be a hop count (1 to 10: how many proxies stand in front of the server) or a comma-separated list of proxy addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), got "${v}"`,
  });
  return z.NEVER;
});

/**
 * The province's hotline for reporting fakes, shown beside the report form on the scan and
 * product pages. Default none: a wrong number printed to every shopper is worse than none,
 * so the operator sets it deliberately. Stored as digits (worker/domain/contact.ts).
 */
const reportHotline = z.string().transform((v, ctx) => {
  const phone = parseVietnamesePhone(v);
  if (phone) return phone.national;
  ctx.addIssue({ code: 'custom', message: `must be a Vietnamese phone number (e.g. 0271 3879 123, 1800 1234), got "${v}"` });
  return z.NEVER;
});

/** How long a shopper's contact on a counterfeit report is kept before the daily job erases it. */
const retentionMonths = z.coerce.number().int('must be a whole number of months').min(1, 'must be at least 1 month').max(120, 'must be at most 120 months').default(12);

export const nodeEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional(),
  PUBLIC_BASE_URL: baseUrl.optional(),
  SEED: boolFlag.default(true),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  DAILY_JOB_HOUR: z.coerce.number().int().min(0).max(23).default(6),
  /** Who may tell us the client's address in X-Forwarded-For (worker/client-address.ts); default nobody. */
  TRUST_PROXY: trustProxy.default(TRUST_NOBODY),
  SCAN_RETENTION_MONTHS: scanRetentionMonths,
  /** Worker processes on Postgres (PGlite is one process); default one per core. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1, 'must be 1 or more').max(64, 'must be at most 64').optional(),
  /** Prometheus metrics on a separate listener (0 turns it off); never on the public port. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  REPORT_CONTACT_RETENTION_MONTHS: retentionMonths,
  REPORT_HOTLINE: reportHotline.optional(),
});
export type NodeEnv = z.infer<typeof nodeEnvSchema>;

/** Where a Node install answers locally, and the base URL its codes carry (PUBLIC_BASE_URL, else the local one). */
export function nodeBaseUrls(env: Pick<NodeEnv, 'HOST' | 'PORT' | 'PUBLIC_BASE_URL'>): { local: string; publicBaseUrl: string } {
  const local = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  return { local, publicBaseUrl: env.PUBLIC_BASE_URL ?? local };
}

export const workerEnvSchema = z.object({
  PUBLIC_BASE_URL: baseUrl,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional(),
  SIGNING_KEYS: z.string().min(2, 'secret missing: run `npm run ocop -- keys generate` and `wrangler secret put SIGNING_KEYS`'),
  SESSION_SECRET: z.string().min(32, 'secret missing or shorter than 32 characters: `wrangler secret put SESSION_SECRET`'),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  SCAN_RETENTION_MONTHS: scanRetentionMonths,
  REPORT_CONTACT_RETENTION_MONTHS: retentionMonths,
  REPORT_HOTLINE: reportHotline.optional(),
});

export class ConfigError extends Error {
  constructor(public readonly variable: string, detail: string) {
    super(`Cấu hình sai / invalid configuration: ${variable} ${detail}`);
  }
}

export function parseConfig<T extends z.ZodTypeAny>(schema: T, source: Record<string, unknown>): z.infer<T> {
  // An empty variable (`DATABASE_URL= npm start`) means unset, as shells and .env files use it.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(issue.path.join('.') || '(environment)', issue.message);
  }
  return result.data;
}

/** Settings the app itself reads, whatever runtime built it. */
export interface AppConfig {
  publicBaseUrl: string;
  /** How long a scan may show a certificate state that has since changed in another process. */
  cacheTtlSeconds: number;
  /** Secure cookies everywhere except plain-http localhost development. */
  secureCookies: boolean;
  runtime: 'node' | 'workers' | 'test';
  /** Node only: the proxy whose X-Forwarded-For names the client. Absent: trust nobody. */
  trustProxy?: TrustProxy;
  /** Raw scan rows older than this are deleted by the daily job (SCAN_RETENTION_MONTHS). */
  scanRetentionMonths: number;
  /** REPORT_CONTACT_RETENTION_MONTHS: a shopper's contact is erased after this many months (default 12). */
  reportContactRetentionMonths?: number;
  /** REPORT_HOTLINE as digits: the province's number for reporting fakes; absent, no hotline is shown. */
  reportHotline?: string | undefined;
}
