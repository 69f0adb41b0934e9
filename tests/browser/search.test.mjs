// Browser tests of the static search (themes/default/static/search/): the demo content is built
// with the release binary into a temporary folder, served by a tiny static server on 127.0.0.1
// with a strict Content-Security-Policy, and driven with Debian's Chromium through
// playwright-core. Run from the repository root: `cargo build --release && node --test tests/browser/`.
//
// SEARCH_SCREENSHOTS=<dir> keeps screenshots of the search page at 1280 px and 360 px there.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(repo, 'target/release/metodist');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";


let out;
let server;
let origin;
let browser;
const requests = [];

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build --release\` first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  out = mkdtempSync(join(tmpdir(), 'metodist-browser-'));
  execFileSync(binary, ['build', '--root', repo, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  server = await serveStatic(out, { log: requests, headers: { 'Content-Security-Policy': CSP } });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((ok) => server.close(ok));
  if (out) rmSync(out, { recursive: true, force: true });
});

/** A page that fails the test on any console error, page error or CSP violation. */
async function openPage(t, path, { fakeClock = false, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  // Fake timers (page.clock), paused once the page is loaded: the typing pause never ends
  // until the test runs the clock on (page.clock.runFor).
  if (fakeClock) await page.clock.install({ time: 0 });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], `errors on ${path}`);
  });
  await page.goto(origin + path);
  if (fakeClock) await page.clock.pauseAt(1_000_000);
  return page;
}

const resultTitles = (page) => page.locator('#search-results .search-result-title a').allInnerTexts();
const status = (page) => page.locator('#search-status');

/**
 * Waits until the search page has drawn a whole list: results appear one by one as their
 * fragments arrive, and the status is written (and aria-busy removed) when all are there.
 */
async function settled(page) {
  await page.locator('#search-results .search-result-title a').first().waitFor();
  await page.waitForFunction(() => {
    const form = document.querySelector('form[data-search]');
    return form && !form.hasAttribute('aria-busy') && document.querySelector('#search-status').textContent.trim() !== '';
  });
}

async function typeQuery(page, selector, text) {
  await page.locator(selector).click();
  await page.keyboard.type(text, { delay: 25 });
}

describe('search page of a department', () => {
  test('«наставника» finds the «Наставник» project event, highlighted, and keeps ?q=', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/');
    await typeQuery(page, '#search-q', 'наставника');
    const result = page.locator('#search-results .search-result-title a', { hasText: 'Реализация муниципального проекта «Наставник»' });
    await result.waitFor();
    await settled(page);
    assert.match(await status(page).innerText(), /^Найдено \d+ материал/);
    assert.equal(await page.locator('#search-status').getAttribute('aria-live'), 'polite');
    // the link resolves to the roadmap event's anchor
    const href = await result.getAttribute('href');
    assert.equal(new URL(href, page.url()).pathname, '/krasnoufimsk/roadmaps/dorozhnaya-karta-2023-2025/');
    assert.match(href, /#proekt-nastavnik$/);
    // matches are marked; the type label is shown
    assert.ok((await page.locator('#search-results mark').count()) > 0, 'no <mark> in the results');
    assert.ok((await page.locator('#search-results .search-result-type').allInnerTexts()).includes('Мероприятие'));
    await page.waitForURL((u) => u.searchParams.get('q') === 'наставника');
  });

  test('«молодых педагогов» and «цифровой среды» find their documents', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/');
    await typeQuery(page, '#search-q', 'молодых педагогов');
    await page.locator('#search-results a', { hasText: 'Методический десант для молодых педагогов' }).waitFor();
    // (while typing, the list may show a prefix's results: wait for the final ones)
    await page.locator('#search-results a', { hasText: 'Участие молодых педагогов в профессиональных конкурсах' }).first().waitFor();
    await page.locator('#search-q').fill('');
    await typeQuery(page, '#search-q', 'цифровой среды');
    await page.locator('#search-results a', { hasText: 'в цифровой образовательной среде' }).waitFor();
    await page.locator('#search-results .search-result-title a', { hasText: /^Развитие конкурентной среды/ }).first().waitFor();
  });

  test('results as you type: an unfinished word is matched as a prefix', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/');
    await typeQuery(page, '#search-q', 'настав');
    await page.locator('#search-results a', { hasText: 'Наставник года' }).waitFor();
  });

  test('while typing, the first result is drawn at once; the rest and the status after the pause', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/', { fakeClock: true });
    const links = page.locator('#search-results .search-result-title a');
    await typeQuery(page, '#search-q', 'наставника');
    await links.first().waitFor();
    const preview = await links.allInnerTexts();
    // the pause has not ended (the page's timers are stopped): nothing announced, not busy
    assert.equal((await status(page).innerText()).trim(), '');
    assert.equal(await page.locator('form[data-search]').getAttribute('aria-busy'), null);
    await page.clock.runFor(1000);
    await settled(page);
    const all = await links.allInnerTexts();
    assert.ok(all.length > preview.length, `${all.length} results after the pause, ${preview.length} while typing`);
    assert.deepEqual(all.slice(0, preview.length), preview, 'the first results are those of the whole ranking');
    assert.match(await status(page).innerText(), /^Найдено \d+ материал/);
  });

  test('keyboard: Arrow Down moves to the first result, arrows between results, Escape clears', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/?q=наставника');
    await settled(page);
    await page.locator('#search-q').focus();
    await page.keyboard.press('ArrowDown');
    const titles = await resultTitles(page);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), titles[0]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), titles[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#search-q').inputValue(), '');
    await page.locator('#search-results').waitFor({ state: 'hidden' });
    await page.waitForURL((u) => !u.searchParams.has('q'));
  });

  test('?q= in the address restores the results', async (t) => {
    const page = await openPage(t, `/krasnoufimsk/search/?q=${encodeURIComponent('молодых педагогов')}`);
    await page.locator('#search-results a', { hasText: 'Методический десант для молодых педагогов' }).waitFor();
    assert.equal(await page.locator('#search-q').inputValue(), 'молодых педагогов');
  });

  test('filtering by type keeps only that type, and is kept in the address', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/?q=наставника');
    await settled(page);
    const before = await page.locator('#search-results .search-result-type').allInnerTexts();
    assert.ok(new Set(before).size > 1, `expected several types before filtering: ${before}`);
    await page.locator('.search-filters summary').click();
    await page.locator('#search-type option[value="event"]').waitFor({ state: 'attached' });
    await page.locator('#search-type').selectOption('event');
    await page.waitForURL((u) => u.searchParams.get('type') === 'event');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#search-results .search-result-type')].every((e) => e.textContent === 'Мероприятие'),
    );
    await settled(page);
    const types = await page.locator('#search-results .search-result-type').allInnerTexts();
    assert.ok(types.length > 0 && types.every((x) => x === 'Мероприятие'), String(types));
    assert.ok((await resultTitles(page)).includes('Реализация муниципального проекта «Наставник»'));
    // the filtered list can be linked
    const linked = await openPage(t, '/krasnoufimsk/search/?q=наставника&type=practice');
    await linked.waitForFunction(() => document.querySelector('#search-status').textContent !== '');
    assert.equal(await linked.locator('#search-type').inputValue(), 'practice');
    const linkedTypes = await linked.locator('#search-results .search-result-type').allInnerTexts();
    assert.ok(linkedTypes.every((x) => x === 'Практика'), String(linkedTypes));
  });

  test('a nonsense query says that nothing was found', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/');
    await typeQuery(page, '#search-q', 'щъыжблрк');
    // Wait for the answer to the whole query: an intermediate prefix («щъыж») may have said
    // «ничего не найдено» too, before the last keystroke's search finished.
    await page.waitForFunction(() => {
      const s = document.querySelector('#search-status').textContent;
      const form = document.querySelector('form[data-search]');
      return s.includes('«щъыжблрк»') && s.includes('ничего не найдено') && !form.hasAttribute('aria-busy');
    });
    assert.equal(
      await status(page).innerText(),
      'По запросу «щъыжблрк» ничего не найдено. Проверьте написание или уберите фильтры.',
    );
    assert.equal(await page.locator('#search-results li').count(), 0);
  });

  test('without JavaScript the page says so and offers the sections', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/', { javaScriptEnabled: false });
    const message = page.locator('.search-noscript');
    await message.waitFor();
    assert.match(await message.innerText(), /Поиск работает только с включённым JavaScript/);
    assert.equal(await page.locator('#search-q').isVisible(), false, 'the useless form is hidden (scripting: none)');
    const links = await message.locator('a').allInnerTexts();
    assert.ok(links.includes('Дорожные карты') && links.includes('Банк практик'), String(links));
  });

  test('a first query fetches only meta.json, its shards and the shown fragments', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/search/');
    const from = requests.length;
    await typeQuery(page, '#search-q', 'наставника ');
    await settled(page);
    await page.waitForTimeout(300);
    const data = requests.slice(from).filter((r) => r.path.startsWith('/krasnoufimsk/search/') && /\.(json|bin)$/.test(r.path));
    const paths = data.map((r) => r.path);
    assert.ok(paths.includes('/krasnoufimsk/search/meta.json'));
    assert.ok(!paths.includes('/krasnoufimsk/search/facets.json'), 'facets.json is loaded only for filters');
    assert.ok(paths.every((p) => /\/(meta\.json|t\/\d+\.bin|d\/\d+\.json)$/.test(p)), String(paths));
    const bytes = data.reduce((n, r) => n + r.bytes, 0);
    t.diagnostic(`cold query «наставника» on krasnoufimsk: ${data.length} data files, ${bytes} bytes`);
  });
});

describe('header search box', () => {
  test('shows quick results while typing, reachable with the keyboard; Enter opens the search page', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/');
    const box = page.locator('form.header-search');
    assert.equal(await box.getAttribute('role'), 'search');
    assert.equal(await page.locator('label[for="header-search-q"]').innerText(), 'Поиск по сайту');
    await typeQuery(page, '#header-search-q', 'наставника');
    const quick = page.locator('.header-search-popup');
    await quick.locator('a', { hasText: 'Реализация муниципального проекта «Наставник»' }).waitFor();
    assert.ok((await quick.locator('.header-search-list a').count()) <= 5);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.header-search-popup') !== null), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'header-search-q');
    await quick.waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/krasnoufimsk/search/' && u.searchParams.get('q') === 'наставника');
    await page.locator('#search-results a', { hasText: 'Реализация муниципального проекта «Наставник»' }).waitFor();
  });

  test('while typing, the first quick result is shown at once; the rest after the pause', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/', { fakeClock: true });
    const quick = page.locator('.header-search-popup');
    const links = quick.locator('.header-search-list a');
    const announced = page.locator('form.header-search [role="status"]');
    await typeQuery(page, '#header-search-q', 'наставника');
    await links.first().waitFor();
    const preview = await links.allInnerTexts();
    assert.equal((await announced.innerText()).trim(), '', 'announced before the pause');
    assert.match(await quick.locator('.header-search-all').getAttribute('href'), /\?q=%D0%BD/);
    await page.clock.runFor(1000);
    await page.waitForFunction(() => document.querySelector('form.header-search [role="status"]').textContent.trim() !== '');
    const all = await links.allInnerTexts();
    assert.ok(all.length > preview.length && all.length <= 5, `${all.length} quick results, ${preview.length} while typing`);
    assert.deepEqual(all.slice(0, preview.length), preview);
  });

  test('works without JavaScript by going to the search page', async (t) => {
    const page = await openPage(t, '/krasnoufimsk/practices/', { javaScriptEnabled: false });
    await page.locator('#header-search-q').fill('молодых педагогов');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/krasnoufimsk/search/' && u.searchParams.get('q') === 'молодых педагогов');
  });
});

describe('region search page', () => {
  test('finds documents of every department, links into them, filters by department', async (t) => {
    const page = await openPage(t, `/search/?q=${encodeURIComponent('учителя года')}`);
    await settled(page);
    const departments = new Set(await page.locator('#search-results .search-result-department').allInnerTexts());
    assert.ok(departments.size >= 2, `expected results of several departments: ${[...departments]}`);
    const href = await page.locator('#search-results .search-result-title a').first().getAttribute('href');
    const target = new URL(href, page.url());
    assert.match(target.pathname, /^\/(krasnoufimsk|okoneshnikovo|vidyaevo)\//);
    const res = await page.request.get(target.href);
    assert.equal(res.status(), 200, target.href);
    // «Показать ещё» appends the next results and moves the focus to the first new one
    assert.equal(await page.locator('#search-results > li').count(), 10);
    await page.locator('[data-search-more]').click();
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 10);
    assert.equal(
      await page.evaluate(() => document.activeElement === document.querySelectorAll('#search-results .search-result-title a')[10]),
      true,
    );
    assert.match(await status(page).innerText(), /показаны первые (1[1-9]|20)\./);
    await page.locator('.search-filters summary').click();
    await page.locator('#search-department option').nth(1).waitFor({ state: 'attached' });
    const name = 'Управление образованием ГО Красноуфимск';
    await page.locator('#search-department').selectOption(name);
    await page.waitForURL((u) => u.searchParams.get('department') === name);
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('#search-results .search-result-department')].every((e) => e.textContent === n),
      name,
    );
  });
});

describe('screenshots', () => {
  for (const width of [1280, 360]) {
    test(`search page at ${width} px has no horizontal scroll`, async (t) => {
      const page = await openPage(t, `/krasnoufimsk/search/?q=${encodeURIComponent('молодых педагогов')}`, {
        viewport: { width, height: 900 },
      });
      await settled(page);
      await page.locator('.search-filters summary').click();
      await page.locator('#search-type option').nth(1).waitFor({ state: 'attached' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `horizontal overflow of ${overflow} px at ${width} px`);
      if (process.env.SEARCH_SCREENSHOTS) {
        mkdirSync(process.env.SEARCH_SCREENSHOTS, { recursive: true });
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({
          path: join(process.env.SEARCH_SCREENSHOTS, `search-${width}.png`),
          fullPage: true,
          clip: { x: 0, y: 0, width, height: Math.min(height, 1600) },
        });
        const home = await openPage(t, '/krasnoufimsk/', { viewport: { width, height: 700 } });
        await typeQuery(home, '#header-search-q', 'настав');
        await home.locator('.header-search-popup a').first().waitFor();
        await home.screenshot({ path: join(process.env.SEARCH_SCREENSHOTS, `header-${width}.png`) });
      }
    });
  }
});
