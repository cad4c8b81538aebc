import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_EXTENSIONS, contentDisposition, safeDownloadName, sniff } from './file-types.js';

// ---------------------------------------------------------------------------------------------
// Fixture builders: real files of every type would be binary blobs nobody can review; these build
// the structures sniff reads, byte for byte as the specifications lay them out.

const bytes = (...parts: (string | number[] | Uint8Array)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const le64 = (n: number) => [...le32(n % 2 ** 32), ...le32(Math.floor(n / 2 ** 32))];

const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const GIF87 = bytes('GIF87a', [1, 0, 1, 0, 0, 0, 0], ';');
const GIF89 = bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0], ';');
const BMP = bytes('BM', le32(58), [0, 0, 0, 0], le32(54), le32(40), le32(1), le32(1), le16(1), le16(24), new Uint8Array(24));
const WEBP = bytes('RIFF', le32(26), 'WEBPVP8 ', le32(14), new Uint8Array(14));
/** A minimal PE image: DOS stub pointing at a "PE\0\0" header. */
const EXE = (() => {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
})();

interface ZipOptions {
  zip64?: boolean;
  /** Drop the central directory, as in an upload cut short. */
  truncated?: boolean;
}

/** A zip archive with stored (uncompressed) entries. */
function zip(entries: Record<string, string | Uint8Array>, options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const nameBytes = Buffer.from(name, 'utf8');
    const common = [...le16(0x0800), ...le16(0), ...le16(0), ...le16(0x21), ...le32(crc32(data)), ...le32(data.length), ...le32(data.length)];
    const local = bytes(le32(0x04034b50), le16(20), common, le16(nameBytes.length), le16(0), nameBytes, data);
    centrals.push(
      bytes(le32(0x02014b50), le16(20), le16(20), common, le16(nameBytes.length), le16(0), le16(0), le16(0), le16(0), le32(0), le32(offset), nameBytes),
    );
    locals.push(local);
    offset += local.length;
  }
  if (options.truncated) return Buffer.concat(locals);
  const central = Buffer.concat(centrals);
  const count = centrals.length;
  const tail: Buffer[] = [];
  if (options.zip64) {
    const recordAt = offset + central.length;
    tail.push(bytes(le32(0x06064b50), le64(44), le16(45), le16(45), le32(0), le32(0), le64(count), le64(count), le64(central.length), le64(offset)));
    tail.push(bytes(le32(0x07064b50), le32(0), le64(recordAt), le32(1)));
    tail.push(bytes(le32(0x06054b50), le16(0), le16(0), le16(0xffff), le16(0xffff), le32(0xffffffff), le32(0xffffffff), le16(0)));
  } else {
    tail.push(bytes(le32(0x06054b50), le16(0), le16(0), le16(count), le16(count), le32(central.length), le32(offset), le16(0)));
  }
  return Buffer.concat([...locals, central, ...tail]);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const ooxml = (part: 'word' | 'xl' | 'ppt', extra: Record<string, string> = {}) =>
  zip({
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': '<Relationships/>',
    [`${part}/${part === 'word' ? 'document' : part === 'xl' ? 'workbook' : 'presentation'}.xml`]: '<x/>',
    ...extra,
  });
