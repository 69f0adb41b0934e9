// Browser test of `metodist serve`: a copy of the demo content is served by the release binary
// on a free port of 127.0.0.1 and opened in Debian's Chromium (playwright-core). The test edits
// the Markdown file and the page shows the new text by itself; a broken YAML edit shows the
// error overlay over the old page; the fix removes it and shows the fixed page; search works
// after the edit. Run from the repository root: `cargo build --release && node --test tests/browser/`.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { startServe } from './metodist-serve.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');

let root;
let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  root = mkdtempSync(join(tmpdir(), 'metodist-serve-browser-'));
  cpSync(join(repo, 'content'), join(root, 'content'), { recursive: true });
  ({ server, origin } = await startServe(binary, root));
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill('SIGINT');
    await new Promise((ok) => (server.exitCode !== null ? ok() : server.on('exit', ok)));
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A page that fails the test on any uncaught error. */
async function openPage(t, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], `errors on ${path}`);
  });
  await page.goto(origin + path);
  // The live-reload connection is open before the test edits anything.
  await page.waitForFunction(() => window.__metodistLive === true);
  await page.waitForTimeout(300);
  return page;
}

const practice = () => join(root, 'content/vidyaevo/practices/metodicheskaya-nedelya.md');
const PAGE = '/vidyaevo/practices/metodicheskaya-nedelya/';

function setTitle(source, title) {
  return source.replace(/^title: .*$/m, `title: ${title}`);
}

describe('metodist serve in the browser', () => {
  test('an edit of the Markdown file appears without a manual reload', async (t) => {
    const original = readFileSync(practice(), 'utf8');
    t.after(() => writeFileSync(practice(), original));
    const page = await openPage(t, PAGE);
    const before = await page.locator('h1').innerText();
    assert.ok(!before.includes('Живая правка'));
    writeFileSync(practice(), setTitle(original, '"Живая правка в браузере"').replace(/\n---\n/, '\n---\nНовый абзац о практике, добавленный в редакторе.\n'));
    await page.locator('h1', { hasText: 'Живая правка в браузере' }).waitFor({ timeout: 15000 });
    await page.locator('text=Новый абзац о практике, добавленный в редакторе.').waitFor();
    // The script is served, never part of the page's own markup in a build.
    assert.equal(await page.locator('script[src="/__metodist/live.js"]').count(), 1);
  });

  test('a broken YAML edit shows the overlay over the old page; the fix recovers', async (t) => {
    const original = readFileSync(practice(), 'utf8');
    t.after(() => writeFileSync(practice(), original));
    writeFileSync(practice(), setTitle(original, '"Версия до ошибки"'));
    const page = await openPage(t, PAGE);
    await page.locator('h1', { hasText: 'Версия до ошибки' }).waitFor({ timeout: 15000 });

    writeFileSync(practice(), setTitle(original, '[незакрытая скобка'));
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor({ timeout: 15000 });
    const text = await dialog.innerText();
    assert.match(text, /content\/vidyaevo\/practices\/metodicheskaya-nedelya\.md, строка 2/);
    assert.match(text, /ошибка синтаксиса YAML/);
    assert.match(text, /Что сделать:/);
    // The old page stays under the overlay, and the dialog has focus.
    assert.equal(await page.locator('h1').first().innerText(), 'Версия до ошибки');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'alertdialog');
    // Dismissible with Escape; a reload shows it again while the error remains.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.reload();
    await dialog.waitFor({ timeout: 15000 });
    assert.equal(await page.locator('h1').first().innerText(), 'Версия до ошибки');

    writeFileSync(practice(), setTitle(original, '"Версия после исправления"'));
    await page.locator('h1', { hasText: 'Версия после исправления' }).waitFor({ timeout: 15000 });
    assert.equal(await dialog.count(), 0);
  });

  test('search works after an edit (browser search and /api/search)', async (t) => {
    const original = readFileSync(practice(), 'utf8');
    t.after(() => writeFileSync(practice(), original));
    writeFileSync(practice(), setTitle(original, '"Квантовая педагогика для дошкольников"'));
    // The live index answers at once…
    let api;
    for (let i = 0; i < 100; i++) {
      api = await (await fetch(`${origin}/api/search?q=${encodeURIComponent('квантовой педагогики')}`)).json();
      if (api.total > 0) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.equal(api.results[0].title, 'Квантовая педагогика для дошкольников');
    assert.equal(api.results[0].url, 'vidyaevo/practices/metodicheskaya-nedelya/');
    // …and the search page finds it too once the export is refreshed (in the background).
    const page = await openPage(t, '/vidyaevo/search/');
    const hit = page.locator('#search-results a', { hasText: 'Квантовая педагогика для дошкольников' });
    for (let i = 0; i < 30; i++) {
      await page.goto(`${origin}/vidyaevo/search/?q=${encodeURIComponent('квантовая')}`);
      await page.locator('#search-status').filter({ hasText: /\S/ }).waitFor();
      if ((await hit.count()) > 0) break;
      await page.waitForTimeout(300);
    }
    await hit.waitFor({ timeout: 1000 });
    assert.equal(new URL(await hit.getAttribute('href'), page.url()).pathname, PAGE);
  });
});
