// The build publishes the theme's scripts and style sheets minified (src/render/theme.rs). The
// minified site must look and work exactly like one with the theme's source files: the demo is
// built once, copied with every published .js/.css replaced by its source, and the same pages
// (a search page drawing results with the scripts among them) are screenshotted from both at
// 1280 px and 360 px: the images must be identical, pixel for pixel.
// Run from the repository root: `cargo build --release && node --test tests/browser/`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');
const themeStatic = join(repo, 'themes/default/static');
const PAGES = ['/', '/krasnoufimsk/', '/krasnoufimsk/roadmaps/dorozhnaya-karta-2023-2025/', '/krasnoufimsk/practices/', '/krasnoufimsk/search/?q=наставника'];

let dir;
let browser;
const servers = [];

function files(root) {
  const out = [];
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  dir = mkdtempSync(join(tmpdir(), 'metodist-minify-'));
  execFileSync(binary, ['build', '--root', repo, '--out', join(dir, 'published')], { stdio: ['ignore', 'ignore', 'pipe'] });
  cpSync(join(dir, 'published'), join(dir, 'source'), { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await new Promise((ok) => s.close(ok));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the minified scripts and style sheets draw the same pages as the sources', async (t) => {
  // Put the sources back into the copy: every static/<file>.js|.css of the theme.
  let replaced = 0;
  let saved = 0;
  for (const file of files(join(dir, 'source'))) {
    const m = file.match(/[\\/]static[\\/](.+\.(?:js|css))$/);
    if (!m) continue;
    const source = join(themeStatic, m[1]);
    if (!existsSync(source)) continue;
    saved += statSync(source).size - statSync(file).size;
    copyFileSync(source, file);
    replaced++;
  }
  assert.ok(replaced >= 5, `only ${replaced} theme scripts and style sheets in the build`);
  assert.ok(saved > 0, 'the published files are not smaller than the sources');
  t.diagnostic(`${replaced} files, ${saved} bytes saved by minifying`);

  const shots = new Map();
  for (const version of ['published', 'source']) {
    const server = await serveStatic(join(dir, version));
    servers.push(server);
    const origin = `http://127.0.0.1:${server.address().port}`;
    for (const width of [1280, 360]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      for (const path of PAGES) {
        await page.goto(origin + path);
        if (path.includes('?q=')) {
          await page.waitForFunction(() => document.querySelector('#search-status').textContent.trim() !== '');
        }
        const key = `${width} px ${path}`;
        const shot = await page.screenshot({ fullPage: true });
        if (version === 'published') shots.set(key, shot);
        else assert.ok(shots.get(key).equals(shot), `${key}: the minified theme draws it differently`);
      }
      assert.deepEqual(errors, [], `${version}: script errors`);
      await context.close();
    }
  }
  assert.equal(shots.size, PAGES.length * 2);
});
