export { indexText, MAX_TOKENS, type QueryPhrase, queryTokens } from './bigrams.js';
export { type MatchingIds, type SearchRepository, searchRepository } from './search.repository.js';
