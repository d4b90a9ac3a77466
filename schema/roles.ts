// The two Postgres roles of an installation (`npm run ocop -- db roles`, README "Security"):
//
// - the owner (default `ocop_owner`) owns the database, the schema and every table,
//   sequence and function; migrations run as it. It never serves requests.
// - the runtime role (default `ocop_app`) is what the service connects as. It reads and
//   writes rows and nothing else: no CREATE, ALTER, DROP or TRUNCATE on anything, and on
//   the audit log only INSERT and SELECT. Not owning audit_log, it cannot
//   `ALTER TABLE … DISABLE TRIGGER` or `DROP TRIGGER` the append-only trigger, and not being
//   a superuser it cannot `SET session_replication_role = replica` to skip it.
//
// Every statement is idempotent, so running them again after a migration that added tables
// grants the runtime role its rows there and re-tightens the audit log.

export interface RoleNames {
  /** The database the roles are for. */
  database: string;
  owner: string;
  runtime: string;
}

export const DEFAULT_OWNER_ROLE = 'ocop_owner';
export const DEFAULT_RUNTIME_ROLE = 'ocop_app';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role and database names are spliced into SQL: only plain lower-case identifiers are accepted. */
export function checkIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`${what} must be a lower-case identifier (a-z, 0-9, _; at most 63 characters), got "${name}"`);
  return name;
}

/** Tables whose rows the runtime role may only read: the migrator's bookkeeping. */
const READ_ONLY_TABLES = ['kysely_migration', 'kysely_migration_lock'];
/** Tables the runtime role may append to and read, never change. */
const APPEND_ONLY_TABLES = ['audit_log'];

/**
 * The SQL that creates both roles (without passwords: set one with ALTER ROLE … PASSWORD,
 * or authenticate them another way), hands every object of the schema to the owner and
 * grants the runtime role its rows. Run as a superuser (or a role with CREATEROLE that owns
 * the database), connected to the database itself.
 */
export function rolesSql(names: RoleNames): string[] {
  const db = checkIdentifier(names.database, 'database');
  const owner = checkIdentifier(names.owner, 'owner role');
  const app = checkIdentifier(names.runtime, 'runtime role');
  if (owner === app) throw new RangeError('the owner and the runtime role must be two different roles');
  const createRole = (role: string) =>
    `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
END $$`;
  const revokeOn = (tables: string[], privileges: string) =>
    `DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY[${tables.map((t) => `'${t}'`).join(', ')}] LOOP
    IF to_regclass('public.' || t) IS NOT NULL THEN
      EXECUTE format('REVOKE ${privileges} ON public.%I FROM ${app}', t);
    END IF;
  END LOOP;
END $$`;
  return [
    createRole(owner),
    createRole(app),
    // Neither role may be more than it was created as, even if it existed before.
    `ALTER ROLE ${owner} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
    `ALTER ROLE ${app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
    `ALTER DATABASE ${db} OWNER TO ${owner}`,
    `ALTER SCHEMA public OWNER TO ${owner}`,
    // Everything already in the schema changes hands (sequences of serial columns follow their table).
    `DO $$ DECLARE r record; BEGIN
  FOR r IN
    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO ${owner}',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${owner}', r.sig);
  END LOOP;
END $$`,
    `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
    `GRANT CONNECT ON DATABASE ${db} TO ${app}`,
    `REVOKE ALL ON SCHEMA public FROM PUBLIC`,
    `REVOKE ALL ON SCHEMA public FROM ${app}`,
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    revokeOn(APPEND_ONLY_TABLES, 'UPDATE, DELETE'),
    revokeOn(READ_ONLY_TABLES, 'INSERT, UPDATE, DELETE'),
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    // Tables a later migration adds (as the owner) get the same rows-only grant at once;
    // run these statements again after such a migration to re-tighten the audit log.
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
  ];
}

/** The statements as one script for people to read or pipe into psql. */
export function rolesScript(names: RoleNames): string {
  return (
    `-- OCOP Verify: database roles for ${names.database} (npm run ocop -- db roles)\n` +
    `-- ${names.owner}: owns the schema, runs migrations. ${names.runtime}: what the service connects as.\n` +
    `-- No passwords are set here: ALTER ROLE ${names.owner} PASSWORD '…'; ALTER ROLE ${names.runtime} PASSWORD '…';\n` +
    `-- (or authenticate them in pg_hba.conf). Run as a superuser, connected to ${names.database}.\n\n` +
    rolesSql(names).map((s) => `${s};\n`).join('\n')
  );
}
