// Unit tests of the search engine module (themes/default/static/search/engine.js) in Node, no
// browser: the chunk decoder on hand-made chunks in both layouts of the document ids, the
// top-k selection against a full sort, which words of a snippet are marked, and what a search
// fetches (an export in memory, every fetch counted).
// The end-to-end ranking is checked against `metodist search` by tests/search_parity.rs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { best, createSearch, parseQuery, postingsOf, readChunk, snippetParts } from '../../themes/default/static/search/engine.js';

function varint(out, n) {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** A chunk file as src/search/export.rs writes it (format version 4). */
function chunk(terms) {
  const out = [];
  varint(out, terms.length);
  for (const { term, step, layout, docs, levels } of terms) {
    const body = [];
    if (layout === 1) {
      varint(body, docs[0]);
      const bits = new Array(Math.ceil((docs.at(-1) - docs[0] + 1) / 8)).fill(0);
      for (const d of docs) bits[(d - docs[0]) >> 3] |= 1 << ((d - docs[0]) & 7);
      body.push(...bits);
    } else docs.forEach((d, i) => varint(body, i === 0 ? d : d - docs[i - 1]));
    body.push(...levels);
    const utf8 = [...new TextEncoder().encode(term)];
    varint(out, utf8.length);
    out.push(...utf8);
    varint(out, docs.length);
    varint(out, step);
    varint(out, layout);
    varint(out, body.length);
    out.push(...body);
  }
  return new Uint8Array(out);
}

test('postings decode in both layouts: score = level × step', () => {
  const dense = Array.from({ length: 300 }, (_, i) => 200 + i).filter((d) => d % 7 !== 0);
  const c = readChunk(
    chunk([
      { term: 'молод', step: 37, layout: 0, docs: [3, 130, 20000], levels: [1, 255, 9] },
      { term: 'педагог', step: 1200, layout: 1, docs: dense, levels: dense.map((d) => (d % 255) + 1) },
    ]),
  );
  const a = postingsOf(c, 'молод');
  assert.deepEqual([...a.docs], [3, 130, 20000]);
  assert.deepEqual([...a.scores], [37, 255 * 37, 9 * 37]);
  const b = postingsOf(c, 'педагог');
  assert.deepEqual([...b.docs], dense);
  assert.deepEqual([...b.scores], dense.map((d) => ((d % 255) + 1) * 1200));
  assert.equal(postingsOf(c, 'нет').docs.length, 0);
});

test('best(k) equals the first k of a full sort, ties by id', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const n of [0, 1, 5, 10, 11, 500]) {
    const scores = Array.from({ length: n }, () => Math.floor(rnd() * 20)); // many ties
    const ids = Array.from({ length: n }, (_, i) => i).sort(() => rnd() - 0.5);
    const before = (x, y) => scores[x] > scores[y] || (scores[x] === scores[y] && x < y);
    const sorted = [...ids].sort((x, y) => scores[y] - scores[x] || x - y);
    for (const k of [1, 10, 20]) assert.deepEqual(best(ids, k, before), sorted.slice(0, k), `n=${n} k=${k}`);
  }
});

const marked = (parts) => parts.filter((p) => p.mark).map((p) => p.text);

test('snippets mark every inflected form of the query words, and only them', () => {
  const text = 'Наставники молодых педагогов школы: молодой педагог и его наставник; педсовет, молоко.';
  assert.deepEqual(marked(snippetParts(text, parseQuery('молодые педагоги'))), ['молодых', 'педагогов', 'молодой', 'педагог']);
  assert.deepEqual(marked(snippetParts(text, parseQuery('наставника'))), ['Наставники', 'наставник']);
  // The last word as typed so far is a prefix.
  assert.deepEqual(marked(snippetParts(text, parseQuery('молодых пед', { prefix: true }))), ['молодых', 'педагогов', 'молодой', 'педагог', 'педсовет']);
  assert.deepEqual(marked(snippetParts('Ёлка, елки и ель', parseQuery('ёлк', { prefix: true }))), ['Ёлка', 'елки']);
});

/**
 * A tiny export in memory: «молод» in documents 0, 2, 4 and «педагог» in 1, 2 (scores below),
 * five fragments; every fetched path is recorded in `fetched`.
 */
function memoryExport() {
  const files = new Map([
    ['meta.json', { version: 4, docs: 5, scale: 1, chunks: ['а', 'п'], sources: [] }],
    ['t/0.bin', chunk([{ term: 'молод', step: 10, layout: 0, docs: [0, 2, 4], levels: [5, 9, 1] }])],
    ['t/1.bin', chunk([{ term: 'педагог', step: 10, layout: 0, docs: [1, 2], levels: [3, 3] }])],
  ]);
  for (let d = 0; d < 5; d++) files.set(`d/${d}.json`, { title: `Документ ${d}`, url: `doc-${d}/`, type: 'page', type_label: 'Страница', text: '' });
  const fetched = [];
  const get = async (url) => {
    const path = url.slice('mem:/'.length);
    fetched.push(path);
    if (!files.has(path)) throw new Error(`404 ${path}`);
    return files.get(path);
  };
  return { engine: createSearch('mem:/', get, get), fetched };
}

const ids = (hits) => hits.map((h) => h.doc);

test('rank(fetch: 1) fetches only the first fragment; cached ones come along, fragment() fetches the rest', async () => {
  const { engine, fetched } = memoryExport();
  // scores: doc 2 = 90 + 30, doc 0 = 50, doc 1 = 30, doc 4 = 10
  const hits = await engine.rank('молодых педагогов', { fetch: 1 });
  assert.deepEqual(ids(hits), [2, 0, 1, 4]);
  assert.equal(hits.total, 4);
  assert.equal((await hits[0].fragment).title, 'Документ 2');
  assert.deepEqual(hits.slice(1).map((h) => h.fragment), [null, null, null]);
  assert.deepEqual(fetched.filter((p) => p.startsWith('d/')), ['d/2.json']);

  assert.equal((await engine.fragment(1)).title, 'Документ 1');
  const again = await engine.rank('молодых педагогов', { fetch: 1 });
  assert.deepEqual(ids(again), [2, 0, 1, 4]);
  assert.deepEqual(again.map((h) => h.fragment !== null), [true, false, true, false]);
  // Without `fetch`, every fragment of the page is fetched; a smaller page is not the cached one.
  const all = await engine.search('молодых педагогов');
  assert.deepEqual(all.map((h) => h.fragment.title), ['Документ 2', 'Документ 0', 'Документ 1', 'Документ 4']);
  assert.deepEqual(ids(await engine.rank('молодых педагогов', { limit: 2 })), [2, 0]);
  assert.deepEqual(ids(await engine.rank('молодых', { offset: 1 })), [0, 4]);
});

test('rank(cachedOnly) fetches no chunk: null until prefetch() has asked for them', async () => {
  const { engine, fetched } = memoryExport();
  assert.equal(await engine.rank('молодых педагогов', { cachedOnly: true, fetch: 0 }), null);
  assert.deepEqual(fetched, ['meta.json']);
  const loading = engine.prefetch('молодых педагогов');
  // chunks on their way count as cached: the ranking waits for them
  const hits = await engine.rank('молодых педагогов', { cachedOnly: true, fetch: 0 });
  await loading;
  assert.deepEqual(ids(hits), [2, 0, 1, 4]);
  assert.deepEqual(fetched.sort(), ['meta.json', 't/0.bin', 't/1.bin']);
});
