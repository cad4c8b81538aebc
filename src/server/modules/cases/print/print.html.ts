import type { PrintModel, PrintRow } from './print.model.js';

/**
 * The print view: one self-contained A4 page (inline CSS, no scripts, no external assets, so it
 * passes the server's CSP and prints the same offline). Every value is escaped here.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const CSS = `
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #e9e9e9; color: #000; font: 10.5pt/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
.bar { max-width: 210mm; margin: 0 auto; padding: 8px 12px; display: flex; gap: 16px; align-items: center; font-size: 10pt; color: #333; }
.bar a { color: #0b57d0; white-space: nowrap; }
.sheet { width: 210mm; max-width: 100%; min-height: 297mm; margin: 0 auto 16px; padding: 15mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
h1 { margin: 0 0 2mm; text-align: center; font-size: 20pt; letter-spacing: .3em; font-weight: 700; }
.meta { display: flex; justify-content: space-between; margin-bottom: 2mm; font-size: 10pt; }
h2 { margin: 5mm 0 1.5mm; font-size: 12pt; font-weight: 700; break-after: avoid; page-break-after: avoid; }
h3 { margin: 2mm 0 1.5mm; font-size: 11pt; font-weight: 700; text-align: center; break-after: avoid; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
col.l { width: 17%; }
col.v { width: 33%; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { font-weight: 400; background: #f2f2f2; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.signatures td { height: 12mm; }
col.who { width: 26%; }
col.d { width: 10%; }
table.signatures col.v { width: 32%; }
section:has(table.signatures) { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 6mm; text-align: right; font-size: 9pt; color: #444; }
@media print {
  body { background: none; }
  .bar { display: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media screen and (max-width: 640px) {
  .sheet { padding: 12px; min-height: 0; box-shadow: none; }
  h1 { font-size: 17pt; letter-spacing: .15em; }
  table, tbody, tr, th, td { display: block; width: auto; }
  colgroup { display: none; }
  th { border-bottom: none; padding-bottom: 0; background: none; color: #555; font-size: 9pt; }
  td { border-top: none; margin-bottom: -1px; }
}
`;

const TEXT = {
  'zh-CN': { pdf: '下载 PDF', hint: '按 Ctrl+P（手机：浏览器菜单 › 打印）打印本页，纸张 A4。' },
  en: { pdf: 'Download PDF', hint: 'Press Ctrl+P (on a phone: browser menu › Print) to print on A4.' },
};

function row(r: PrintRow): string {
  const [a, b] = r;
  if (!b) return `<tr><th>${escapeHtml(a.label)}</th><td colspan="3">${escapeHtml(a.value)}</td></tr>`;
  return `<tr><th>${escapeHtml(a.label)}</th><td>${escapeHtml(a.value)}</td><th>${escapeHtml(b.label)}</th><td>${escapeHtml(b.value)}</td></tr>`;
}

export function renderPrintHtml(m: PrintModel): string {
  const t = TEXT[m.lang];
  const sections = m.sections
    .map((s) => {
      const heading = s.heading === null ? '' : s.level === 1 ? `<h2>${escapeHtml(s.heading)}</h2>` : `<h3>${escapeHtml(s.heading)}</h3>`;
      const cols = s.signatures
        ? '<col class="who"><col class="v"><col class="d"><col class="v">'
        : '<col class="l"><col class="v"><col class="l"><col class="v">';
      const table = `<table${s.signatures ? ' class="signatures"' : ''}><colgroup>${cols}</colgroup><tbody>${s.rows.map(row).join('')}</tbody></table>`;
      return `<section>${heading}${table}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(m.docTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<nav class="bar"><a href="print.pdf">${escapeHtml(t.pdf)}</a><span>${escapeHtml(t.hint)}</span></nav>
<main class="sheet">
<h1>${escapeHtml(m.title)}</h1>
<div class="meta"><span>${escapeHtml(m.initiatorUnit)}</span><span>${escapeHtml(m.number)}</span></div>
${sections}
<footer>${escapeHtml(m.footer)}</footer>
</main>
</body>
</html>
`;
}
