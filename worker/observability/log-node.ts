// Structured logs on Node: one JSON object per line on stdout (stderr for errors is not
// needed: every line carries its level), written synchronously so the last lines before a
// crash or exit are not lost. pino does the formatting and the redaction.
import pino from 'pino';
import type { Logger } from '../app-env';

// Field names that may hold a secret or a person's contact details: never logged, even if a
// caller passes one by mistake.
const REDACT = ['password', 'token', 'authorization', 'cookie', 'code', 'email', 'phone', 'contact', 'secret', 'sessionSecret', '*.password', '*.token', '*.code', '*.email', '*.phone', '*.contact'];

export function createJsonLogger(destination: pino.DestinationStream = pino.destination({ sync: true })): Logger {
  const log = pino(
    {
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'message',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
  return (level, message, fields) => {
    if (fields) log[level](fields, message);
    else log[level](message);
  };
}