const DOCX = ooxml('word');
const PPTX = ooxml('ppt');
const OFD = zip({ 'OFD.xml': '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" DocType="OFD"/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
const PLAIN_ZIP = zip({ '会议纪要/说明.txt': '请于本周五前反馈。' });

interface CfbOptions {
  sectorShift?: 9 | 12;
  /** Where the directory's sectors go, in chain order (default: from sector 0 on). */
  directoryAt?: number[];
}

const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;

/** An OLE compound file holding empty streams with the given names, FAT and DIFAT as needed. */
function cfb(streams: string[], options: CfbOptions = {}): Buffer {
  const shift = options.sectorShift ?? 9;
  const size = 1 << shift;
  const perSector = size / 4;
  const entries = ['Root Entry', ...streams];
  const dirSectors = options.directoryAt ?? Array.from({ length: Math.ceil(entries.length / (size / 128)) }, (_, i) => i);
  const dataSectors = Math.max(...dirSectors) + 1;
  let fatCount = 1;
  let difatCount = 0;
  while (fatCount * perSector < dataSectors + fatCount + difatCount) {
    fatCount++;
    difatCount = Math.max(0, Math.ceil((fatCount - 109) / (perSector - 1)));
  }
  const fatAt = Array.from({ length: fatCount }, (_, i) => dataSectors + i);
  const difatAt = Array.from({ length: difatCount }, (_, i) => dataSectors + fatCount + i);
  const total = dataSectors + fatCount + difatCount;
  const file = Buffer.alloc(size + total * size);
  const at = (sector: number) => size + sector * size;

  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  file.writeUInt16LE(0x3e, 0x18);
  file.writeUInt16LE(shift === 12 ? 4 : 3, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(shift, 0x1e);
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(fatCount, 0x2c);
  file.writeUInt32LE(dirSectors[0]!, 0x30);
  file.writeUInt32LE(4096, 0x38);
  file.writeUInt32LE(END_OF_CHAIN, 0x3c);
  file.writeUInt32LE(difatCount ? difatAt[0]! : END_OF_CHAIN, 0x44);
  file.writeUInt32LE(difatCount, 0x48);
  for (let i = 0; i < 109; i++) file.writeUInt32LE(fatAt[i] ?? FREE, 0x4c + i * 4);
  for (let d = 0; d < difatCount; d++) {
    for (let i = 0; i < perSector - 1; i++) file.writeUInt32LE(fatAt[109 + d * (perSector - 1) + i] ?? FREE, at(difatAt[d]!) + i * 4);
    file.writeUInt32LE(difatAt[d + 1] ?? END_OF_CHAIN, at(difatAt[d]!) + (perSector - 1) * 4);
  }

  const fat = new Array<number>(fatCount * perSector).fill(FREE);
  for (const s of fatAt) fat[s] = 0xfffffffd;
  for (const s of difatAt) fat[s] = 0xfffffffc;
  dirSectors.forEach((s, i) => {
    fat[s] = dirSectors[i + 1] ?? END_OF_CHAIN;
  });
  fat.forEach((value, i) => {
    file.writeUInt32LE(value, at(fatAt[Math.floor(i / perSector)]!) + (i % perSector) * 4);
  });

  entries.forEach((name, i) => {
    const base = at(dirSectors[Math.floor(i / (size / 128))]!) + (i % (size / 128)) * 128;
    file.write(name, base, 'utf16le');
    file.writeUInt16LE((name.length + 1) * 2, base + 0x40);
    file[base + 0x42] = i === 0 ? 5 : 2;
    file[base + 0x43] = 1;
    file.writeUInt32LE(FREE, base + 0x44);
    file.writeUInt32LE(i > 0 && i + 1 < entries.length ? i + 1 : FREE, base + 0x48);
    file.writeUInt32LE(i === 0 && entries.length > 1 ? 1 : FREE, base + 0x4c);
    file.writeUInt32LE(END_OF_CHAIN, base + 0x74);
  });
  return file;
}

const SUMMARY = ['\x05SummaryInformation', '\x05DocumentSummaryInformation'];
const DOC = cfb(['WordDocument', '1Table', ...SUMMARY]);
const XLS = cfb(['Workbook', ...SUMMARY]);
const PPT = cfb(['PowerPoint Document', 'Current User', 'Pictures', ...SUMMARY]);
const ENCRYPTED_OOXML = cfb(['EncryptionInfo', 'EncryptedPackage', '\x06DataSpaces']);
/** Installer databases are OLE files too, with obfuscated stream names. */
const MSI = cfb(['\u4840\u3b3f\u4577\u446c\u3b6a\u45e4\u4824', ...SUMMARY]);

async function excelWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('联络人');
  ws.addRow(['姓名', '单位', '电话']);
  ws.addRow(['张三', '办公室', '010-12345678']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** "工作联络,截止日期" in GB18030 (identical to GBK for these characters). */
const GB18030_CSV = bytes([0xb9, 0xa4, 0xd7, 0xf7, 0xc1, 0xaa, 0xc2, 0xe7], ',', [0xbd, 0xd8, 0xd6, 0xb9, 0xc8, 0xd5, 0xc6, 0xda], '\r\n');

// ---------------------------------------------------------------------------------------------

describe('sniff: accepted attachments', () => {
  it('accepts a PDF as application/pdf', () => {
    expect(sniff(PDF, '关于开展安全检查的通知.pdf')).toEqual({ ok: true, ext: 'pdf', mime: 'application/pdf' });
  });

  it('accepts a PDF whose header follows a few stray bytes within the first KiB', () => {
    expect(sniff(bytes('\r\n\r\n', PDF), 'a.pdf')).toMatchObject({ ok: true, ext: 'pdf' });
  });

  it('accepts a Word 97-2003 .doc by its WordDocument stream', () => {
    expect(sniff(DOC, '请示.doc')).toEqual({ ok: true, ext: 'doc', mime: 'application/msword' });
  });

  it('accepts an Excel .xls by its Workbook stream, and an Excel 5 .xls by its Book stream', () => {
    expect(sniff(XLS, '统计表.xls')).toEqual({ ok: true, ext: 'xls', mime: 'application/vnd.ms-excel' });
    expect(sniff(cfb(['Book']), '旧表.xls')).toMatchObject({ ok: true, ext: 'xls' });
  });

  it('accepts a PowerPoint .ppt by its PowerPoint Document stream', () => {
    expect(sniff(PPT, '汇报.ppt')).toEqual({ ok: true, ext: 'ppt', mime: 'application/vnd.ms-powerpoint' });
  });

  it('reads an OLE file with 4096-byte sectors (format version 4)', () => {
    expect(sniff(cfb(['WordDocument'], { sectorShift: 12 }), 'a.doc')).toMatchObject({ ok: true, ext: 'doc' });
  });

  it('follows a directory whose sectors are scattered and out of order in the FAT', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'Workbook'];
    expect(sniff(cfb(names, { directoryAt: [5, 2] }), 'a.xls')).toMatchObject({ ok: true, ext: 'xls' });
  });

  it('follows the FAT through DIFAT sectors when the directory sits past the first 109 FAT sectors', () => {
    const file = cfb(['PowerPoint Document'], { directoryAt: [14_000] });
    expect(file.readUInt32LE(0x2c)).toBeGreaterThan(109);
    expect(file.readUInt32LE(0x48)).toBe(1);
    expect(sniff(file, 'big.ppt')).toMatchObject({ ok: true, ext: 'ppt' });
  });

  it('accepts a .docx by its [Content_Types].xml and word/ entries', () => {
    expect(sniff(DOCX, '工作联络函.docx')).toEqual({
      ok: true,
      ext: 'docx',
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  });

  it('accepts an .xlsx written by exceljs', async () => {
    expect(sniff(await excelWorkbook(), '联络人名单.xlsx')).toEqual({
      ok: true,
      ext: 'xlsx',
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
  });

  it('accepts a .pptx by its ppt/ entries', () => {
    expect(sniff(PPTX, '季度汇报.pptx')).toEqual({
      ok: true,
      ext: 'pptx',
      mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    });
  });

  it('accepts password-protected .docx/.xlsx/.pptx, which Office stores as OLE with an EncryptedPackage', () => {
    for (const name of ['加密.docx', '加密.xlsx', '加密.pptx']) expect(sniff(ENCRYPTED_OOXML, name)).toMatchObject({ ok: true });
  });

  it('accepts an OFD document by its root OFD.xml', () => {
    expect(sniff(OFD, '电子发票.ofd')).toEqual({ ok: true, ext: 'ofd', mime: 'application/ofd' });
  });

  it('accepts a .zip, including one that happens to be an Office or OFD package', () => {
    expect(sniff(PLAIN_ZIP, '材料.zip')).toEqual({ ok: true, ext: 'zip', mime: 'application/zip' });
    expect(sniff(DOCX, '材料.zip')).toMatchObject({ ok: true, ext: 'zip' });
    expect(sniff(OFD, '材料.zip')).toMatchObject({ ok: true, ext: 'zip' });
  });

  it('accepts an empty zip archive', () => {
    expect(sniff(bytes(le32(0x06054b50), new Uint8Array(18)), 'empty.zip')).toMatchObject({ ok: true, ext: 'zip' });
  });

  it('reads the entry names of a zip64 archive', () => {
    const docx = zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w/>' }, { zip64: true });
    expect(sniff(docx, 'a.docx')).toMatchObject({ ok: true, ext: 'docx' });
  });

  it('recognises a .docx from its local headers when the central directory is cut off', () => {
    const docx = zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w/>' }, { truncated: true });
    expect(sniff(docx, 'a.docx')).toMatchObject({ ok: true, ext: 'docx' });
  });

  it.each([
    ['现场照片.png', PNG, 'png', 'image/png'],
    ['现场照片.jpg', JPEG, 'jpg', 'image/jpeg'],
    ['现场照片.jpeg', JPEG, 'jpeg', 'image/jpeg'],
    ['动图.gif', GIF89, 'gif', 'image/gif'],
    ['旧动图.gif', GIF87, 'gif', 'image/gif'],
    ['截图.bmp', BMP, 'bmp', 'image/bmp'],
    ['截图.webp', WEBP, 'webp', 'image/webp'],
  ])('accepts the image %s as %s', (name, data, ext, mime) => {
    expect(sniff(data, name)).toEqual({ ok: true, ext, mime });
  });

  it('accepts UTF-8 text with Chinese characters and reports the charset', () => {
    expect(sniff(utf8('请各单位于5月10日前报送。\n'), '说明.txt')).toEqual({ ok: true, ext: 'txt', mime: 'text/plain', charset: 'utf-8' });
  });

  it('accepts UTF-8 text that starts with a byte order mark', () => {
    expect(sniff(bytes([0xef, 0xbb, 0xbf], utf8('姓名,电话\n')), 'a.csv')).toMatchObject({ ok: true, charset: 'utf-8' });
  });

  it('accepts a GB18030 CSV as Excel writes it on Chinese Windows', () => {
    expect(sniff(GB18030_CSV, '名单.csv')).toEqual({ ok: true, ext: 'csv', mime: 'text/csv', charset: 'gb18030' });
  });

  it('accepts GB18030 four-byte sequences and the code page 936 euro sign', () => {
    // ¥ (U+00A5) is not in GBK, so GB18030 spells it in four bytes: 0x81 0x30 0x84 0x36.
    expect(sniff(bytes('price ', [0x80], ' ', [0x81, 0x30, 0x84, 0x36], [0xb9, 0xa4]), 'a.txt')).toMatchObject({ ok: true, charset: 'gb18030' });
  });

  it('accepts UTF-16 text with a byte order mark, as Excel saves "Unicode text"', () => {
    expect(sniff(bytes([0xff, 0xfe], Buffer.from('姓名\t电话\r\n😀\r\n', 'utf16le')), '导出.txt')).toMatchObject({ ok: true, charset: 'utf-16le' });
    expect(sniff(bytes([0xfe, 0xff], Buffer.from('姓名', 'utf16le').swap16()), '导出.txt')).toMatchObject({ ok: true, charset: 'utf-16be' });
  });

  it('accepts Markdown and an empty text file', () => {
    expect(sniff(utf8('# 会议纪要\n\n- 议题一\n'), '纪要.md')).toEqual({ ok: true, ext: 'md', mime: 'text/markdown', charset: 'utf-8' });
    expect(sniff(new Uint8Array(0), '空.txt')).toMatchObject({ ok: true, ext: 'txt' });
  });

  it('accepts text that starts with "MZ" but is no executable', () => {
    expect(sniff(utf8('MZ-2024-001,张三\n'), 'a.csv')).toMatchObject({ ok: true, ext: 'csv' });
  });

  it('matches the extension case-insensitively and reports it in lower case', () => {
    expect(sniff(PDF, '报告.PDF')).toMatchObject({ ok: true, ext: 'pdf' });
    expect(sniff(JPEG, 'IMG_0001.JpEg')).toMatchObject({ ok: true, ext: 'jpeg', mime: 'image/jpeg' });
  });

  it('takes the extension from the last segment of a full Windows path', () => {
    expect(sniff(DOCX, 'C:\\Users\\张三\\Desktop\\工作.联络\\函.docx')).toMatchObject({ ok: true, ext: 'docx' });
  });

  it('has a sample accepted for every allowed extension', () => {
    const samples: Record<string, Uint8Array> = {
      pdf: PDF,
      doc: DOC,
      xls: XLS,
      ppt: PPT,
      docx: DOCX,
      xlsx: ooxml('xl'),
      pptx: PPTX,
      ofd: OFD,
      zip: PLAIN_ZIP,
      png: PNG,
      jpg: JPEG,
      jpeg: JPEG,
      gif: GIF89,
      bmp: BMP,
      webp: WEBP,
      txt: utf8('文本'),
      csv: GB18030_CSV,
      md: utf8('# 标题'),
    };
    expect(Object.keys(samples).sort()).toEqual([...ALLOWED_EXTENSIONS].sort());
    for (const [ext, data] of Object.entries(samples)) expect(sniff(data, `sample.${ext}`), ext).toMatchObject({ ok: true, ext });
  });
});

describe('sniff: refusals', () => {
  it('refuses a .pdf whose content is a PNG as content_mismatch', () => {
    expect(sniff(PNG, '报告.pdf')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'pdf', detected: 'png' });
  });

  it.each(['setup.exe', '脚本.bat', 'run.cmd', 'a.js', 'page.html', 'logo.svg', '宏.docm', '宏.xlsm', '压缩.rar', '压缩.7z', 'a.tar.gz', 'msg.eml', 'README'])(
    'refuses %s as type_not_allowed',
    (name) => {
      expect(sniff(PDF, name)).toMatchObject({ ok: false, reason: 'type_not_allowed' });
    },
  );

  it('refuses a .exe with the extension it has, and a name without one with an empty extension', () => {
    expect(sniff(EXE, 'setup.EXE')).toEqual({ ok: false, reason: 'type_not_allowed', ext: 'exe' });
    expect(sniff(PDF, 'README')).toEqual({ ok: false, reason: 'type_not_allowed', ext: '' });
  });

  it('refuses a double extension ending in .exe', () => {
    expect(sniff(EXE, '报告.pdf.exe')).toMatchObject({ ok: false, reason: 'type_not_allowed', ext: 'exe' });
  });

  it('refuses an executable whose name uses a right-to-left override to look like a .pdf', () => {
    expect(sniff(EXE, '报告\u202Efdp.exe')).toMatchObject({ ok: false, reason: 'type_not_allowed', ext: 'exe' });
  });

  it('refuses an executable hiding its extension behind trailing dots or spaces, which Windows drops', () => {
    expect(sniff(EXE, 'a.exe. . ')).toMatchObject({ ok: false, reason: 'type_not_allowed', ext: 'exe' });
  });

  it('refuses a Windows executable renamed to .pdf, naming it', () => {
    expect(sniff(EXE, '发票.pdf')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'pdf', detected: 'exe' });
  });

  it('refuses a .pdf whose header only appears after the first KiB', () => {
    expect(sniff(bytes(new Uint8Array(2000).fill(0x20), PDF), 'a.pdf')).toMatchObject({ ok: false, reason: 'content_mismatch' });
  });

  it('refuses an empty file with a binary type', () => {
    expect(sniff(new Uint8Array(0), '空.pdf')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'pdf' });
  });

  it('refuses an installer (OLE without an Office stream) uploaded as .doc', () => {
    expect(sniff(MSI, 'a.doc')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'doc', detected: 'cfb' });
  });

  it('refuses a malformed OLE file whose directory cannot be read', () => {
    expect(sniff(DOC.subarray(0, 300), 'a.doc')).toMatchObject({ ok: false, reason: 'content_mismatch', detected: 'cfb' });
    const loop = Buffer.from(XLS);
    // The fixture puts the directory in sector 0 and the FAT in sector 1 (file offset 1024);
    // pointing the directory's FAT entry at itself makes an endless chain.
    loop.writeUInt32LE(0, 1024);
    expect(sniff(loop, 'a.xls')).toMatchObject({ ok: false, reason: 'content_mismatch', detected: 'cfb' });
  });

  it('refuses one Office format renamed to another', () => {
    expect(sniff(XLS, '表.doc')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'doc', detected: 'xls' });
    expect(sniff(DOC, '文.ppt')).toMatchObject({ ok: false, detected: 'doc' });
    expect(sniff(DOCX, '文.xlsx')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'xlsx', detected: 'docx' });
    expect(sniff(PPTX, '文.docx')).toMatchObject({ ok: false, detected: 'pptx' });
    expect(sniff(DOC, '文.docx')).toMatchObject({ ok: false, detected: 'doc' });
    expect(sniff(DOCX, '文.doc')).toMatchObject({ ok: false, detected: 'docx' });
  });

  it('refuses an encrypted Office package uploaded under a legacy Office extension', () => {
    expect(sniff(ENCRYPTED_OOXML, 'a.xls')).toMatchObject({ ok: false, reason: 'content_mismatch', detected: 'encrypted-ooxml' });
  });

  it('refuses a plain zip archive named .docx or .ofd', () => {
    expect(sniff(PLAIN_ZIP, 'a.docx')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'docx', detected: 'zip' });
    expect(sniff(PLAIN_ZIP, 'a.ofd')).toMatchObject({ ok: false, detected: 'zip' });
  });

  it('refuses a zip with [Content_Types].xml but no Office part as a plain zip', () => {
    expect(sniff(zip({ '[Content_Types].xml': CONTENT_TYPES, 'visio/document.xml': '<v/>' }), 'a.docx')).toMatchObject({ ok: false, detected: 'zip' });
  });

  it('refuses macro-enabled Office files renamed to .docx/.xlsx/.pptx', () => {
    expect(sniff(ooxml('word', { 'word/vbaProject.bin': 'x' }), 'a.docx')).toMatchObject({ ok: false, reason: 'content_mismatch', detected: 'docm' });
    expect(sniff(ooxml('xl', { 'xl/vbaProject.bin': 'x' }), 'a.xlsx')).toMatchObject({ ok: false, detected: 'xlsm' });
    expect(sniff(ooxml('ppt', { 'ppt/vbaProject.bin': 'x' }), 'a.pptx')).toMatchObject({ ok: false, detected: 'pptm' });
  });

  it('refuses an OFD named .pdf', () => {
    expect(sniff(OFD, '发票.pdf')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'pdf', detected: 'ofd' });
  });

  it('refuses other archives and executables named .zip, naming what they are', () => {
    expect(sniff(bytes('Rar!', [0x1a, 0x07, 0x01, 0x00]), 'a.zip')).toMatchObject({ ok: false, detected: 'rar' });
    expect(sniff(bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'a.zip')).toMatchObject({ ok: false, detected: '7z' });
    expect(sniff(bytes([0x1f, 0x8b, 8, 0]), 'a.zip')).toMatchObject({ ok: false, detected: 'gz' });
    expect(sniff(bytes([0x7f], 'ELF', [2, 1, 1, 0]), 'a.zip')).toMatchObject({ ok: false, detected: 'elf' });
  });

  it('refuses an .xls that is really an HTML table export, reporting it as text', () => {
    expect(sniff(utf8('<table><tr><td>姓名</td></tr></table>'), '导出.xls')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'xls', detected: 'txt' });
  });

  it('refuses one image format named as another', () => {
    expect(sniff(JPEG, 'a.png')).toMatchObject({ ok: false, detected: 'jpg' });
    expect(sniff(GIF89, 'a.jpg')).toMatchObject({ ok: false, detected: 'gif' });
    expect(sniff(BMP, 'a.webp')).toMatchObject({ ok: false, detected: 'bmp' });
    expect(sniff(PNG, 'a.gif')).toMatchObject({ ok: false, detected: 'png' });
  });

  it('refuses a RIFF file that is not WebP, and a "BM" file without a bitmap header', () => {
    expect(sniff(bytes('RIFF', le32(4), 'WAVEfmt '), 'a.webp')).toMatchObject({ ok: false, reason: 'content_mismatch' });
    expect(sniff(utf8('BM is a bitmap signature'), 'a.bmp')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'bmp', detected: 'txt' });
  });

  it('refuses binary files named as text, naming the format', () => {
    expect(sniff(PNG, 'a.txt')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'txt', detected: 'png' });
    expect(sniff(PDF, 'a.csv')).toMatchObject({ ok: false, detected: 'pdf' });
    expect(sniff(DOCX, 'a.md')).toMatchObject({ ok: false, detected: 'docx' });
  });

  it('refuses text containing NUL bytes', () => {
    expect(sniff(utf8('姓名\0电话'), 'a.txt')).toEqual({ ok: false, reason: 'content_mismatch', ext: 'txt' });
  });

  it('refuses text containing control characters other than tab, line breaks, SUB and ESC', () => {
    expect(sniff(bytes('abc', [0x01], 'def'), 'a.txt')).toMatchObject({ ok: false, reason: 'content_mismatch' });
    expect(sniff(bytes('a\tb\r\n\f\v', [0x1a, 0x1b], '[0m'), 'a.txt')).toMatchObject({ ok: true });
  });

  it('refuses bytes that are neither UTF-8 nor GB18030', () => {
    expect(sniff(bytes('abc', [0xff], 'def'), 'a.txt')).toMatchObject({ ok: false, reason: 'content_mismatch' });
    expect(sniff(bytes([0xb9, 0x20]), 'a.txt')).toMatchObject({ ok: false, reason: 'content_mismatch' });
    expect(sniff(bytes([0x81, 0x30, 0x20, 0x30]), 'a.txt')).toMatchObject({ ok: false, reason: 'content_mismatch' });
  });

  it('refuses text whose last GB18030 character is cut off', () => {
    expect(sniff(bytes([0xb9, 0xa4, 0xd7]), 'a.csv')).toMatchObject({ ok: false, reason: 'content_mismatch' });
  });

  it('refuses UTF-16 with an unpaired surrogate, an odd length or a NUL character', () => {
    expect(sniff(bytes([0xff, 0xfe, 0x3d, 0xd8, 0x41, 0x00]), 'a.txt')).toMatchObject({ ok: false });
    expect(sniff(bytes([0xff, 0xfe, 0x41, 0x00, 0x42]), 'a.txt')).toMatchObject({ ok: false });
    expect(sniff(bytes([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00]), 'a.txt')).toMatchObject({ ok: false });
  });
});

