import { describe, expect, it } from 'vitest';
import { ConfigError, nodeEnvSchema, parseConfig, workerEnvSchema } from '../../worker/config';

const WORKER = { PUBLIC_BASE_URL: 'https://ocop.example.vn', SIGNING_KEYS: '{"keys":[]}', SESSION_SECRET: 'x'.repeat(32) };

describe('SCAN_RETENTION_MONTHS', () => {
  it('defaults to 13 months on Node and Workers, and an empty value means unset', () => {
    expect(parseConfig(nodeEnvSchema, {}).SCAN_RETENTION_MONTHS).toBe(13);
    expect(parseConfig(nodeEnvSchema, { SCAN_RETENTION_MONTHS: '' }).SCAN_RETENTION_MONTHS).toBe(13);
    expect(parseConfig(workerEnvSchema, WORKER).SCAN_RETENTION_MONTHS).toBe(13);
  });

  it('takes whole months from 1 to 120', () => {
    expect(parseConfig(nodeEnvSchema, { SCAN_RETENTION_MONTHS: '1' }).SCAN_RETENTION_MONTHS).toBe(1);
    expect(parseConfig(nodeEnvSchema, { SCAN_RETENTION_MONTHS: '24' }).SCAN_RETENTION_MONTHS).toBe(24);
    expect(parseConfig(workerEnvSchema, { ...WORKER, SCAN_RETENTION_MONTHS: '120' }).SCAN_RETENTION_MONTHS).toBe(120);
  });

  it.each([
    ['0', 'at least 1 month'],
    ['-3', 'at least 1 month'],
    ['121', 'at most 120 months'],
    ['1.5', 'whole number of months'],
    ['thirteen', 'whole number of months'],
  ])('refuses %s, naming the variable', (value, message) => {
    for (const [schema, base] of [[nodeEnvSchema, {}], [workerEnvSchema, WORKER]] as const) {
      let error: unknown;
      try {
        parseConfig(schema, { ...base, SCAN_RETENTION_MONTHS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('SCAN_RETENTION_MONTHS');
      expect((error as ConfigError).message).toContain(message);
    }
  });
});
