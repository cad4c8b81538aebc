import { describe, expect, it } from 'vitest';
import { parseCsv, parseYearFile, YearFileError } from './parseYearFile.js';

describe('parseYearFile (a year arrangement read in the browser)', () => {
  it('reads the JSON object form with year and source', () => {
    const p = parseYearFile(
      JSON.stringify({
        year: 2027,
        source: '国办发明电〔2026〕7号',
        days: [
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-02-06', kind: 'workday', name: '春节调休' },
        ],
      }),
      '2027.json',
    );
    expect(p).toEqual({
      year: 2027,
      source: '国办发明电〔2026〕7号',
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-02-06', kind: 'workday', name: '春节调休' },
      ],
      problems: [],
    });
  });

  it('reads a bare JSON array', () => {
    expect(parseYearFile('[{"date":"2027-10-01","kind":"holiday","name":"国庆节"}]', 'x.json').days).toHaveLength(1);
  });

  it('reads CSV with a BOM, CRLF, quotes, Chinese kinds and slashed dates, and names bad rows by line', () => {
    const csv =
      '\uFEFFdate,kind,name\r\n2027/1/1,休,元旦\r\n2027-02-06,班,"春节调休, 周六"\r\n2027-02-30,holiday,坏日期\r\n2027-03-01,maybe,x\r\n2027-03-02,holiday,\r\n';
    const p = parseYearFile(csv, '2027.csv');
    expect(p.days).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-06', kind: 'workday', name: '春节调休, 周六' },
    ]);
    expect(p.problems).toEqual([
      { row: 4, problem: 'date' },
      { row: 5, problem: 'kind' },
      { row: 6, problem: 'name' },
    ]);
  });

  it('accepts CSV without a header as date,kind,name', () => {
    expect(parseYearFile('2027-05-01,holiday,劳动节\n', 'x.csv').days).toEqual([{ date: '2027-05-01', kind: 'holiday', name: '劳动节' }]);
  });

  it('refuses a name longer than the server keeps instead of cutting it off', () => {
    const long = '国'.repeat(51);
    const p = parseYearFile(`2027-05-01,holiday,${long}\n2027-05-02,holiday,${'国'.repeat(50)}\n`, 'x.csv');
    expect(p.problems).toEqual([{ row: 1, problem: 'nameTooLong' }]);
    expect(p.days).toEqual([{ date: '2027-05-02', kind: 'holiday', name: '国'.repeat(50) }]);
  });

  it('refuses broken JSON', () => {
    expect(() => parseYearFile('{"days": [', 'x.json')).toThrow(YearFileError);
    expect(() => parseYearFile('{"year": 2027}', 'x.json')).toThrow(YearFileError);
  });

  it('parseCsv handles escaped quotes and blank lines', () => {
    expect(parseCsv('a,"b ""c""",d\n\n1,2,3')).toEqual([
      ['a', 'b "c"', 'd'],
      ['1', '2', '3'],
    ]);
  });
});
