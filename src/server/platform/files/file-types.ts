/**
 * Which attachments we accept, decided from the bytes and not only from the name: a browser's
 * Content-Type is whatever the client claims, and a renamed executable or HTML page must not be
 * handed back to colleagues as a "PDF". Pure: no IO, the caller passes the whole upload.
 */

const MIME = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ofd: 'application/ofd',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
} as const;

export type AllowedExt = keyof typeof MIME;

export const ALLOWED_EXTENSIONS: readonly AllowedExt[] = Object.keys(MIME) as AllowedExt[];

/**
 * What the bytes turned out to be. Besides the allowed types: `cfb` is an OLE container that is
 * no Office document (an .msi, an Outlook .msg), `encrypted-ooxml` is a password-protected
 * docx/xlsx/pptx (Office wraps those in OLE), `docm`/`xlsm`/`pptm` carry VBA macros, and the rest
 * are recognised only so that a refusal can say what the file really is.
 */
export type DetectedType =
  | Exclude<AllowedExt, 'jpeg' | 'csv' | 'md'>
  | 'cfb'
  | 'encrypted-ooxml'
  | 'docm'
  | 'xlsm'
  | 'pptm'
  | 'exe'
  | 'elf'
  | 'rar'
  | '7z'
  | 'gz';

export type TextCharset = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type SniffResult =
  | {
      ok: true;
      ext: AllowedExt;
      mime: string;
      /** Set for txt/csv/md: needed to serve or parse them, as Excel in zh-CN writes GB18030 CSV. */
      charset?: TextCharset;
    }
  | { ok: false; reason: 'type_not_allowed' | 'content_mismatch'; ext: string; detected?: DetectedType };

export function sniff(buffer: Uint8Array, fileName: string): SniffResult {
  // The extension is taken from the name we will later offer for download, so what was checked
  // is what the recipient's computer will use to pick an application.
  const ext = extensionOf(safeDownloadName(fileName));
  if (!isAllowedExt(ext)) return { ok: false, reason: 'type_not_allowed', ext };
  const mime = MIME[ext];
  const detected = detectBinary(buffer);

  if (ext === 'txt' || ext === 'csv' || ext === 'md') {
    if (detected) return { ok: false, reason: 'content_mismatch', ext, detected };
    const charset = textCharset(buffer);
    return charset ? { ok: true, ext, mime, charset } : { ok: false, reason: 'content_mismatch', ext };
  }

  if (matches(ext, detected, buffer)) return { ok: true, ext, mime };
  const fallback: DetectedType | undefined = detected ?? (buffer.length > 0 && textCharset(buffer) ? 'txt' : undefined);
  return fallback ? { ok: false, reason: 'content_mismatch', ext, detected: fallback } : { ok: false, reason: 'content_mismatch', ext };
}

