import { describe, expect, it } from 'vitest';
import { indexText, MAX_TOKENS, type QueryPhrase, queryTokens } from './bigrams.js';

/** What the databases do with our tokens: a phrase is consecutive tokens, a prefix phrase any token starting with it. */
function matches(doc: string, q: string): boolean {
  const tokens = indexText(doc).split(' ');
  const phrases = queryTokens(q);
  if (phrases.length === 0) return false;
  const has = (p: QueryPhrase) =>
    p.prefix ? tokens.some((t) => t.startsWith(p.tokens[0]!)) : tokens.some((_, i) => p.tokens.every((tok, j) => tokens[i + j] === tok));
  return phrases.every(has);
}

describe('indexText', () => {
  it('turns a CJK run into overlapping bigrams with an edge token at each end', () => {
    expect(indexText('综采队煤矿')).toBe('x综 综采 采队 队煤 煤矿 矿x');
  });

  it('gives a one-character run its two edge tokens', () => {
    expect(indexText('第3号')).toBe('x第 第x 3 x号 号x');
  });

  it('splits codes into lower-case words and drops punctuation', () => {
    expect(indexText('LXD-2026-0001：井下')).toBe('lxd 2026 0001 x井 井下 下x');
  });

  it('normalizes full-width forms so they match their ASCII spelling', () => {
    expect(indexText('ＬＸＤ－２０２６')).toBe(indexText('lxd-2026'));
  });

  it('is empty for text without letters or digits', () => {
    expect(indexText('  ——！？ ')).toBe('');
  });

  it('caps the token count', () => {
    expect(indexText('煤'.repeat(MAX_TOKENS * 2)).split(' ')).toHaveLength(MAX_TOKENS);
  });
});

describe('queryTokens', () => {
  it('makes a CJK word a bigram phrase with no edges, so it matches inside longer runs', () => {
    expect(queryTokens('安全台账')).toEqual([{ tokens: ['安全', '全台', '台账'], prefix: false }]);
  });

  it('pins only the boundaries inside a query word', () => {
    expect(queryTokens('2026年')).toEqual([{ tokens: ['2026', 'x年'], prefix: false }]);
    expect(queryTokens('煤矿A3')).toEqual([{ tokens: ['煤矿', '矿x', 'a3'], prefix: false }]);
  });

  it('marks a lone CJK character as a prefix search', () => {
    expect(queryTokens('煤')).toEqual([{ tokens: ['煤'], prefix: true }]);
  });

  it('ANDs whitespace-separated words (ideographic space too) and drops repeats and operators', () => {
    expect(queryTokens('煤矿　台账 & 煤矿')).toEqual([
      { tokens: ['煤矿'], prefix: false },
      { tokens: ['台账'], prefix: false },
    ]);
  });

  it('has nothing to search in blank or punctuation-only input', () => {
    expect(queryTokens('')).toEqual([]);
    expect(queryTokens(' "*:&|() ')).toEqual([]);
  });
});

describe('matching semantics', () => {
  const doc = '综采队煤矿安全台账 LXD-2026-0001 第3号 2026年度';

  it.each(['煤矿', '台账', '安全台账', '煤', '账', 'LXD-2026-0001', '2026-0001', '0001', 'lxd', '第3号', '3号', '2026年', '年度', '煤矿 0001', '台账LXD'])(
    'finds %s (separators between runs do not count)',
    (q) => expect(matches(doc, q)).toBe(true),
  );

  it.each(['采煤', '台账2026', '001', '20', '3号年', '煤矿 采煤', '钻'])('does not find %s', (q) => expect(matches(doc, q)).toBe(false));

  it('agrees with substring search on CJK text', () => {
    // A small alphabet makes repeats and near misses common; a fixed seed keeps failures reproducible.
    const alphabet = ['煤', '矿', '安', '全'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const str = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const d = str(1 + rand(12));
      const q = str(1 + rand(4));
      expect(matches(d, q), `${q} in ${d}`).toBe(d.includes(q));
    }
  });
});
