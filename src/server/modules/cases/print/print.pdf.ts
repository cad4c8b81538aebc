import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PrintModel, PrintRow } from './print.model.js';

/**
 * The A4 PDF of a printed form, made with pdfmake 0.3 on the server, with a CJK font embedded
 * (subset) so Chinese shows on any reader.
 *
 * The font is the system's: Noto Sans CJK SC from Debian's `fonts-noto-cjk` when installed, else the
 * best CJK font `fc-list :lang=zh` reports (TrueType/OpenType or a collection with its PostScript
 * name), else the usual install paths of Noto Sans CJK when fontconfig itself is missing. With no
 * CJK font at all there is no PDF worth giving (every Chinese glyph would be blank); the route then
 * sends the HTML print view instead, which the browser prints or saves as PDF with its own fonts.
 */

/** A font file; collections (.ttc/.otc) need the PostScript name of the face inside. */
export interface FontFace {
  file: string;
  postscriptName: string | null;
}
export interface CjkFont {
  family: string;
  normal: FontFace;
  bold: FontFace;
}

const OUTLINE_FONT = /\.(ttf|otf|ttc|otc)$/i;
const isCollection = (file: string) => /\.(ttc|otc)$/i.test(file);

/** Where Noto Sans CJK lives without fontconfig: Debian/Ubuntu, Fedora, Arch. */
const KNOWN: CjkFont[] = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/google-noto-cjk', '/usr/share/fonts/noto-cjk'].map((dir) => ({
  family: 'Noto Sans CJK SC',
  normal: { file: path.join(dir, 'NotoSansCJK-Regular.ttc'), postscriptName: 'NotoSansCJKsc-Regular' },
  bold: { file: path.join(dir, 'NotoSansCJK-Bold.ttc'), postscriptName: 'NotoSansCJKsc-Bold' },
}));

/** `fc-list -f` format whose output {@link chooseCjkFont} reads. */
export const FC_FORMAT = '%{file}|%{postscriptname}|%{family[0]}|%{weight}|%{spacing}\\n';

/** Prefer simplified-Chinese sans faces, then any CJK sans, then anything that covers Chinese. */
function familyScore(family: string): number {
  const f = family.toLowerCase();
  if (f === 'noto sans cjk sc') return 100;
  if (f === 'source han sans sc' || f === 'source han sans cn' || f === 'noto sans sc') return 90;
  if (f.includes('mono')) return 10;
  if (/sans.*\b(sc|cn)\b/.test(f)) return 80;
  if (f.includes('wenquanyi') || f.includes('wqy')) return 70;
  if (/\b(sc|cn)\b/.test(f)) return 60;
  if (f.includes('sans')) return 50;
  return 20;
}

/**
 * Picks a regular (and, when the family has one, a bold) face from `fc-list :lang=zh -f FC_FORMAT`
 * output. Null when nothing usable is listed.
 */
export function chooseCjkFont(fcList: string): CjkFont | null {
  interface Face extends FontFace {
    family: string;
    weight: number;
  }
  const faces: Face[] = [];
  for (const line of fcList.split('\n')) {
    const [file = '', ps = '', family = '', weight = ''] = line.split('|');
    if (!OUTLINE_FONT.test(file)) continue;
    // A face inside a collection can only be opened by its PostScript name.
    if (isCollection(file) && !ps) continue;
    faces.push({ file, postscriptName: ps || null, family: family.trim(), weight: Number(weight) || 80 });
  }
  if (!faces.length) return null;
  const families = [...new Set(faces.map((f) => f.family))].sort((a, b) => familyScore(b) - familyScore(a) || a.localeCompare(b));
  for (const family of families) {
    const own = faces.filter((f) => f.family === family);
    // fontconfig weights: 80 regular, 100 medium, 200 bold.
    const byDistance = (w: number) => [...own].sort((a, b) => Math.abs(a.weight - w) - Math.abs(b.weight - w) || a.file.localeCompare(b.file));
    const normal = byDistance(80)[0];
    if (!normal) continue;
    const boldest = byDistance(200)[0];
    const bold = boldest && boldest.weight >= 180 ? boldest : normal;
    const face = (f: Face): FontFace => ({ file: f.file, postscriptName: isCollection(f.file) ? f.postscriptName : null });
    return { family, normal: face(normal), bold: face(bold) };
  }
  return null;
}

const runFcList = () =>
  new Promise<string | null>((resolve) => {
    execFile('fc-list', [':lang=zh', '-f', FC_FORMAT], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => resolve(err ? null : stdout));
  });

/** Finds a CJK font on this machine (see the module comment). */
export async function findCjkFont(list: () => Promise<string | null> = runFcList): Promise<CjkFont | null> {
  const listed = await list();
  const chosen = listed === null ? null : chooseCjkFont(listed);
  if (chosen && fs.existsSync(chosen.normal.file)) return chosen;
  for (const k of KNOWN) {
    if (!fs.existsSync(k.normal.file)) continue;
    return fs.existsSync(k.bold.file) ? k : { ...k, bold: k.normal };
  }
  return null;
}

let found: { font: CjkFont | null; at: number } | null = null;
let finding: Promise<CjkFont | null> | null = null;

