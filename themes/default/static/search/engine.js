// The browser's search engine of metodist: ranks documents from the static export that
// `metodist build` writes next to every search page (src/search/export.rs), exactly as
// `metodist search` ranks them with tantivy.
//
//   meta.json          {version: 4, docs, scale, chunks: [first term of each chunk],
//                       sources: [{path, first, url_prefix}], chunk_path?}; the chunks are in
//                       chunk_path + "t/" (default: this folder)
//   t/<n>.bin          chunk n: consecutive terms (sorted by code point), binary, every number
//                      an unsigned LEB128 varint: count, then per term: byte length, UTF-8,
//                      documents, step, layout, postings byte length, postings = the document
//                      ids (layout 0: doc0, gap1, gap2 …; layout 1: doc0 then a bitmap, bit i
//                      set when doc0 + i is there) and one byte per document, its level;
//                      score = level × step in units of 1/scale of BM25, already summed over
//                      the fields (title ×3, text, organization, tags)
//   d/<doc>.json       {title, url, type, type_label, department, year, text}; the fragment of
//                      doc d is at source.path + "d/" + (d − source.first) + ".json" for the
//                      last source with first ≤ d, and its url gets source.url_prefix
//   facets.json        {values: {types, departments, organizations, tags}, type_labels,
//                       docs: [[typeIdx, year|0, [orgIdx…], [tagIdx…], deptIdx], …]}
//
// A document's score is the sum of the contributions of the query's terms (one per distinct
// word, as in tantivy's query parser); ties go to the lower document id, as in tantivy.
// Only meta.json, the shards of the query's terms, the fragments of the results asked for and,
// when a filter is used, facets.json are fetched; everything fetched is cached.
//
// DOM-free: works in browsers and in Node (pass a `fetchJson(url)` that returns parsed JSON and
// a `fetchBytes(url)` that returns an ArrayBuffer or Uint8Array).

import { tokenize } from './analyzer.js';

const WORD = /[\p{Alphabetic}\p{N}]+/gu; // the analyzer's word characters
const ENDS_WITH_WORD = /[\p{Alphabetic}\p{N}]$/u;

/** Lowercase (per character, like the analyzer) and fold «ё» to «е»; no stemming. */
export function fold(word) {
  let lower = '';
  for (const ch of String(word)) lower += ch.toLowerCase();
  return lower.replace(/[ёЁ]/g, 'е');
}

