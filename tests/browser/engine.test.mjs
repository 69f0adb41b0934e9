// Unit tests of the search engine module (themes/default/static/search/engine.js) in Node, no
// browser: the chunk decoder on hand-made chunks in both layouts of the document ids, the
// top-k selection against a full sort, and which words of a snippet are marked.
// The end-to-end ranking is checked against `metodist search` by tests/search_parity.rs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { best, parseQuery, postingsOf, readChunk, snippetParts } from '../../themes/default/static/search/engine.js';

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
