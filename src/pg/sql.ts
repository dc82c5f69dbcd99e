/**
 * Small helpers the SQL builders share. Every statement names its schema explicitly (no search_path), so one
 * database can hold several deployments, and each test its own schema.
 */

/** A schema or table name we accept: lower-case letters, digits and underscores, starting with a letter. */
export const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** A double-quoted identifier. Names are validated first, so quoting is belt and braces, not the defence. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** @throws Error naming the setting when a schema name is not SCHEMA_NAME. */
export function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`DATABASE_SCHEMA must be 1-41 lower-case letters, digits or underscores starting with a letter, got "${schema}"`);
  }
  return schema;
}

/** `"schema"."table"` */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** NOTIFY channels, one set per schema so deployments (and tests) sharing a database never hear each other. */
export const channels = (schema: string) => ({
  registry: `${schema}_registry`,
  cancel: `${schema}_cancel`,
});

/** The pg-boss schema beside ours. */
export const bossSchemaOf = (schema: string) => `${schema}_boss`;

/** A 64-bit advisory-lock key derived from a text key (hashtextextended), for pg_advisory_xact_lock. */
export const ADVISORY_KEY_SQL = 'hashtextextended($1, 0)';
