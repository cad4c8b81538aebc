import { isIP } from 'node:net';
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
  /**
   * Which proxies may name the client in X-Forwarded-For (LIAISON_TRUST_PROXY): false (none), a
   * hop count (the nearest N proxies) or their addresses/subnets. Never "anyone": a client could
   * then rotate the header to escape the login throttle and forge the address in the audit chain.
   */
  trustProxy: false | number | string[];
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
    trustProxy: parseTrustProxy(env.LIAISON_TRUST_PROXY),
    bodyLimit: Number(env.LIAISON_BODY_LIMIT ?? 1024 * 1024),
    uploadLimit: Number(env.LIAISON_UPLOAD_LIMIT ?? 20 * 1024 * 1024),
    loginRateLimit: Number(env.LIAISON_LOGIN_RATE_LIMIT ?? 30),
    logLevel: env.LOG_LEVEL ?? 'info',
    sweepIntervalMs: Number(env.LIAISON_SWEEP_INTERVAL_MS ?? 30_000),
    backupDir: env.LIAISON_BACKUP_DIR?.trim() ? path.resolve(env.LIAISON_BACKUP_DIR.trim()) : undefined,
    maintenanceIntervalMs: Number(env.LIAISON_MAINTENANCE_INTERVAL_MS ?? 60_000),
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** LIAISON_TRUST_PROXY: unset/0 → none; a number → that many proxy hops; else a comma list of addresses, subnets (CIDR) or loopback/linklocal/uniquelocal. */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  const v = value?.trim() ?? '';
  if (v === '' || v === '0' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => {
    if (PROXY_NAMES.has(x)) return false;
    const [addr = '', bits, ...rest] = x.split('/');
    const kind = isIP(addr);
    if (!kind || rest.length) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (kind === 4 ? 32 : 128));
  });
  if (bad.length || !list.length)
    throw new Error(
      `LIAISON_TRUST_PROXY=${v}: expected a number of proxy hops (e.g. 1) or proxy addresses/subnets (e.g. 10.0.0.5,192.168.0.0/16); ${bad.join(', ') || v} is neither`,
    );
  return list;
}
