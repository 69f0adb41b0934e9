// Accessibility of the default theme in Debian's Chromium: axe-core (WCAG 2.1 A and AA rules)
// reports no violations on a page of every template, in the normal and the low-vision mode;
// the low-vision switch works from the keyboard and is remembered across pages; pages reflow
// at 320 px without horizontal scrolling. Run from the repository root after
// `cargo build --release`: `node --test tests/browser/a11y.test.mjs`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const LV_KEY = 'metodist-lowvision';
const DEPT = 'vidyaevo';

let out;
let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  out = mkdtempSync(join(tmpdir(), 'metodist-a11y-'));
  execFileSync(binary, ['build', '--root', repo, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  server = await serveStatic(out, { headers: { 'Content-Security-Policy': CSP } });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((ok) => server.close(ok));
  if (out) rmSync(out, { recursive: true, force: true });
});

/** First sub-folder (with an index.html) of a built folder, skipping `page/`. */
function firstPage(rel) {
  const dir = join(out, rel);
  const sub = readdirSync(dir)
    .sort()
    .find((n) => n !== 'page' && statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, 'index.html')));
  assert.ok(sub, `no page under ${rel}`);
  return `/${rel}${sub}/`;
}

/** A page of every template of the demo. */
function templatePages() {
  const reserved = new Set(['roadmaps', 'practices', 'contests', 'mentoring', 'tags', 'levels', 'organizations', 'static', 'files', 'search', 'opendata', 'page', 'feeds', 'about', 'territories']);
  const free = readdirSync(join(out, DEPT)).find((n) => !reserved.has(n) && statSync(join(out, DEPT, n)).isDirectory());
  return {
    home: `/${DEPT}/`,
    roadmap_list: `/${DEPT}/roadmaps/`,
    roadmap: firstPage(`${DEPT}/roadmaps/`),
    practice_list: `/${DEPT}/practices/`,
    practice: firstPage(`${DEPT}/practices/`),
    taxonomy_list: `/${DEPT}/tags/`,
    taxonomy_term: firstPage(`${DEPT}/tags/`),
    contest_list: `/${DEPT}/contests/`,
    contest: firstPage(`${DEPT}/contests/`),
    mentoring_list: `/${DEPT}/mentoring/`,
    mentoring: firstPage(`${DEPT}/mentoring/`),
    page: `/${DEPT}/${free}/`,
    not_found: `/${DEPT}/404.html`,
    portal: '/',
    search: `/${DEPT}/search/?q=${encodeURIComponent('наставничество')}`,
    region_search: `/search/?q=${encodeURIComponent('практика')}`,
    about: `/${DEPT}/about/`,
    opendata: `/${DEPT}/opendata/`,
    territories: `/${DEPT}/territories/`,
  };
}

async function newPage(options = {}, lowVision = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  if (lowVision) {
    await context.addInitScript(([k, v]) => localStorage.setItem(k, v), [LV_KEY, JSON.stringify(lowVision)]);
  }
  const page = await context.newPage();
  return { context, page };
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')).join('\n    ')}`);
  });
}

const MODES = {
  normal: null,
  'low vision, white on black': { size: '2', scheme: 'wb', spacing: 'wide', images: 'off' },
};

for (const [mode, lv] of Object.entries(MODES)) {
  describe(`axe-core, ${mode}`, () => {
    test('every template has no WCAG 2.1 A/AA violations', async () => {
      const failures = [];
      for (const [template, path] of Object.entries(templatePages())) {
        const { context, page } = await newPage({}, lv);
        try {
          await page.goto(origin + path);
          await page.waitForLoadState('load');
          if (lv && template !== 'not_found') {
            assert.equal(await page.getAttribute('html', 'data-lv'), 'on', `${path}: low-vision mode not applied`);
          }
          const v = await axe(page);
          if (v.length) failures.push(`${template} ${path}:\n  ${v.join('\n  ')}`);
        } finally {
          await context.close();
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
}

describe('low-vision colour schemes and sizes', () => {
  for (const scheme of ['bw', 'blue']) {
    test(`roadmap page, scheme ${scheme}, largest font: no violations`, async () => {
      const { context, page } = await newPage({}, { size: '3', scheme, spacing: 'wider', images: 'on' });
      try {
        await page.goto(origin + templatePages().roadmap);
        assert.equal(await page.getAttribute('html', 'data-lv-scheme'), scheme);
        assert.deepEqual(await axe(page), []);
      } finally {
        await context.close();
      }
    });
  }
});

describe('low-vision switch', () => {
  test('works from the keyboard and is remembered on the next page', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${origin}/${DEPT}/`);
      assert.equal(await page.getAttribute('html', 'data-lv'), null);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.lvToggle), '');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('html', 'data-lv'), 'on');
      assert.equal(await page.getAttribute('[data-lv-toggle]', 'aria-pressed'), 'true');
      // Focus moved into the panel: choose «Очень крупный» and «Белым по чёрному» by keyboard.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('html', 'data-lv-size'), '3');
      await page.locator('[data-lv-set="scheme"][data-lv-value="wb"]').focus();
      await page.keyboard.press('Space');
      assert.equal(await page.getAttribute('html', 'data-lv-scheme'), 'wb');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(0, 0, 0)');
      await page.locator('[data-lv-set="images"][data-lv-value="off"]').click();
      await page.goto(`${origin}/${DEPT}/roadmaps/`);
      assert.equal(await page.getAttribute('html', 'data-lv-size'), '3');
      assert.equal(await page.getAttribute('html', 'data-lv-scheme'), 'wb');
      assert.equal(await page.getAttribute('html', 'data-lv-images'), 'off');
      assert.equal(new URL(page.url()).pathname, `/${DEPT}/roadmaps/`, 'same URL, no separate version');
      await page.locator('[data-lv-off]').click();
      assert.equal(await page.getAttribute('html', 'data-lv'), null);
      await page.reload();
      assert.equal(await page.getAttribute('html', 'data-lv'), null);
    } finally {
      await context.close();
    }
  });

  test('focus is visible on links and buttons', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${origin}/${DEPT}/`);
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        const outline = await page.evaluate(() => {
          const s = getComputedStyle(document.activeElement);
          return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? 'ok' : `${document.activeElement.outerHTML.slice(0, 80)}: ${s.outlineStyle} ${s.outlineWidth}`;
        });
        // The skip link shows focus by moving into view with a contrasting background.
        if (i > 0) assert.equal(outline, 'ok');
      }
    } finally {
      await context.close();
    }
  });
});

describe('reflow at 320 px', () => {
  for (const lv of [null, { size: '3', scheme: 'bw', spacing: 'normal', images: 'on' }]) {
    test(`no horizontal scrolling${lv ? ' (low vision, 200 %)' : ''}`, async () => {
      const wide = [];
      for (const [template, path] of Object.entries(templatePages())) {
        if (template === 'not_found') continue;
        const { context, page } = await newPage({ viewport: { width: 320, height: 640 } }, lv);
        try {
          await page.goto(origin + path);
          const w = await page.evaluate(() => document.documentElement.scrollWidth);
          if (w > 320) wide.push(`${path}: ${w}px`);
        } finally {
          await context.close();
        }
      }
      assert.deepEqual(wide, []);
    });
  }
});
