import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph of the source, read by the TypeScript parser (no type checking): every relative
 * `import`, `export … from` and `import()` of every .ts/.tsx file under the given folders. Paths are
 * relative to the repository root with forward slashes; `.js` specifiers resolve to the .ts/.tsx
 * file next to them, as the compiler does.
 */
export interface ImportEdge {
  target: string;
  /** `import type` / `export type`, or every named binding marked `type`: erased at run time. */
  typeOnly: boolean;
}

export interface SourceFile {
  file: string;
  imports: ImportEdge[];
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

function listFiles(dir: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const toRel = (abs: string) => path.relative(REPO_ROOT, abs).split(path.sep).join('/');

function resolve(fromAbs: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromAbs), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return toRel(found ?? base);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the file
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The imports of one file's text (exported for the rule's own tests). */
export function importsOf(fileAbs: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileAbs, text, ts.ScriptTarget.Latest, false, fileAbs.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteralLike(specifier) && specifier.text.startsWith('.')) out.push({ target: resolve(fileAbs, specifier.text), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyExport(node));
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every .ts/.tsx file under `folders` (relative to the repository root) with its imports. */
export function readSources(folders: readonly string[]): SourceFile[] {
  const files = folders.flatMap((f) => listFiles(path.join(REPO_ROOT, f), []));
  return files.map((abs) => ({ file: toRel(abs), imports: importsOf(abs, fs.readFileSync(abs, 'utf8')) }));
}
