/**
 * Tokens for Chinese full-text search on both databases.
 *
 * SQLite's FTS5 tokenizers and PostgreSQL's parsers see a run of Han characters as one word, and
 * trigram indexes cannot match two-character words (煤矿, 台账), so we tokenize ourselves and hand
 * the databases a plain space-separated token string that their default word splitters keep intact.
 *
 * Scheme (the same function shapes documents and queries, which is what makes them agree):
 * - text is NFKC-normalized (full-width ＬＸＤ２０２６ → lxd2026, ideographic space → space) and lower-cased;
 * - it splits into runs: CJK runs (Han, kana, Hangul) and word runs (other letters and digits);
 *   anything else separates runs;
 * - a CJK run c1…cn becomes `xc1 c1c2 c2c3 … cn-1cn cnx`: the overlapping bigrams plus an edge token at
 *   each end. The edges let a query's CJK run that touches a number or a punctuation mark line up with
 *   the same boundary in a document (2026年, 第3号, 矿A3), and give a one-character run tokens of its own;
 * - a word run is one token. A code like LXD-2026-0001 is three tokens `lxd 2026 0001`, so the query
 *   `LXD-2026-0001`, `2026-0001` or `0001` is a phrase of whole words. Words match whole, not as
 *   prefixes or infixes: `001` does not find `0001`.
 *
 * The edge marker is an ASCII letter glued to a CJK character: both databases keep such a token
 * whole, and it can never come from text, because runs of different kinds are always separated.
 */

const EDGE = 'x';

/**
 * PostgreSQL clamps tsvector positions at 16383, which would break phrases further in, and
 * refuses tsvectors over 1 MB; capping the document keeps both dialects finding the same things.
 */
export const MAX_TOKENS = 16_000;

/** PostgreSQL skips words over 2047 bytes with a notice; nothing real is that long. */
const MAX_WORD = 100;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s+/u;

interface Run {
  cjk: boolean;
  chars: string[];
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (const ch of text) {
    const kind = CJK.test(ch) ? 'cjk' : WORD.test(ch) ? 'word' : null;
    if (kind === null) {
      current = null;
      continue;
    }
    const cjk = kind === 'cjk';
    if (current === null || current.cjk !== cjk) {
      current = { cjk, chars: [] };
      runs.push(current);
    }
    current.chars.push(ch);
  }
  return runs;
}

function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function word(run: Run): string {
  return run.chars.slice(0, MAX_WORD).join('');
}

/** The searchable form of a document: what goes into `search_doc.body`. */
export function indexText(text: string): string {
  const tokens: string[] = [];
  for (const run of runsOf(normalize(text))) {
    if (run.cjk) {
      tokens.push(EDGE + run.chars[0], ...bigrams(run.chars), run.chars[run.chars.length - 1] + EDGE);
    } else {
      tokens.push(word(run));
    }
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens.slice(0, MAX_TOKENS).join(' ');
}

/**
 * One whitespace-separated word of a query: its tokens must appear consecutively in the document.
 * `prefix` is set only for a lone CJK character (煤), which has no bigram: it then matches any token
 * starting with that character. Every occurrence of a character in a document starts a token (the
 * bigram it begins, or its run's end edge), so this is still an exact "contains" test and stays
 * inside the full-text index instead of falling back to LIKE.
 */
export interface QueryPhrase {
  tokens: string[];
  prefix: boolean;
}

/**
 * The phrases of a user query, all of which a document must contain (AND). CJK runs match as
 * substrings; a run that does not end the query word must end a run in the document too
 * (`煤矿A3` needs 矿 right before A3), which is what the edge tokens express.
 * Returns [] when the query has nothing searchable (blank, only punctuation).
 */
export function queryTokens(q: string): QueryPhrase[] {
  const phrases: QueryPhrase[] = [];
  const seen = new Set<string>();
  for (const part of normalize(q).split(SPACE)) {
    const runs = runsOf(part);
    if (runs.length === 0) continue;
    let phrase: QueryPhrase;
    const only = runs[0]!;
    if (runs.length === 1 && only.cjk && only.chars.length === 1) {
      phrase = { tokens: [only.chars[0]!], prefix: true };
    } else {
      const tokens: string[] = [];
      runs.forEach((run, i) => {
        if (!run.cjk) {
          tokens.push(word(run));
          return;
        }
        // The first run may be the tail of a longer document run and the last one its head, so only
        // boundaries inside the query word are pinned.
        if (i > 0) tokens.push(EDGE + run.chars[0]);
        tokens.push(...bigrams(run.chars));
        if (i < runs.length - 1) tokens.push(run.chars[run.chars.length - 1] + EDGE);
      });
      phrase = { tokens, prefix: false };
    }
    const key = `${phrase.prefix}:${phrase.tokens.join(' ')}`;
    if (!seen.has(key)) {
      seen.add(key);
      phrases.push(phrase);
    }
  }
  return phrases;
}
