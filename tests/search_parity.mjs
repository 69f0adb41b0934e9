// Compares the browser's search engine (themes/default/static/search/engine.js) with
// `metodist search`. Input: a JSON file written by tests/search_parity.rs:
//   {cases: [{name, export, query, type, department, expected: [{doc, score}]}],
//    bytes: {export, query}}   (bytes: optional cold-query measurement)
// For every case the engine runs on the exported files (read from disk) and its top results
// must equal the expected doc ids, in the same order.
// usage: node tests/search_parity.mjs CASES.json   (exit 1 on any mismatch)

import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/search_parity.mjs CASES.json');
  process.exit(2);
}
const input = JSON.parse(readFileSync(file, 'utf8'));
// The engine as published (minified by the build, next to its analyzer.js), or the theme's source.
const { createSearch } = await import(input.engine ? pathToFileURL(input.engine).href : '../themes/default/static/search/engine.js');

const readJson = async (path) => JSON.parse(readFileSync(path, 'utf8'));
const readBytes = async (path) => readFileSync(path);
const engines = new Map();
const engineFor = (dir) => {
  if (!engines.has(dir)) engines.set(dir, createSearch(dir.endsWith('/') ? dir : `${dir}/`, readJson, readBytes));
  return engines.get(dir);
};

// The export's fixed-point scale (score × 1000 today): inferred, only for printing scores.
let scale = 0;
const shown = (engineScore) => (scale ? (engineScore / scale).toFixed(6) : String(engineScore));

let mismatches = 0;
let nonEmpty = 0;
let nearTies = 0;
let maxScoreError = 0;
for (const c of input.cases) {
  const got = await engineFor(c.export).search(c.query, { limit: c.expected.length || 10, type: c.type || undefined });
  const want = c.expected.map((h) => h.doc);
  const have = got.map((h) => h.doc);
  if (want.length > 0) nonEmpty++;
  // Informational: how close the engine's fixed-point sums are to tantivy's f32 scores.
  for (const h of c.expected) {
    const mine = got.find((g) => g.doc === h.doc);
    if (!mine) continue;
    if (!scale && h.score > 1) scale = 10 ** Math.round(Math.log10(mine.score / h.score));
    if (scale) maxScoreError = Math.max(maxScoreError, Math.abs(mine.score / scale - h.score));
  }
  for (let i = 1; i < c.expected.length; i++) {
    if (Math.abs(c.expected[i - 1].score - c.expected[i].score) < 0.002 && c.expected[i - 1].score !== c.expected[i].score) nearTies++;
  }
  const equal = want.length === have.length && want.every((d, i) => d === have[i]);
  if (!equal) {
    mismatches++;
    console.log(`MISMATCH ${c.name}: «${c.query}»${c.type ? ` --type ${c.type}` : ''}`);
    console.log(`  metodist search: ${c.expected.map((h) => `${h.doc}(${h.score.toFixed(6)})`).join(' ')}`);
    console.log(`  engine.js:       ${got.map((h) => `${h.doc}(${shown(h.score)})`).join(' ')}`);
  } else {
    console.log(`ok ${c.name}: «${c.query}»${c.type ? ` --type ${c.type}` : ''}: ${want.length} hits [${want.join(' ')}]`);
  }
}
console.log(`score scale ${scale}; max |engine score − tantivy score| over compared hits: ${maxScoreError.toFixed(6)}; adjacent hits closer than 0.002 (but not equal) in tantivy: ${nearTies}`);

// What a first query on a cold page downloads (data only): meta.json, the query's shards,
// the fragments of the shown results. facets.json is fetched only when a filter is used.
if (input.bytes) {
  const { export: dir, query, limit = 10 } = input.bytes;
  const fetched = [];
  const counting = async (path) => {
    fetched.push(path);
    return readJson(path);
  };
  const countingBytes = async (path) => {
    fetched.push(path);
    return readBytes(path);
  };
  for (const [label, prefix] of [['exact', false], ['prefix', true]]) {
    fetched.length = 0;
    const fresh = createSearch(dir.endsWith('/') ? dir : `${dir}/`, counting, countingBytes);
    const r = await fresh.search(query, { limit, prefix });
    const raw = fetched.reduce((n, p) => n + statSync(p).size, 0);
    const gz = fetched.reduce((n, p) => n + gzipSync(readFileSync(p)).length, 0);
    const shards = fetched.filter((p) => p.includes('/t/'));
    const largest = Math.max(...shards.map((p) => statSync(p).size));
    console.log(
      `cold query bytes (${label}) «${query}» on ${dir}: ${fetched.length} files, ${raw} bytes raw, ${gz} bytes gzip ` +
        `(${shards.length} shard(s), largest ${largest} bytes; ${r.length} results of ${r.total})`,
    );
  }
}

console.log(`search parity: ${input.cases.length} cases, ${nonEmpty} non-empty, ${mismatches} mismatches`);
process.exit(mismatches === 0 && nonEmpty > 0 ? 0 : 1);
