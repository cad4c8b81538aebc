import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Login throttling per user name and client address (issue 8, security 6), replacing the account
 * lockout: five wrong passwords from anyone locked the account, the administrator's included. A row
 * counts the failed logins of one name from one address and says until when the next try waits.
 * The lockout columns of `account` go. Never edit once merged.
 */
export function loginThrottle(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('login_throttle')
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failed_at', 'text', (c) => c.notNull())
        .addColumn('blocked_until', 'text')
        .addPrimaryKeyConstraint('login_throttle_pk', ['username', 'ip'])
        .execute();
      await db.schema.createIndex('login_throttle_last_idx').on('login_throttle').column('last_failed_at').execute();
      await db.schema.createIndex('api_token_account_idx').on('api_token').column('account_id').execute();
      await db.schema.alterTable('account').dropColumn('failed_logins').execute();
      await db.schema.alterTable('account').dropColumn('locked_until').execute();
    },
  };
}
