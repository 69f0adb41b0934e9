// Every HTML page of the built demo passes html-validate (recommended rules; exceptions below,
// each with its reason). Run from the repository root after `cargo build --release`:
// `node --test tests/browser/html-validate.test.mjs`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');
let out;

before(() => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  out = mkdtempSync(join(tmpdir(), 'metodist-html-'));
  execFileSync(binary, ['build', '--root', repo, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
});

after(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function htmlFiles(dir) {
  const list = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) list.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) list.push(p);
  }
  return list;
}

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Whitespace left by template tags at line ends: source formatting, not markup.
    'no-trailing-whitespace': 'off',
    // Page titles are the official names of acts and programmes («План мероприятий («дорожная
    // карта») по …»); shortening them would change the documents' names. A search-engine hint,
    // not validity.
    'long-title': 'off',
  },
});

test('every page of the demo is valid HTML', async () => {
  const files = htmlFiles(out);
  assert.ok(files.length > 50, `only ${files.length} pages`);
  const errors = [];
  for (const f of files) {
    const report = await validator.validateString(readFileSync(f, 'utf8'), relative(out, f));
    for (const r of report.results) {
      for (const m of r.messages) {
        if (m.severity === 2) errors.push(`${r.filePath}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
      }
    }
  }
  assert.deepEqual(errors.slice(0, 60), [], `${errors.length} errors:\n${errors.slice(0, 60).join('\n')}`);
});