function isAllowedExt(ext: string): ext is AllowedExt {
  return Object.hasOwn(MIME, ext);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function matches(ext: AllowedExt, detected: DetectedType | undefined, buffer: Uint8Array): boolean {
  switch (ext) {
    case 'jpg':
    case 'jpeg':
      return detected === 'jpg';
    case 'docx':
    case 'xlsx':
    case 'pptx':
      return detected === ext || detected === 'encrypted-ooxml';
    case 'zip':
      // Every OOXML and OFD file is a zip archive; calling it one is not a disguise.
      return detected === 'zip' || detected === 'docx' || detected === 'xlsx' || detected === 'pptx' || detected === 'ofd';
    case 'pdf':
      // Readers accept a header anywhere in the first KiB and some generators emit junk first;
      // allowed only when the start is not some other recognisable format.
      return detected === 'pdf' || (detected === undefined && indexOf(buffer, PDF_HEADER, 1024) >= 0);
    default:
      return detected === ext;
  }
}

// ---------------------------------------------------------------------------------------------
// Magic numbers

const PDF_HEADER = ascii('%PDF-');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const RAR = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07];
const SEVEN_ZIP = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const ELF = [0x7f, 0x45, 0x4c, 0x46];
/** Header sizes of the BMP DIB variants; "BM" alone is too likely at the start of some text. */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function detectBinary(b: Uint8Array): DetectedType | undefined {
  if (startsWith(b, PDF_HEADER)) return 'pdf';
  if (startsWith(b, PNG)) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(b, ascii('BM')) && b.length >= 18 && BMP_DIB_SIZES.has(u32(b, 14))) return 'bmp';
  if (startsWith(b, CFB)) return cfbKind(b);
  if (startsWith(b, ZIP_LOCAL) || startsWith(b, ZIP_EMPTY)) return zipKind(b);
  // "MZ" alone could begin a line of text; a Windows executable also has its PE header.
  if (startsWith(b, ascii('MZ')) && startsWith(b, [0x50, 0x45, 0, 0], u32(b, 0x3c))) return 'exe';
  if (startsWith(b, ELF)) return 'elf';
  if (startsWith(b, RAR)) return 'rar';
  if (startsWith(b, SEVEN_ZIP)) return '7z';
  if (startsWith(b, [0x1f, 0x8b])) return 'gz';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// OLE compound files (doc/xls/ppt): the signature is shared by all of them and by installers, so
// the directory is read to find the stream that names the application.

const END_OF_CHAIN = 0xfffffffe;
const MAX_REGULAR_SECTOR = 0xfffffffa;

function cfbKind(b: Uint8Array): DetectedType {
  const names = cfbEntryNames(b);
  if (!names) return 'cfb';
  if (names.has('WordDocument')) return 'doc';
  if (names.has('Workbook') || names.has('Book')) return 'xls';
  if (names.has('PowerPoint Document')) return 'ppt';
  if (names.has('EncryptionInfo') && names.has('EncryptedPackage')) return 'encrypted-ooxml';
  return 'cfb';
}

