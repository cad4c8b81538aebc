import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.js';
import { importErrorRows } from './ImportPage.js';

describe('importErrorRows (422 IMPORT_INVALID → 工作表/行/列/原因)', () => {
  it('splits "<sheet>:<row>:<column>" paths', () => {
    const err = new ApiError(422, 'IMPORT_INVALID', '文件有 2 处错误，未导入任何数据', [
      { path: '人员:5:工号', message: '与第 3 行重复' },
      { path: '单位:12:上级单位编码', message: '找不到“XX”' },
    ]);
    expect(importErrorRows(err)).toEqual([
      { key: '0', sheet: '人员', row: 5, column: '工号', message: '与第 3 行重复' },
      { key: '1', sheet: '单位', row: 12, column: '上级单位编码', message: '找不到“XX”' },
    ]);
  });

  it('keeps a path it cannot split (a whole-file problem) as the sheet', () => {
    const err = new ApiError(422, 'IMPORT_INVALID', 'x', [{ path: '人员', message: '缺少列“工号”' }]);
    expect(importErrorRows(err)).toEqual([{ key: '0', sheet: '人员', row: null, column: '', message: '缺少列“工号”' }]);
  });

  it('has no rows for other errors', () => {
    expect(importErrorRows(new Error('network'))).toEqual([]);
  });
});