/** Compares strings by code point (the order of the export's UTF-8 bytes). */
export function compareTerms(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Index of the chunk that would hold `term`: the last chunk whose first term is ≤ term. */
export function chunkOf(chunks, term) {
  let lo = 0;
  let hi = chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareTerms(chunks[mid], term) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Chunks that may hold terms starting with `prefix`. */
export function chunksOfPrefix(chunks, prefix) {
  const out = [];
  let i = Math.max(0, chunkOf(chunks, prefix));
  if (chunks.length === 0) return out;
  out.push(i);
  for (i += 1; i < chunks.length && chunks[i].startsWith(prefix); i++) out.push(i);
  return out;
}

/**
 * The terms of a query, as tantivy's query parser makes them: every distinct word (a word
 * repeated with exactly the same spelling counts once — tantivy-query-grammar drops identical
 * clauses — but different words with the same stem, «педагог педагогов», count twice). With
 * `prefix: true`, the last word — if the query ends with it and it has at least 2 characters —
 * is matched as a prefix instead: `prefix` is that word folded (lowercase, ё → е), and
 * `prefixTerm` its analyzed term (also matched, so a complete word finds its stem).
 */
export function parseQuery(query, { prefix = false } = {}) {
  const text = String(query ?? '');
  const words = [...new Set(Array.from(text.matchAll(WORD), (m) => m[0]))];
  const out = { terms: [], prefix: null, prefixTerm: null };
  let last = words.length;
  if (prefix && words.length > 0 && ENDS_WITH_WORD.test(text)) {
    const folded = fold(words[words.length - 1]);
    if (Array.from(folded).length >= 2) {
      last = words.length - 1;
      out.prefix = folded;
      out.prefixTerm = tokenize(words[last])[0] ?? null;
    }
  }
  for (let i = 0; i < last; i++) out.terms.push(...tokenize(words[i]));
  return out;
}

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Terms of the words of shown snippets, remembered (a result list stems the same words again
// and again as the reader types).
const termCache = new Map();
function termOf(word) {
  let t = termCache.get(word);
  if (t === undefined) {
    if (termCache.size > 20000) termCache.clear();
    t = tokenize(word)[0] ?? null;
    termCache.set(word, t);
  }
  return t ?? undefined;
}

/**
 * Accepts [terms…], a parseQuery() result or {terms, prefix}. A word matches when its term is
 * one of the terms or when it (or its term) starts with the prefix. A term is the beginning of
 * the folded word (stemming only cuts endings), so only the words beginning with the first two
 * characters of a term or of the prefix are stemmed: snippets stay cheap on long texts.
 */
function matcherOf(queryTerms) {
  const q = Array.isArray(queryTerms) ? { terms: queryTerms } : queryTerms || {};
  const terms = new Set(q.terms || []);
  if (q.prefixTerm) terms.add(q.prefixTerm);
  const prefix = q.prefix ? fold(q.prefix) : null;
  const heads = new Set([...terms].map((t) => t.slice(0, 2)));
  if (prefix) heads.add(prefix.slice(0, 2));
  return (word) => {
    const folded = fold(word);
    if (prefix && folded.startsWith(prefix)) return true;
    if (!heads.has(folded.slice(0, 2)) && !heads.has(folded.slice(0, 1))) return false;
    const term = termOf(word);
    if (term !== undefined && terms.has(term)) return true;
    return prefix !== null && term !== undefined && term.startsWith(prefix);
  };
}

/** Ranges [start, end) of the words of `text` that match the query. */
function matchRanges(text, queryTerms) {
  const matches = matcherOf(queryTerms);
  const out = [];
  for (const m of text.matchAll(WORD)) if (matches(m[0])) out.push([m.index, m.index + m[0].length]);
  return out;
}

function partsOf(text, ranges, from, to) {
  const parts = [];
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    if (s > at) parts.push({ text: text.slice(at, s), mark: false });
    parts.push({ text: text.slice(Math.max(s, at), Math.min(e, to)), mark: true });
    at = Math.min(e, to);
  }
  if (at < to) parts.push({ text: text.slice(at, to), mark: false });
  return parts;
}

/** The whole `text` as parts [{text, mark}] with the matching words marked (for titles). */
export function highlightParts(text, queryTerms) {
  text = String(text ?? '');
  return partsOf(text, matchRanges(text, queryTerms), 0, text.length);
}

/**
 * About `length` characters of `text` around the first matching word, as parts [{text, mark}];
 * cut ends get «…». Without a match, the beginning of the text.
 */
export function snippetParts(text, queryTerms, { length = 240, before = 60 } = {}) {
  text = String(text ?? '').replace(/\s+/g, ' ').trim();
  const ranges = matchRanges(text, queryTerms);
  let from = 0;
  if (ranges.length > 0 && ranges[0][0] > before) {
    from = ranges[0][0] - before;
    const space = text.indexOf(' ', from);
    from = space >= 0 && space < ranges[0][0] ? space + 1 : ranges[0][0];
  }
  let to = Math.min(text.length, from + length);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from) to = space;
  }
  const parts = partsOf(text, ranges, from, to);
  if (from > 0) parts.unshift({ text: '… ', mark: false });
  if (to < text.length) parts.push({ text: ' …', mark: false });
  return parts;
}

