// Hostile content in Chromium: the fixture tests/fixtures/hostile/ (scripts, handlers,
// javascript:/data: URLs in every YAML field and in Markdown) is built and every page is opened
// WITHOUT a Content-Security-Policy (so that nothing is blocked by the browser on our behalf):
// no dialog may open, no request may leave for another host, the hostile text is visible as
// text, and the page is laid out (a header, a main, no horizontal scroll at 360 px).
// Run from the repository root: `cargo build --release && node --test tests/browser/`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');

let out;
let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  out = mkdtempSync(join(tmpdir(), 'metodist-hostile-'));
  execFileSync(binary, ['build', '--root', join(repo, 'tests/fixtures/hostile'), '--out', join(out, 'public')], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A clean project's build: the theme's static files as published (scripts minified).
  mkdirSync(join(out, 'clean'));
  execFileSync(binary, ['new', 'chistyi', '--root', join(out, 'clean')], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync(binary, ['build', '--root', join(out, 'clean'), '--out', join(out, 'clean-public')], { stdio: ['ignore', 'ignore', 'pipe'] });
  server = await serveStatic(join(out, 'public'));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((ok) => server.close(ok));
  if (out) rmSync(out, { recursive: true, force: true });
});

function pages(dir) {
  const list = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) list.push(...pages(p));
    else if (name.endsWith('.html')) list.push(p);
  }
  return list;
}

test('every page of the hostile site: no dialog, no foreign request, text shown as text, laid out', async () => {
  const root = join(out, 'public');
  const all = pages(root).map((p) => `/${relative(root, p).split(sep).join('/')}`.replace(/index\.html$/, ''));
  assert.ok(all.length > 10, `pages: ${all.length}`);
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const problems = [];
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    problems.push(`${page.url()}: dialog «${d.message()}»`);
    await d.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) {
      problems.push(`${page.url()}: request to ${url.href}`);
      return route.abort();
    }
    return route.continue();
  });
  for (const path of all) {
    await page.goto(origin + path);
    await page.waitForTimeout(50);
    const layout = await page.evaluate(() => ({
      header: !!document.querySelector('header'),
      main: !!document.querySelector('main'),
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      scripts: [...document.scripts].map((s) => s.src || `inline:${s.type}`),
    }));
    if (!layout.main || (path.startsWith('/zlo/') && !layout.header)) problems.push(`${path}: no header/main`);
    if (layout.overflow > 1) problems.push(`${path}: horizontal scroll at 360 px (${layout.overflow} px)`);
    for (const s of layout.scripts) {
      if (s === 'inline:application/ld+json') continue;
      // A script must be one of the theme's files, byte for byte (as a clean build publishes it).
      const m = new URL(s).pathname.match(/\/static\/(.+\.js)$/);
      const theme = m && join(out, 'clean-public/static', m[1]);
      const served = new URL(s).origin === origin && join(root, new URL(s).pathname);
      if (!theme || !existsSync(theme) || !served || !existsSync(served) || !readFileSync(theme).equals(readFileSync(served))) problems.push(`${path}: script ${s}`);
    }
  }
  await page.goto(`${origin}/zlo/`);
  const heading = await page.locator('header').first().innerText();
  assert.match(heading, /Управление <script>alert\('name'\)<\/script> образованием/, 'the name is shown as typed');
  await context.close();
  assert.deepEqual(problems, []);
});
