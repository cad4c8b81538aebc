import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Where the embedded SQLite database and uploaded files live. */
  dataDir: string;
  /** postgres://… switches the app to PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to live in (default: the connection's search_path, normally public). */
  pgSchema: string | undefined;
  /** Serve the built web UI from dist/web when present. */
  serveWeb: boolean;
  /** Behind a reverse proxy, trust X-Forwarded-* for the client IP. */
  trustProxy: boolean;
  /** Largest JSON body accepted (bytes). */
  bodyLimit: number;
  /** Largest uploaded file accepted (bytes). */
  uploadLimit: number;
  /** Login attempts per IP per minute before HTTP 429. */
  loginRateLimit: number;
  logLevel: string;
  /** How often due deadlines and reminders are swept (0: never, for tests and benchmarks). */
  sweepIntervalMs: number;
  /** Where scheduled backups go (undefined: no scheduled backups); hour and retention are policies. */
  backupDir: string | undefined;
  /** How often the audit anchor is written and a scheduled backup considered (0: never). */
  maintenanceIntervalMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const url = env.DATABASE_URL?.trim();
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.LIAISON_DATA_DIR ?? 'data'),
    databaseUrl: url && /^postgres(ql)?:\/\//.test(url) ? url : undefined,
    pgSchema: env.LIAISON_PG_SCHEMA && /^[a-z_][a-z0-9_]*$/.test(env.LIAISON_PG_SCHEMA) ? env.LIAISON_PG_SCHEMA : undefined,
    serveWeb: env.LIAISON_SERVE_WEB !== '0',
    trustProxy: env.LIAISON_TRUST_PROXY === '1',
    bodyLimit: Number(env.LIAISON_BODY_LIMIT ?? 1024 * 1024),
    uploadLimit: Number(env.LIAISON_UPLOAD_LIMIT ?? 20 * 1024 * 1024),
    loginRateLimit: Number(env.LIAISON_LOGIN_RATE_LIMIT ?? 30),
    logLevel: env.LOG_LEVEL ?? 'info',
    sweepIntervalMs: Number(env.LIAISON_SWEEP_INTERVAL_MS ?? 30_000),
    backupDir: env.LIAISON_BACKUP_DIR?.trim() ? path.resolve(env.LIAISON_BACKUP_DIR.trim()) : undefined,
    maintenanceIntervalMs: Number(env.LIAISON_MAINTENANCE_INTERVAL_MS ?? 60_000),
  };
}
