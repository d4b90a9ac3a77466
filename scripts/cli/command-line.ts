// What every `npm run ocop -- …` command shares: where it prints, how it reads its flags,
// and the settings the server would read (worker/config.ts), so a bad DATABASE_URL is refused
// by the CLI exactly as by `npm start`.
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nodeEnvSchema, parseConfig, type NodeEnv } from '../../worker/config';
import { migrateToLatest } from '../../worker/db/migrate';
import { openNodeDatabase, type NodeDatabase } from '../../worker/node-runtime';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** The command line is wrong: print why and the usage, exit 2. */
export class UsageError extends Error {}

const PARSE_ERRORS: Record<string, (detail: string) => string> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: (d) => `tùy chọn lạ / unknown option: ${d}`,
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: (d) => `tùy chọn thiếu hoặc sai giá trị / option value missing or wrong: ${d}`,
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: (d) => `đối số thừa / unexpected argument: ${d}`,
};

/** `node:util` parseArgs, strict: an unknown flag, a flag without its value or a stray argument is a UsageError. */
export function parseCommandLine<T extends ParseArgsConfig & { strict: true }>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const explain = typeof code === 'string' ? PARSE_ERRORS[code] : undefined;
    if (!explain) throw error;
    // Node's message names the flag first ("Unknown option '--x'. To specify…"): keep that sentence.
    throw new UsageError(explain((error as Error).message.split('. ')[0]!));
  }
}

export type Command = (args: string[], io?: CliIo) => Promise<number>;

/** A command whose UsageError becomes its reason, the usage and exit code 2; other errors go up. */
export function command(usage: string, run: (args: string[], io: CliIo) => Promise<number>): Command {
  return async (args, io = consoleIo) => {
    try {
      return await run(args, io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`${error.message}\n\n${usage}`);
      return 2;
    }
  };
}

/** The server's settings from the environment (throws ConfigError naming the variable). */
export function cliEnv(source: Record<string, string | undefined> = process.env): NodeEnv {
  return parseConfig(nodeEnvSchema, source);
}

/** The data folder of a Node install: `--data-dir` if given, else DATA_DIR as the server reads it. */
export function dataDir(env: NodeEnv, flag?: string): string {
  return path.resolve(flag ?? env.DATA_DIR);
}

/** DATABASE_URL if set, else the embedded PGlite under DATA_DIR (stop `npm start` first: PGlite is single-process). */
export async function openCliDatabase(env: NodeEnv): Promise<NodeDatabase> {
  const database = await openNodeDatabase({ databaseUrl: env.DATABASE_URL, dataDir: dataDir(env) });
  await migrateToLatest(database.db);
  return database;
}