describe('safeDownloadName', () => {
  it('keeps Chinese characters and full-width punctuation', () => {
    expect(safeDownloadName('2024年度工作联络函（第3号）：回复.docx')).toBe('2024年度工作联络函（第3号）：回复.docx');
  });

  it('keeps only the last segment of Windows and POSIX paths', () => {
    expect(safeDownloadName('C:\\Users\\张三\\Desktop\\报告.docx')).toBe('报告.docx');
    expect(safeDownloadName('../../etc/passwd')).toBe('passwd');
  });

  it('removes control characters, bidirectional overrides, zero-width characters and lone surrogates', () => {
    expect(safeDownloadName('a\u0000b\nc\r\t.txt')).toBe('abc.txt');
    expect(safeDownloadName('报告\u202Efdp.exe')).toBe('报告fdp.exe');
    expect(safeDownloadName('合\u200B同\uFEFF.pdf')).toBe('合同.pdf');
    expect(safeDownloadName('a\uD800b.pdf')).toBe('ab.pdf');
    expect(safeDownloadName('照片😀.jpg')).toBe('照片😀.jpg');
  });

  it('replaces characters Windows cannot store, including the alternate-stream colon', () => {
    expect(safeDownloadName('a<b>c:d"e|f?g*.pdf')).toBe('a_b_c_d_e_f_g_.pdf');
    expect(safeDownloadName('a.pdf:evil.exe')).toBe('a.pdf_evil.exe');
  });

  it('trims leading and trailing dots and spaces', () => {
    expect(safeDownloadName('  ..hidden.txt. . ')).toBe('hidden.txt');
  });

  it('prefixes Windows device names', () => {
    expect(safeDownloadName('CON.txt')).toBe('_CON.txt');
    expect(safeDownloadName('nul')).toBe('_nul');
    expect(safeDownloadName('com1.tar.gz')).toBe('_com1.tar.gz');
    expect(safeDownloadName('console.txt')).toBe('console.txt');
  });

  it('shortens long names to 200 UTF-8 bytes, keeping the extension and whole characters', () => {
    const name = safeDownloadName(`${'报'.repeat(100)}.pdf`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toBe(`${'报'.repeat(65)}.pdf`);
    const longExt = safeDownloadName(`a.${'x'.repeat(300)}`);
    expect(Buffer.byteLength(longExt)).toBe(200);
  });

  it('does not leave a trailing dot after shortening, so the name shows the extension Windows would use', () => {
    const name = `${'a'.repeat(195)}.exe.${'z'.repeat(300)}`;
    expect(safeDownloadName(name)).toBe(`${'a'.repeat(195)}.exe`);
    expect(sniff(PDF, name)).toMatchObject({ ok: false, reason: 'type_not_allowed', ext: 'exe' });
  });

  it('falls back to a neutral name when nothing usable remains', () => {
    expect(safeDownloadName('')).toBe('file');
    expect(safeDownloadName('../')).toBe('file');
    expect(safeDownloadName(' . \u202E', '附件')).toBe('附件');
  });

  it('normalises to NFC so the same name always looks the same', () => {
    expect(safeDownloadName('cafe\u0301.txt')).toBe('caf\u00e9.txt');
  });
});

describe('contentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('报告.pdf')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`);
  });

  it('encodes the characters RFC 5987 does not allow bare, and supports inline', () => {
    expect(contentDisposition("it's (1) 100%.pdf", 'inline')).toBe(`inline; filename="it's (1) 100_.pdf"; filename*=UTF-8''it%27s%20%281%29%20100%25.pdf`);
  });

  it('uses the safe name and produces a header value Node accepts', () => {
    const value = contentDisposition('C:\\tmp\\a"b\n.pdf');
    expect(value).toContain('filename="a_b.pdf"');
    expect(value).toMatch(/^[\x20-\x7e]+$/);
  });
});
