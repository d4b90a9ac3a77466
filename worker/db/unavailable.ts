// Which thrown errors mean "the database cannot be reached right now" (answer 503 with
// Retry-After and let the client try again) rather than "this request is wrong" or a bug.
// Covers node-postgres, postgres.js and the socket errors below both.

/** SQLSTATE classes and codes that describe the server or the connection, not the query. */
const UNAVAILABLE_SQLSTATE = new Set([
  '57P01', // admin_shutdown: terminated by pg_terminate_backend or a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  // The transaction was rolled back whole and the same request will most likely pass: two
  // admin writes taking the catalogue's search words (search_words) in opposite orders, say.
  '40P01', // deadlock_detected
  '40001', // serialization_failure
]);

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

const UNAVAILABLE_MESSAGE = [
  /connection terminated/i, // pg: the socket closed under a query
  /timeout exceeded when trying to connect/i, // pg: full pool or server down
  /cannot use a pool after calling end/i,
  /client has encountered a connection error/i,
  /connection (?:ended|closed|destroyed)/i,
  /write after end/i,
];

function fieldOf(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = fieldOf(e, 'cause'), depth++) {
    const code = fieldOf(e, 'code');
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATE.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNO.has(code)) return true;
    }
    const message = fieldOf(e, 'message');
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.some((re) => re.test(message))) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying: a Postgres restart takes a few seconds. */
export const RETRY_AFTER_SECONDS = 5;
