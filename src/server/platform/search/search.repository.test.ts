import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DialectName, openDatabase } from '../db/database.js';
import { search } from '../db/migrations/0003-search.js';
import { indexText } from './bigrams.js';
import { type SearchRepository, searchRepository } from './search.repository.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A stand-in for a module's own table, to show the search filter combined with other conditions. */
interface ThingTable {
  id: number;
  status: string;
}
type Db = Kysely<{ thing: ThingTable; search_doc: { entity_type: string; entity_id: number; body: string } }>;

describe.each<DialectName>(['sqlite', 'postgres'])('search on %s', (dialect) => {
  let db: Database;
  let k: Db;
  let repo: SearchRepository;
  const pgSchema = `search_test_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    db = dialect === 'postgres' ? await openDatabase({ url: PG_URL, pgSchema }) : await openDatabase({ sqliteFile: ':memory:' });
    await search(dialect).up(db.kysely);
    k = db.kysely as unknown as Db;
    await k.schema
      .createTable('thing')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    repo = searchRepository(db);
  });

  afterAll(async () => {
    if (!db) return;
    if (dialect === 'postgres') await sql`DROP SCHEMA ${sql.id(pgSchema)} CASCADE`.execute(db.kysely);
    await db.close();
  });

  const ids = async (q: string, type = 'case') =>
    (await k.selectFrom('thing').select('id').where('id', 'in', repo.matching(type, q)).orderBy('id').execute()).map((r) => r.id);

  async function put(id: number, text: string, type = 'case') {
    await k
      .insertInto('thing')
      .values({ id, status: 'open' })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await repo.index(db.kysely, type, id, text);
  }

  it('finds two-character words and phrases inside a longer run, and not reordered characters', async () => {
    await put(1, '综采队煤矿安全台账');
    await put(2, '掘进队通风检查记录');
    expect(await ids('煤矿')).toEqual([1]);
    expect(await ids('台账')).toEqual([1]);
    expect(await ids('安全台账')).toEqual([1]);
    expect(await ids('采煤')).toEqual([]);
    expect(await ids('煤')).toEqual([1]);
    expect(await ids('队')).toEqual([1, 2]);
    expect(await ids('煤矿 台账')).toEqual([1]);
    expect(await ids('煤矿 通风')).toEqual([]);
  });

  it('finds case numbers by the whole code or its trailing parts, and numbers next to CJK', async () => {
    await put(3, '联络单 LXD-2026-0001 第3号井 2026年度');
    expect(await ids('LXD-2026-0001')).toEqual([3]);
    expect(await ids('lxd-2026-0001')).toEqual([3]);
    expect(await ids('2026-0001')).toEqual([3]);
    expect(await ids('0001')).toEqual([3]);
    expect(await ids('001')).toEqual([]);
    expect(await ids('3号井')).toEqual([3]);
    expect(await ids('2026年')).toEqual([3]);
  });

  it('treats quotes and query operators as plain text', async () => {
    const nasty = [
      '"',
      '"煤矿',
      '煤矿" OR "掘进',
      '*',
      '煤*',
      'a:b',
      '煤矿:*',
      'a & b | c',
      '!煤矿',
      '(煤矿)',
      "'",
      "'; drop table thing; --",
      '\\',
      'NEAR(煤矿 台账)',
      '-',
      '^煤矿',
      '<->',
      '煤矿 AND',
      'OR',
    ];
    for (const q of nasty) await expect(ids(q), q).resolves.toBeInstanceOf(Array);
    expect(await ids('(煤矿)')).toEqual([1]);
    expect(await ids('煤矿" OR "掘进')).toEqual([]);
  });

  it('keeps entity types apart', async () => {
    await put(1, '煤矿人员名单', 'person');
    expect(await ids('人员', 'person')).toEqual([1]);
    expect(await ids('人员', 'case')).toEqual([]);
  });

  it('replaces the old text on re-index and forgets removed entities', async () => {
    await put(4, '旧标题 皮带机');
    expect(await ids('皮带机')).toEqual([4]);
    await repo.index(db.kysely, 'case', 4, '新标题 提升机');
    expect(await ids('皮带机')).toEqual([]);
    expect(await ids('提升机')).toEqual([4]);
    await repo.remove(db.kysely, 'case', 4);
    expect(await ids('提升机')).toEqual([]);
  });

  it('indexes inside the caller transaction, and rolls back with it', async () => {
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await repo.index(tx, 'case', 5, '液压支架');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await put(5, '综采工作面');
    expect(await ids('液压支架')).toEqual([]);
    await db.kysely.transaction().execute((tx) => repo.index(tx, 'case', 5, '液压支架'));
    expect(await ids('液压支架')).toEqual([5]);
  });

  it('matches nothing for a query without searchable text', async () => {
    expect(await ids('  ')).toEqual([]);
    expect(await ids('“”！')).toEqual([]);
  });

  it('filters 10,000 documents combined with other conditions, ordering and limits', async () => {
    const N = 10_000;
    const base = 100_000;
    const rows = Array.from({ length: N }, (_, i) => ({
      id: base + i,
      text: `第${i}号 ${i % 10 === 0 ? '煤矿' : '隧道'}安全检查 LXD-2026-${String(i).padStart(5, '0')}`,
    }));
    for (let i = 0; i < N; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await k
        .insertInto('thing')
        .values(chunk.map((r) => ({ id: r.id, status: r.id % 2 === 0 ? 'open' : 'closed' })))
        .execute();
      await k
        .insertInto('search_doc')
        .values(chunk.map((r) => ({ entity_type: 'bulk', entity_id: r.id, body: indexText(r.text) })))
        .execute();
    }
    const count = async (q: string) =>
      (
        await k
          .selectFrom('thing')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', 'in', repo.matching('bulk', q))
          .executeTakeFirstOrThrow()
      ).n;
    expect(Number(await count('煤矿安全'))).toBe(1000);
    expect(Number(await count('隧道'))).toBe(9000);
    expect(Number(await count('安全检查'))).toBe(N);
    expect(Number(await count('2026-00042'))).toBe(1);
    expect(Number(await count('第42号'))).toBe(1);

    const page = await k
      .selectFrom('thing')
      .select('id')
      .where('status', '=', 'open')
      .where('id', 'in', repo.matching('bulk', '煤矿'))
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    expect(page.map((r) => r.id)).toEqual([base + 9990, base + 9980, base + 9970]);
  });
});