/** Parts as HTML: text escaped, matches in <mark>. */
export function partsToHtml(parts) {
  return parts.map((p) => (p.mark ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');
}

/**
 * HTML-escaped text around the first matching word (a word whose analyzed term is one of
 * `queryTerms`, or which starts with the query's prefix), matches wrapped in <mark>.
 */
export function snippet(fragmentText, queryTerms, options) {
  return partsToHtml(snippetParts(fragmentText, queryTerms, options));
}

/** Russian plural: plural(5, ['материал', 'материала', 'материалов']). */
export function plural(n, [one, few, many]) {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

const FILTERS = ['type', 'year', 'tag', 'organization', 'department'];
/** Most chunks a prefix (the last word being typed) is expanded over; see chunksOfQuery. */
export const MAX_PREFIX_CHUNKS = 2;
/** Shortest last word whose prefix chunks are prefetched while typing (see prefetch). */
const MIN_PREFETCH_PREFIX = 4;

const utf8 = new TextDecoder();

/**
 * Reads a chunk file: Map term → {at, docs, step, layout, end} (where its postings start and
 * end in `bytes`, how many documents). The postings themselves are decoded only for the terms
 * a query uses.
 */
export function readChunk(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const r = varintReader(bytes, 0);
  const terms = new Map();
  const count = r.next();
  for (let i = 0; i < count; i++) {
    const len = r.next();
    const term = utf8.decode(bytes.subarray(r.at, r.at + len));
    r.at += len;
    const docs = r.next();
    const step = r.next();
    const layout = r.next();
    const size = r.next();
    terms.set(term, { at: r.at, docs, step, layout, end: r.at + size });
    r.at += size;
  }
  return { bytes, terms };
}

/** Reads unsigned LEB128 varints from `bytes`, starting at `at` (r.at is the position). */
function varintReader(bytes, at) {
  return {
    at,
    next() {
      let n = 0;
      let mul = 1;
      for (;;) {
        const b = bytes[this.at++];
        n += (b & 0x7f) * mul;
        if (b < 0x80) return n;
        mul *= 128;
      }
    },
  };
}

const BITMAP = 1;
/** The export format this engine reads (src/search/export.rs VERSION). */
export const FORMAT_VERSION = 4;

/**
 * The postings of `term` in a chunk read by readChunk: {docs, scores} (Uint32Arrays). The
 * document ids are a list of gaps or, for words in most documents, a bitmap from the first id;
 * then one byte per document, its level: score = level × step.
 */
export function postingsOf(chunk, term) {
  const entry = chunk && chunk.terms.get(term);
  if (!entry) return { docs: new Uint32Array(0), scores: new Uint32Array(0) };
  const { bytes } = chunk;
  const { docs: n, step, end } = entry;
  const r = varintReader(bytes, entry.at);
  const docs = new Uint32Array(n);
  const scores = new Uint32Array(n);
  const levels = end - n;
  if (entry.layout === BITMAP) {
    const first = r.next();
    let k = 0;
    for (let at = r.at; at < levels; at++) {
      const byte = bytes[at];
      if (byte === 0) continue;
      const base = first + (at - r.at) * 8;
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) docs[k++] = base + bit;
    }
  } else {
    let doc = 0;
    for (let i = 0; i < n; i++) {
      doc = i === 0 ? r.next() : doc + r.next();
      docs[i] = doc;
    }
  }
  for (let i = 0; i < n; i++) scores[i] = bytes[levels + i] * step;
  return { docs, scores };
}

/**
 * The first `k` of `items` in the order of `before(a, b)` (a comes first), in that order,
 * without sorting them all: the first page of 10 000 matches costs one pass.
 */
export function best(items, k, before) {
  const top = [];
  if (k <= 0) return top;
  for (const x of items) {
    if (top.length === k && !before(x, top[k - 1])) continue;
    let i = top.length === k ? k - 1 : top.length;
    while (i > 0 && before(x, top[i - 1])) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = x;
  }
  return top;
}

async function defaultFetchBytes(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${url}`);
  return res.arrayBuffer();
}

/**
 * A search over the export at `baseUrl` (a folder URL ending in «/»). `fetchJson(url)` must
 * return (a promise of) the parsed JSON of `url`, `fetchBytes(url)` its bytes (default: fetch).
 */
export function createSearch(baseUrl, fetchJson, fetchBytes = defaultFetchBytes) {
  const base = String(baseUrl).endsWith('/') ? String(baseUrl) : `${baseUrl}/`;
  const cache = new Map(); // path → promise of JSON
  const postings = new Map(); // term → {docs: Uint32Array, scores: Uint32Array}

  function load(path) {
    let p = cache.get(path);
    if (!p) {
      p = Promise.resolve()
        .then(() => (path.endsWith('.bin') ? fetchBytes(base + path).then(readChunk) : fetchJson(base + path)))
        .catch((e) => {
          cache.delete(path); // let a later search retry
          throw e;
        });
      cache.set(path, p);
    }
    return p;
  }

  const meta = () =>
    load('meta.json').then((m) => {
      // Another format (a theme newer or older than the binary that wrote the export) would
      // be misread: better no results and an error in the console.
      if (m.version !== FORMAT_VERSION) throw new Error(`search export version ${m.version}, expected ${FORMAT_VERSION}: rebuild the site`);
      return m;
    });

  /** The export (a department's, on the region site) holding document `d`'s fragment. */
  function sourceOf(m, d) {
    const sources = m.sources && m.sources.length ? m.sources : [{ path: '', first: 0, url_prefix: '' }];
    let src = sources[0];
    for (const s of sources) if (s.first <= d) src = s;
    return src;
  }

  function fragmentPath(m, d) {
    const src = sourceOf(m, d);
    return `${src.path}d/${d - src.first}.json`;
  }

  /** The fragment of document `d`. */
  function fragmentOf(m, d) {
    const src = sourceOf(m, d);
    return load(fragmentPath(m, d)).then((f) => (src.url_prefix ? Object.assign({}, f, { url: src.url_prefix + f.url }) : f));
  }

  function decode(chunk, term) {
    let p = postings.get(term);
    if (!p) {
      p = postingsOf(chunk, term);
      postings.set(term, p);
    }
    return p;
  }

  /**
   * Chunk numbers a parsed query needs: its terms' and, with a prefix, the prefix's. A prefix
   * is expanded over at most MAX_PREFIX_CHUNKS chunks: a short prefix («пе») spans many chunks
   * of common words, and fetching them all for a word still being typed costs more than it
   * gives; such a word is matched as typed (its own term) until it is longer.
   */
  function chunksOfQuery(m, q, expandPrefix = true) {
    const chunks = m.chunks || [];
    const wanted = new Set(q.terms.concat(q.prefixTerm ? [q.prefixTerm] : []).map((t) => chunkOf(chunks, t)));
    let prefixChunks = q.prefix && expandPrefix ? chunksOfPrefix(chunks, q.prefix) : [];
    if (prefixChunks.length > MAX_PREFIX_CHUNKS) prefixChunks = [];
    for (const i of prefixChunks) wanted.add(i);
    wanted.delete(-1);
    return { wanted, prefixChunks };
  }

  const chunkPath = (m, i) => `${m.chunk_path || ''}t/${i}.bin`;

  /**
   * Starts fetching what `query` (typed so far) will need — meta.json, the chunks of its words
   * and, once the last word has MIN_PREFETCH_PREFIX characters, the chunks of the words it may
   * become (at most MAX_PREFIX_CHUNKS) — without ranking anything. Called on every keystroke,
   * so that the search after the typing pause finds its data loaded and only the fragments of
   * the shown results remain to fetch.
   */
  async function prefetch(query) {
    const q = parseQuery(query, { prefix: true });
    if (q.terms.length === 0 && q.prefix === null) return;
    const m = await meta();
    const longEnough = q.prefix !== null && Array.from(q.prefix).length >= MIN_PREFETCH_PREFIX;
    const { wanted } = chunksOfQuery(m, q, longEnough);
    await Promise.all([...wanted].map((i) => load(chunkPath(m, i))));
  }

  /** The facets, with a predicate per filter: {values, type_labels, docs, matches(doc, f)}. */
  const facets = () => load('facets.json');

  function filterOf(f, options) {
    const want = {};
    let any = false;
    for (const key of FILTERS) {
      const v = options[key];
      if (v === undefined || v === null || v === '') continue;
      any = true;
      if (key === 'year') want.year = Number(v);
      else {
        const list = f.values[{ type: 'types', tag: 'tags', organization: 'organizations', department: 'departments' }[key]] || [];
        want[key] = list.indexOf(String(v)); // -1: nothing matches
      }
    }
    if (!any) return null;
    return (doc) => {
      const row = f.docs[doc];
      if (!row) return false;
      if (want.type !== undefined && row[0] !== want.type) return false;
      if (want.year !== undefined && row[1] !== want.year) return false;
      if (want.organization !== undefined && !row[2].includes(want.organization)) return false;
      if (want.tag !== undefined && !row[3].includes(want.tag)) return false;
      if (want.department !== undefined && row[4] !== want.department) return false;
      return true;
    };
  }

  /** Scores of every matching document of a parsed query (its chunks loaded): {scores, touched}. */
  function score(m, q, tables, prefixChunks) {
    const chunks = m.chunks || [];
    const tableOf = (term) => tables.get(chunkOf(chunks, term)) || null;
    const scores = new Float64Array(m.docs);
    const touched = [];
    const add = (p) => {
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        if (scores[d] === 0) touched.push(d);
        scores[d] += p.scores[i];
      }
    };
    for (const term of q.terms) add(decode(tableOf(term), term));

    if (q.prefix) {
      // Best-scoring matching term per document: the typed word's own term, or any term
      // starting with the typed characters.
      const best = new Map();
      const take = (p) => {
        for (let i = 0; i < p.docs.length; i++) {
          const d = p.docs[i];
          const s = p.scores[i];
          if (!(best.get(d) >= s)) best.set(d, s);
        }
      };
      if (q.prefixTerm) take(decode(tableOf(q.prefixTerm), q.prefixTerm));
      for (const i of prefixChunks) {
        const table = tables.get(i);
        if (!table) continue;
        for (const term of table.terms.keys()) if (term.startsWith(q.prefix) && term !== q.prefixTerm) take(decode(table, term));
      }
      for (const [d, s] of best) {
        if (scores[d] === 0) touched.push(d);
        scores[d] += s;
      }
    }
    return { scores, touched };
  }

  // The last ranking, {key, page: [{doc, score}], total}: the page ranks a query while it is
  // being typed (rank with `fetch: 1`) and again, the same, once the reader pauses.
  let lastRanking = null;

  /**
   * Ranked results [{doc, score, fragment}] of `query` (at most `limit`, after `offset`), each
   * `fragment` a promise (fetched in parallel: a page can draw each result as it arrives).
   * Options: prefix (bool), type, year, tag, organization, department (values as in
   * facets.json: type key, year number, names), limit (default 10), offset (default 0),
   * fetch (how many of the results, from the first, have their fragments fetched now; the
   * others get `fragment: null` unless it is cached: see fragment(); default all),
   * cachedOnly (resolve to null instead of fetching a chunk that is not in the cache or
   * already on its way, e.g. started by prefetch()).
   * The array also carries `total` (matching documents) and `query` (parseQuery result, for
   * snippet()).
   */
  async function rank(query, options = {}) {
    const q = parseQuery(query, { prefix: !!options.prefix });
    const limit = options.limit === undefined ? 10 : Math.max(0, options.limit | 0);
    const offset = Math.max(0, options.offset | 0);
    const fetchCount = options.fetch === undefined ? Infinity : Math.max(0, options.fetch | 0);
    const done = (list, total) => Object.assign(list, { total, query: q });
    if (q.terms.length === 0 && q.prefix === null) return done([], 0);

    const m = await meta();
    const needFacets = FILTERS.some((k) => options[k] !== undefined && options[k] !== null && options[k] !== '');
    const key = JSON.stringify([q, limit, offset, FILTERS.map((k) => (needFacets ? options[k] ?? null : null))]);
    let ranking = lastRanking && lastRanking.key === key ? lastRanking : null;
    if (!ranking) {
      const { wanted, prefixChunks } = chunksOfQuery(m, q);
      if (options.cachedOnly && [...wanted].some((i) => !cache.has(chunkPath(m, i)))) return null;
      const facetsPromise = needFacets ? facets() : null;
      const tables = new Map();
      await Promise.all([...wanted].map(async (i) => tables.set(i, await load(chunkPath(m, i)))));
      const { scores, touched } = score(m, q, tables, prefixChunks);
      let hits = touched;
      if (facetsPromise) {
        const keep = filterOf(await facetsPromise, options);
        if (keep) hits = hits.filter(keep);
      }
      const page = best(hits, offset + limit, (a, b) => scores[a] > scores[b] || (scores[a] === scores[b] && a < b)).slice(offset);
      ranking = lastRanking = { key, page: page.map((doc) => ({ doc, score: scores[doc] })), total: hits.length };
    }
    return done(
      ranking.page.map(({ doc, score: s }, i) => ({
        doc,
        score: s,
        fragment: i < fetchCount || cache.has(fragmentPath(m, doc)) ? fragmentOf(m, doc) : null,
      })),
      ranking.total,
    );
  }

  /** The fragment of document `doc` (a promise), fetched if it is not cached. */
  const fragment = (doc) => meta().then((m) => fragmentOf(m, doc));

  /** Like rank(), with every result's fragment loaded: [{doc, score, fragment}]. */
  async function search(query, options = {}) {
    const hits = await rank(query, options);
    const fragments = await Promise.all(hits.map((h) => h.fragment));
    hits.forEach((h, i) => (h.fragment = fragments[i]));
    return hits;
  }

  /**
   * Filter choices: {types: [{value, label}], years: [number, desc], tags, organizations,
   * departments: [{value, label}] (sorted by label)}.
   */
  async function filterOptions() {
    const f = await facets();
    const byLabel = (a, b) => a.label.localeCompare(b.label, 'ru', { numeric: true });
    const list = (key) => (f.values[key] || []).map((v) => ({ value: v, label: v })).sort(byLabel);
    const years = [...new Set(f.docs.map((r) => r[1]).filter((y) => y > 0))].sort((a, b) => b - a);
    return {
      types: (f.values.types || []).map((v, i) => ({ value: v, label: (f.type_labels || [])[i] || v })).sort(byLabel),
      years,
      tags: list('tags'),
      organizations: list('organizations'),
      departments: list('departments'),
    };
  }

  return { search, rank, fragment, prefetch, filterOptions, meta, facets };
}
