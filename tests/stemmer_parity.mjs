// Compares the JavaScript analyzer with the Rust one. Input: a TSV written by
// tests/stemmer_parity.rs, one `word \t space-joined terms` per line.
// usage: node tests/stemmer_parity.mjs WORDS.tsv [ANALYZER.js]   (exit 1 on any mismatch)
// ANALYZER.js: the analyzer as published (minified by the build); default: the theme's source.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/stemmer_parity.mjs WORDS.tsv');
  process.exit(2);
}
const { tokenize } = await import(process.argv[3] ? pathToFileURL(process.argv[3]).href : '../themes/default/static/search/analyzer.js');

let words = 0;
const mismatches = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line === '') continue;
  const tab = line.indexOf('\t');
  if (tab < 0) {
    console.error(`malformed line: ${JSON.stringify(line)}`);
    process.exit(2);
  }
  const word = line.slice(0, tab);
  const expected = line.slice(tab + 1);
  const actual = tokenize(word).join(' ');
  words++;
  if (actual !== expected) mismatches.push({ word, expected, actual });
}

for (const m of mismatches.slice(0, 20)) {
  console.log(`mismatch: ${JSON.stringify(m.word)}: rust ${JSON.stringify(m.expected)}, js ${JSON.stringify(m.actual)}`);
}
console.log(`stemmer parity: ${words} words, ${mismatches.length} mismatches`);
process.exit(mismatches.length === 0 && words > 0 ? 0 : 1);