/** {@link findCjkFont}, once per process; a miss is looked up again after a minute (fonts may be installed meanwhile). */
export async function cjkFont(): Promise<CjkFont | null> {
  if (found && (found.font || Date.now() - found.at < 60_000)) return found.font;
  finding ??= findCjkFont().then((font) => {
    found = { font, at: Date.now() };
    finding = null;
    return font;
  });
  return finding;
}

// ---- pdfmake (CommonJS, no bundled types: the little used here is typed locally) ----

type FontDescriptor = string | [string, string];
type Content = string | { [key: string]: unknown } | Content[];
interface LaidOutNode {
  headlineLevel?: number;
  startPosition?: { top: number };
}
interface DocDefinition {
  pageSize: string;
  pageMargins: number | [number, number, number, number];
  info: Record<string, string>;
  language?: string;
  defaultStyle: Record<string, unknown>;
  styles?: Record<string, Record<string, unknown>>;
  content: Content[];
  footer?: (currentPage: number, pageCount: number) => Content;
  pageBreakBefore?: (node: LaidOutNode, nodes: { getFollowingNodesOnPage(): LaidOutNode[] }) => boolean;
}
interface PdfMake {
  setFonts(fonts: Record<string, { normal: FontDescriptor; bold: FontDescriptor }>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (file: string) => boolean): void;
  createPdf(doc: DocDefinition): { getBuffer(): Promise<Buffer> };
}

let pdfmake: PdfMake | null = null;
const FONT = 'cjk';
const MM = 72 / 25.4;
const MARGIN = 15 * MM;

const descriptor = (f: FontFace): FontDescriptor => (f.postscriptName ? [f.file, f.postscriptName] : f.file);

function table(rows: PrintRow[], signatures = false): Content {
  const label = (text: string) => ({ text, fillColor: '#f2f2f2' });
  // Signature cells are left blank and tall enough to sign by hand (about 12 mm).
  const pad = signatures ? 12 : 3;
  return {
    table: {
      // Signature rows: a wider label (who signs) and a narrow 日期 label.
      widths: signatures ? ['26%', '34%', '10%', '30%'] : ['17%', '33%', '17%', '33%'],
      body: rows.map(([a, b]) => (b ? [label(a.label), a.value, label(b.label), b.value] : [label(a.label), { text: a.value, colSpan: 3 }, '', ''])),
      ...(signatures && { dontBreakRows: true }),
    },
    layout: {
      hLineWidth: () => 0.75,
      vLineWidth: () => 0.75,
      paddingLeft: () => 5,
      paddingRight: () => 5,
      paddingTop: () => pad,
      paddingBottom: () => pad,
    },
  };
}

/** The form as an A4 PDF. */
export async function renderPrintPdf(m: PrintModel, font: CjkFont): Promise<Buffer> {
  if (!pdfmake) {
    pdfmake = createRequire(import.meta.url)('pdfmake') as PdfMake;
    // Nothing is fetched from the network.
    pdfmake.setUrlAccessPolicy(() => false);
  }
  // Only the font files are read from disk.
  const allowed = new Set([font.normal.file, font.bold.file]);
  pdfmake.setLocalAccessPolicy((file) => allowed.has(file));
  // pdfmake writes into the descriptors it is given, so each document gets fresh ones.
  pdfmake.setFonts({ [FONT]: { normal: descriptor(font.normal), bold: descriptor(font.bold) } });
  const content: Content[] = [
    { text: m.title, style: 'title' },
    { columns: [{ text: m.initiatorUnit }, { text: m.number, alignment: 'right' }], margin: [0, 0, 0, 4] },
  ];
  for (const s of m.sections) {
    const heading = s.heading === null ? null : { text: s.heading, style: s.level === 1 ? 'part' : 'reply', headlineLevel: 1 };
    // The signature block stays whole, its heading with it.
    if (s.signatures) content.push({ stack: [...(heading ? [{ ...heading, headlineLevel: undefined }] : []), table(s.rows, true)], unbreakable: true });
    else {
      if (heading) content.push(heading);
      content.push(table(s.rows));
    }
  }
  content.push({ text: m.footer, style: 'footnote' });
  const doc: DocDefinition = {
    pageSize: 'A4',
    pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN],
    // The product's own name in the reader's language, never a library's.
    info: { title: m.docTitle, subject: m.docTitle, author: m.initiatorUnit, creator: m.appName, producer: m.appName },
    language: m.lang,
    defaultStyle: { font: FONT, fontSize: 10.5, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 20, bold: true, alignment: 'center', characterSpacing: 4, margin: [0, 0, 0, 6] },
      part: { fontSize: 12, bold: true, margin: [0, 12, 0, 4] },
      reply: { fontSize: 11, bold: true, alignment: 'center', margin: [0, 6, 0, 4] },
      footnote: { fontSize: 9, color: '#444444', alignment: 'right', margin: [0, 14, 0, 0] },
    },
    content,
    // A heading is never left alone at the foot of a page (the page footer, laid out above it, does not count).
    pageBreakBefore: (node, nodes) =>
      node.headlineLevel === 1 && !nodes.getFollowingNodesOnPage().some((n) => (n.startPosition?.top ?? 0) > (node.startPosition?.top ?? 0)),
    footer: (page, pages) => ({ text: `${m.number}　${page} / ${pages}`, fontSize: 8, color: '#666666', alignment: 'center', margin: [0, MARGIN / 2, 0, 0] }),
  };
  return pdfmake.createPdf(doc).getBuffer();
}
