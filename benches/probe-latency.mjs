// Where the time goes between the last keystroke and the results drawn on metodist's search
// page (a diagnostic for benches/search.mjs): every fetch's start/end and the moment the
// results are in the DOM, relative to the last keystroke.
//   node benches/probe-latency.mjs SITE_DIR DEPT "query" [delay] [runs]
import { createRequire } from 'node:module';
import { serveStatic } from '../tests/browser/static-server.mjs';
const require = createRequire(import.meta.url);
const { chromium } = require('../tests/browser/node_modules/playwright-core');
const [dir, dept, query, delay = '50', runs = '3'] = process.argv.slice(2);
const server = await serveStatic(dir);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (let run = 0; run < Number(runs); run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const t = (window.__t = { keys: [], fetches: [], dom: null, busy: null });
    const orig = window.fetch;
    window.fetch = async (...a) => {
      const e = { url: String(a[0]).replace(/^.*\/search\//, ''), start: performance.now(), end: null };
      t.fetches.push(e);
      const r = await orig(...a);
      const clone = r.clone();
      clone.arrayBuffer().then(() => (e.end = performance.now()));
      return r;
    };
    const links = () => [...document.querySelectorAll('#search-results .search-result-title a')];
    document.addEventListener(
      'input',
      () => {
        t.keys.push(performance.now());
        for (const a of links()) a.__old = true; // results of an earlier prefix do not count
      },
      true,
    );
    new MutationObserver(() => {
      const f = document.querySelector('form[data-search]');
      if (f && f.getAttribute('aria-busy') === 'true' && t.keys.length && (t.busy === null || t.busy < t.keys.at(-1))) t.busy = performance.now();
      if (t.dom === null && t.keys.length === window.__chars && links().length > 0 && !links().some((a) => a.__old)) t.dom = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto(`${origin}/${dept}/search/`);
  await page.waitForLoadState('networkidle');
  await page.evaluate((n) => (window.__chars = n), [...query].length);
  await page.click('#search-q');
  await page.keyboard.type(query, { delay: Number(delay) });
  await page.waitForFunction(() => window.__t.dom !== null, null, { timeout: 30000 });
  await page.waitForTimeout(300);
  const t = await page.evaluate(() => window.__t);
  // Resource Timing: when the request left and the response came back, as the network stack
  // saw it (the gap to the fetch's end is the page's main thread being busy)
  const timing = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name.replace(/^.*\/search\//, ''), [e.requestStart, e.responseStart, e.responseEnd]])),
  );
  const last = t.keys.at(-1);
  const rel = (x) => (x === null ? '—' : (x - last).toFixed(1));
  console.log(`run ${run}: debounce ${rel(t.busy)} ms, drawn ${rel(t.dom)} ms after the last key; fetches after the last key:`);
  for (const f of t.fetches.filter((f) => f.start >= last - 1)) {
    const [req, first, end] = timing[f.url] || [null, null, null];
    console.log(`   ${rel(f.start).padStart(7)} → ${rel(f.end).padStart(7)}  ${f.url.padEnd(14)} (network: request ${rel(req)}, first byte ${rel(first)}, end ${rel(end)})`);
  }
  await context.close();
}
await browser.close();
server.close();
