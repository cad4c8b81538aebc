import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fieldOf, kindOfHeader, normalizeHeader } from './import.columns.js';
import { cellText, ImportFileError, parseCsvText, parseUpload } from './import.parse.js';

async function xlsx(sheets: Record<string, (string | number | null)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('import parsing: spreadsheets in, rows of text out', () => {
  it('reads both sheets of an .xlsx by name, with Excel row numbers and numeric cells as text', async () => {
    const buf = await xlsx({
      说明: [['随便写点什么']],
      单位: [
        ['单位编码', '单位名称', '单位类型', '上级单位编码'],
        ['FD', '发电部', '部门', 'ROOT'],
      ],
      人员: [['工号*', '姓名', '手机（11位）', '所属单位编码'], [], [1001, ' 王强 ', 13800000001, 'FD']],
    });
    const f = await parseUpload(buf, 'org.xlsx');
    expect(f.sheets.map((s) => [s.kind, s.name])).toEqual([
      ['units', '单位'],
      ['people', '人员'],
    ]);
    const people = f.sheets[1];
    expect(people?.rows).toEqual([{ row: 3, values: { employeeNo: '1001', name: '王强', phone: '13800000001', unitCode: 'FD' } }]);
    expect(people?.columns.get('employeeNo')).toBe('工号*');
  });

  it('tells the kind of an unnamed sheet from its header, and reports a sheet it cannot tell', async () => {
    const f = await parseUpload(
      await xlsx({
        Sheet1: [
          ['employee_no', 'name', 'unit_code'],
          ['E1', 'Li', 'FD'],
        ],
      }),
      'x.xlsx',
    );
    expect(f.sheets[0]?.kind).toBe('people');
    const g = await parseUpload(
      await xlsx({
        Sheet1: [
          ['foo', 'bar'],
          ['1', '2'],
        ],
      }),
      'x.xlsx',
    );
    expect(g.unknown).toEqual([{ name: 'Sheet1', headerRow: 1 }]);
  });

  it('names the required columns a sheet lacks', async () => {
    const f = await parseUpload(
      await xlsx({
        人员: [
          ['姓名', '岗位'],
          ['王强', '巡检'],
        ],
      }),
      'x.xlsx',
    );
    expect(f.sheets[0]?.missing.map((c) => c.zh)).toEqual(['工号', '所属单位编码']);
  });

  const csvCases: { name: string; bytes: Buffer }[] = [
    { name: 'UTF-8', bytes: Buffer.from('工号,姓名,所属单位编码\r\nE1,王强,FD\r\n', 'utf8') },
    { name: 'UTF-8 with BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('工号,姓名,所属单位编码\nE1,王强,FD\n', 'utf8')]) },
    // "工号,姓名,所属单位编码\nE1,王强,FD" as Excel saves it on Chinese Windows (GBK).
    {
      name: 'GBK',
      bytes: Buffer.from('b9a4bac52cd0d5c3fb2ccbf9caf4b5a5cebbb1e0c2eb0a45312ccdf5c7bf2c4644', 'hex'),
    },
    { name: 'tab-separated UTF-16', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('工号\t姓名\t所属单位编码\nE1\t王强\tFD', 'utf16le')]) },
  ];
  for (const c of csvCases) {
    it(`reads a people CSV in ${c.name}`, async () => {
      const f = await parseUpload(c.bytes, 'people.csv');
      expect(f.sheets[0]?.kind).toBe('people');
      expect(f.sheets[0]?.rows[0]?.values).toEqual({ employeeNo: 'E1', name: '王强', unitCode: 'FD' });
    });
  }

  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsvText('a,"b,c","say ""hi""","x\ny"\n1,2,3,4')).toEqual([
      ['a', 'b,c', 'say "hi"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
  });

  const badFiles: { name: string; bytes: Buffer; fileName: string; reason: string }[] = [
    { name: 'a PNG renamed .xlsx', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), fileName: 'org.xlsx', reason: 'not_spreadsheet' },
    { name: 'a PNG renamed .csv', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), fileName: 'org.csv', reason: 'not_spreadsheet' },
    { name: 'a damaged zip', bytes: Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100, 7)]), fileName: 'org.xlsx', reason: 'corrupt_xlsx' },
    { name: 'an old .xls', bytes: Buffer.from('d0cf11e0a1b11ae1000000', 'hex'), fileName: 'org.xls', reason: 'xls' },
    { name: 'an empty file', bytes: Buffer.alloc(0), fileName: 'org.csv', reason: 'empty' },
  ];
  for (const c of badFiles) {
    it(`refuses ${c.name} as not a spreadsheet (${c.reason})`, async () => {
      await expect(parseUpload(c.bytes, c.fileName)).rejects.toEqual(new ImportFileError(c.reason as ImportFileError['reason']));
    });
  }

  it('normalises headers and tells the sheet kind from them', () => {
    expect(normalizeHeader(' 性别（男/女）* ')).toBe('性别');
    expect(fieldOf('people', 'Employee No')).toBe('employeeNo');
    expect(kindOfHeader(['单位编码', '单位名称'])).toBe('units');
    expect(kindOfHeader(['姓名', '工号'])).toBe('people');
    expect(kindOfHeader(['foo'])).toBeUndefined();
  });

  it('reads every kind of cell value as the text Excel shows', () => {
    expect(cellText({ richText: [{ text: '发电' }, { text: '部' }] })).toBe('发电部');
    expect(cellText({ formula: 'A1', result: 42 } as ExcelJS.CellValue)).toBe('42');
    expect(cellText({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(cellText(new Date('2026-01-02T00:00:00Z'))).toBe('2026-01-02');
    expect(cellText('\u3000王强 ')).toBe('王强');
  });
});
