import type { Database } from '../../platform/db/database.js';
import { DEFAULT_ROLES } from '../access/index.js';
import { OFFICIAL_SOURCE, OFFICIAL_YEARS, officialCalendarRows } from '../calendar/core.js';

/** Unit types are data (issue 3 §4); these cover the seeds' enterprises, townships and schools. */
export const DEFAULT_UNIT_TYPES = [
  ['group', '集团', 'Group'],
  ['company', '公司', 'Company'],
  ['plant', '电厂', 'Power plant'],
  ['mine', '煤矿', 'Coal mine'],
  ['department', '部门', 'Department'],
  ['section', '科室', 'Section'],
  ['team', '队/班组', 'Team'],
  ['shift', '值', 'Shift'],
  ['post', '岗位', 'Post'],
  ['township', '乡镇', 'Township'],
  ['community', '居民区', 'Community'],
  ['block', '块区', 'Block'],
  ['school', '学校', 'School'],
  ['grade', '年级', 'Grade'],
  ['class', '班级', 'Class'],
] as const;

/**
 * Writes reference rows that are missing, never overwriting what an administrator changed.
 * Runs at every start, so it must be cheap when everything is there.
 */
export async function ensureReferenceData(db: Database, now: string): Promise<void> {
  await db.kysely.transaction().execute(async (tx) => {
    const types = await tx.selectFrom('unit_type').select('code').execute();
    if (types.length === 0) {
      await tx
        .insertInto('unit_type')
        .values(DEFAULT_UNIT_TYPES.map(([code, zh, en], i) => ({ code, name_zh: zh, name_en: en, sort_order: i * 10 })))
        .execute();
    }
    const roles = await tx.selectFrom('role').select('code').execute();
    if (roles.length === 0) {
      await tx
        .insertInto('role')
        .values(DEFAULT_ROLES.map((r, i) => ({ code: r.code, name_zh: r.nameZh, name_en: r.nameEn, chain_rank: r.chainRank, sort_order: i * 10 })))
        .execute();
      await tx
        .insertInto('role_permission')
        .values(DEFAULT_ROLES.flatMap((r) => r.permissions.map((p) => ({ role_code: r.code, permission: p }))))
        .execute();
    }
    const years = await tx.selectFrom('calendar_year').select('year').execute();
    const missing = OFFICIAL_YEARS.filter((y) => !years.some((r) => r.year === y));
    if (missing.length) {
      const rows = officialCalendarRows(missing);
      for (let i = 0; i < rows.length; i += 200) {
        await tx
          .insertInto('calendar_day')
          .values(rows.slice(i, i + 200).map((d) => ({ date: d.date, source: 'official', kind: d.kind, name: d.name, created_at: now })))
          .execute();
      }
      await tx
        .insertInto('calendar_year')
        .values(missing.map((year) => ({ year, source: OFFICIAL_SOURCE, loaded_at: now })))
        .execute();
    }
  });
}