/** Names of all directory entries, or undefined when the container is malformed. */
function cfbEntryNames(b: Uint8Array): Set<string> | undefined {
  if (b.length < 512) return undefined;
  const shift = u16(b, 0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  // Some writers cut the last sector short, so a partial one still counts.
  const sectorCount = Math.ceil((b.length - sectorSize) / sectorSize);
  const offsetOf = (sector: number) => (sector + 1) * sectorSize;
  const valid = (sector: number) => sector <= MAX_REGULAR_SECTOR && sector < sectorCount;

  // The FAT's own sectors are listed in the header (first 109) and then in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  const fatSectorCount = u32(b, 0x2c);
  for (let i = 0; i < 109 && fatSectors.length < fatSectorCount; i++) fatSectors.push(u32(b, 0x4c + i * 4));
  let difat = u32(b, 0x44);
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatSectorCount && valid(difat) && !seenDifat.has(difat)) {
    seenDifat.add(difat);
    const base = offsetOf(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatSectorCount; i++) fatSectors.push(u32(b, base + i * 4));
    difat = u32(b, base + (perSector - 1) * 4);
  }
  if (fatSectors.length < fatSectorCount || !fatSectors.every(valid)) return undefined;

  const next = (sector: number): number => {
    const fatSector = fatSectors[Math.floor(sector / perSector)];
    return fatSector === undefined ? END_OF_CHAIN : u32(b, offsetOf(fatSector) + (sector % perSector) * 4);
  };

  const names = new Set<string>();
  const seen = new Set<number>();
  for (let sector = u32(b, 0x30); sector !== END_OF_CHAIN; sector = next(sector)) {
    if (!valid(sector) || seen.has(sector)) return undefined;
    seen.add(sector);
    const base = offsetOf(sector);
    for (let entry = base; entry + 128 <= base + sectorSize; entry += 128) {
      const type = b[entry + 0x42];
      const nameBytes = u16(b, entry + 0x40);
      if (type === 0 || nameBytes < 2 || nameBytes > 64) continue;
      let name = '';
      for (let i = 0; i < nameBytes - 2; i += 2) name += String.fromCharCode(u16(b, entry + i));
      names.add(name);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Zip containers (docx/xlsx/pptx/ofd/zip): told apart by the entry names in the central
// directory; when that is missing (a truncated upload) by walking the local headers.

function zipKind(b: Uint8Array): DetectedType {
  const names = zipCentralNames(b) ?? zipLocalNames(b);
  const has = (name: string) => names.some((n) => n.toLowerCase() === name);
  const under = (prefix: string) => names.some((n) => n.toLowerCase().startsWith(prefix));
  if (has('[content_types].xml')) {
    // A macro project in an x-file means a renamed macro-enabled document; Office itself refuses
    // to open those, so the only reason to upload one is to slip macros past this check.
    if (under('word/')) return has('word/vbaproject.bin') ? 'docm' : 'docx';
    if (under('xl/')) return has('xl/vbaproject.bin') ? 'xlsm' : 'xlsx';
    if (under('ppt/')) return has('ppt/vbaproject.bin') ? 'pptm' : 'pptx';
  }
  // GB/T 33190: the package entry point is OFD.xml at the root.
  if (has('ofd.xml')) return 'ofd';
  return 'zip';
}

function zipCentralNames(b: Uint8Array): string[] | undefined {
  const eocd = lastIndexOfSignature(b, [0x50, 0x4b, 0x05, 0x06], Math.max(0, b.length - 22 - 0xffff));
  if (eocd < 0 || eocd + 22 > b.length) return undefined;
  let count = u16(b, eocd + 10);
  let offset = u32(b, eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || !startsWith(b, [0x50, 0x4b, 0x06, 0x07], locator)) return undefined;
    const record = u64(b, locator + 8);
    if (record + 56 > b.length || !startsWith(b, [0x50, 0x4b, 0x06, 0x06], record)) return undefined;
    count = u64(b, record + 32);
    offset = u64(b, record + 48);
  }
  const names: string[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || !startsWith(b, [0x50, 0x4b, 0x01, 0x02], p)) return undefined;
    const nameLength = u16(b, p + 28);
    if (p + 46 + nameLength > b.length) return undefined;
    names.push(latin1(b, p + 46, nameLength));
    p += 46 + nameLength + u16(b, p + 30) + u16(b, p + 32);
  }
  return names;
}

function zipLocalNames(b: Uint8Array): string[] {
  const names: string[] = [];
  let p = 0;
  while (p + 30 <= b.length && startsWith(b, ZIP_LOCAL, p)) {
    const nameLength = u16(b, p + 26);
    if (p + 30 + nameLength > b.length) break;
    names.push(latin1(b, p + 30, nameLength));
    const sizeInDescriptor = (u16(b, p + 6) & 0x08) !== 0;
    const compressed = u32(b, p + 18);
    if (sizeInDescriptor && compressed === 0) break;
    p += 30 + nameLength + u16(b, p + 28) + compressed;
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Text (txt/csv/md)

/**
 * Controls other than these mark binary data even without NULs; SUB (an old DOS end-of-file mark)
 * and ESC (colour codes in saved terminal logs) do occur in real text files.
 */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b]);

function textCharset(b: Uint8Array): TextCharset | undefined {
  // Excel's "Unicode text" export and older Notepad write UTF-16 with a BOM.
  if (startsWith(b, [0xff, 0xfe])) return validUtf16(b, true) ? 'utf-16le' : undefined;
  if (startsWith(b, [0xfe, 0xff])) return validUtf16(b, false) ? 'utf-16be' : undefined;
  for (const byte of b) if (byte < 0x20 && !ALLOWED_CONTROLS.has(byte)) return undefined;
  if (validUtf8(b)) return 'utf-8';
  return validGb18030(b) ? 'gb18030' : undefined;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Uint8Array): boolean {
  try {
    utf8Decoder.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Structural check only: Node builds without full ICU cannot decode GB18030. */
function validGb18030(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length) {
    const lead = b[i]!;
    // 0x80 is the euro sign in Windows code page 936.
    if (lead <= 0x80) {
      i += 1;
      continue;
    }
    if (lead === 0xff || i + 1 >= b.length) return false;
    const second = b[i + 1]!;
    if ((second >= 0x40 && second <= 0x7e) || (second >= 0x80 && second <= 0xfe)) {
      i += 2;
    } else if (second >= 0x30 && second <= 0x39) {
      const third = b[i + 2];
      const fourth = b[i + 3];
      if (third === undefined || fourth === undefined || third < 0x81 || third > 0xfe || fourth < 0x30 || fourth > 0x39) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

function validUtf16(b: Uint8Array, littleEndian: boolean): boolean {
  if (b.length % 2 !== 0) return false;
  let pendingHigh = false;
  for (let i = 2; i < b.length; i += 2) {
    const unit = littleEndian ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (pendingHigh !== isLow) return false;
    pendingHigh = isHigh;
    if (unit < 0x20 && !ALLOWED_CONTROLS.has(unit)) return false;
  }
  return !pendingHigh;
}

// ---------------------------------------------------------------------------------------------
// Download names

/**
 * Controls, line separators and format characters: bidirectional overrides can show
 * "报告\u202Efdp.exe" as "报告exe.pdf", zero-width ones hide characters, lone surrogates break encoders.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
/** Characters Windows cannot save in a name (":" would also address an NTFS alternate stream). */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Below the common 255-byte file-name limit, leaving room for the " (1)" a browser adds. */
const MAX_NAME_BYTES = 200;
const MAX_EXT_BYTES = 32;

/**
 * A file name that is safe to put in Content-Disposition and to save on any desktop: the last path
 * segment only (old browsers upload "C:\\Users\\张三\\Desktop\\报告.docx"), without invisible or
 * forbidden characters, never hidden, never a Windows device name. Chinese text is kept.
 */
export function safeDownloadName(name: string, fallback = 'file'): string {
  const segments = name.normalize('NFC').split(/[/\\]/);
  let out = (segments[segments.length - 1] ?? '').replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_');
  // Windows drops trailing dots and spaces, so "a.exe." would be saved as a.exe.
  out = out.replace(/^[\s.]+|[\s.]+$/gu, '');
  if (out === '') return fallback;
  const dot = out.lastIndexOf('.');
  // An absurdly long "extension" is not one worth keeping intact at the cost of the whole name.
  const ext = dot > 0 && utf8Length(out.slice(dot)) <= MAX_EXT_BYTES ? out.slice(dot) : '';
  let stem = out.slice(0, out.length - ext.length);
  if (WINDOWS_DEVICE.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  const short = truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(ext));
  // Cutting may expose a dot that Windows would drop, turning "….exe.zzz…" into "….exe".
  return ext === '' ? short.replace(/[\s.]+$/u, '') : short + ext;
}

/**
 * A Content-Disposition value for the name: Node refuses non-Latin-1 header values, so the name
 * travels RFC 6266 style as an ASCII fallback plus the UTF-8 `filename*`.
 */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const safe = safeDownloadName(name);
  const asciiName = safe.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const size = utf8Length(ch);
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (at + sig.length > b.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function indexOf(b: Uint8Array, sig: readonly number[], within: number): number {
  const end = Math.min(b.length - sig.length, within - sig.length);
  for (let i = 0; i <= end; i++) if (startsWith(b, sig, i)) return i;
  return -1;
}

function lastIndexOfSignature(b: Uint8Array, sig: readonly number[], from: number): number {
  for (let i = b.length - sig.length; i >= from; i--) if (startsWith(b, sig, i)) return i;
  return -1;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

/** Zip64 fields; values past 2^53 cannot occur in an upload that fits in memory. */
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 2 ** 32;
}

function latin1(b: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < at + length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
