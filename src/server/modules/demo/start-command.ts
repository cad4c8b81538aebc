import type { Config } from '../../platform/config.js';

/** A word for a POSIX shell: bare when it is safe, else in single quotes. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The exact command that starts the server on what `npm run demo` just filled: the data directory
 * as an absolute path (the attachments live there on PostgreSQL too), the database URL and schema
 * when PostgreSQL was used, the port when it is not the default. Pasted into a shell from any
 * directory of the checkout, it opens the same database.
 */
export function startCommand(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'pgSchema' | 'port'>): { command: string; url: string } {
  const env: string[] = [`LIAISON_DATA_DIR=${shellWord(config.dataDir)}`];
  if (config.databaseUrl) env.push(`DATABASE_URL=${shellWord(config.databaseUrl)}`);
  if (config.databaseUrl && config.pgSchema) env.push(`LIAISON_PG_SCHEMA=${shellWord(config.pgSchema)}`);
  if (config.port !== 3000) env.push(`PORT=${config.port}`);
  return { command: `${env.join(' ')} npm start`, url: `http://localhost:${config.port}` };
}
