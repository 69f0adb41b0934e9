// Browser search benchmark: metodist's static search page against Pagefind's default UI on the
// same pages, in Debian's Chromium driven by tests/browser's playwright-core.
//
//   node benches/search.mjs --work DIR [--reps N] [--pf-reps N] [--delay MS] [--slow-delay MS] [--json FILE]
//   (BENCH_DEBUG=1 prints the pages' console)
//
// DIR is prepared by benches/search.sh: DIR/out (metodist's build, department rayon-01) and
// DIR/pf (a copy of rayon-01 indexed by Pagefind, with the minimal search pages
// pagefind-search/ and, if present, pagefind-practices-search/). Everything is served by a
// static server on 127.0.0.1 that sends the files as they are (no compression) and counts the
// bytes of every response.
//
// For every query and every engine, on a fresh browser context (cold: empty cache, nothing
// loaded):
//   page load  — every response until the page is loaded and the network idle (before any
//                interaction);
//   query      — every response from the click into the search field (Pagefind loads its
//                pagefind.js, worker and wasm on focus) through the typing until the first page
//                of results is completely drawn (metodist: the list of 20; Pagefind: its 5
//                results with their titles);
//   until idle — the query's responses plus whatever was still fetched within 1.5 s after.
// "gzip" sizes gzip (level 6) each fetched text file (HTML, CSS, JS, JSON) as a host would;
// Pagefind's index, fragment and wasm files are already gzipped and are counted as they are.
//
// Timing (metodist, and Pagefind for reference): performance.now() of the keystrokes (input
// events of the field) and of the moment the results are in the DOM (MutationObserver) and
// painted (the next animation frame), installed with page.evaluate: the product code is not
// touched. Warm = a query typed on a page that has already answered another query.

import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveStatic } from '../tests/browser/static-server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('../tests/browser/node_modules/playwright-core');

// ---------------------------------------------------------------------------------------------
// Options

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const WORK = opt('work', '/dev/shm/metodist-search-bench');
const REPS = Number(opt('reps', 5)); // cold runs per query for metodist (timing)
const PF_REPS = Number(opt('pf-reps', 2)); // cold runs per query for Pagefind
const DELAY = Number(opt('delay', 50)); // ms between keystrokes: below both debounces (120/300 ms)
const SLOW = Number(opt('slow-delay', 200)); // a slower typist: above metodist's debounce
const JSON_OUT = opt('json', join(WORK, 'search-results.json'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const QUERIES = ['наставника', 'молодых педагогов', 'цифровой среды', 'функциональной грамотности'];
const IDLE_MS = 1500;

const ENGINES = [
  {
    key: 'metodist',
    label: 'metodist (rayon-01/search/)',
    url: '/out/rayon-01/search/',
    input: '#search-q',
    // «Drawn» = the list has a result link (the first result is drawn while the reader types,
    // the others once the reader pauses); «complete» = the whole first page is drawn and the
    // status says how many were found.
    done: `document.querySelectorAll('#search-results .search-result-title a').length > 0`,
    first: `document.querySelectorAll('#search-results .search-result-title a').length > 0`,
    complete: `!document.querySelector('form[data-search]').hasAttribute('aria-busy') && document.querySelector('#search-status').textContent.trim() !== ''`,
    count: `document.querySelectorAll('#search-results .search-result-title a').length`,
    busy: 'form[data-search]',
    fresh: '#search-results .search-result-title a',
    message: `document.querySelector('#search-status').textContent`,
  },
  {
    key: 'pagefind',
    label: 'Pagefind UI (whole site)',
    url: '/pf/pagefind-search/',
    input: '.pagefind-ui__search-input',
    // Placeholders first, then each result gets its title link when its fragment has arrived.
    done: `(() => { const r = document.querySelectorAll('.pagefind-ui__result'); return r.length > 0 && [...r].every((x) => x.querySelector('.pagefind-ui__result-link')); })()`,
    first: `document.querySelectorAll('.pagefind-ui__result-link').length > 0`,
    complete: null, // = done
    count: `document.querySelectorAll('.pagefind-ui__result-link').length`,
    message: `(document.querySelector('.pagefind-ui__message') || {}).textContent || ''`,
  },
  {
    key: 'pagefind-practices',
    label: 'Pagefind UI (the 10 000 practice pages only)',
    url: '/pf/pagefind-practices-search/',
    optional: true,
  },
];
ENGINES[2] = { ...ENGINES[1], ...ENGINES[2] };

// ---------------------------------------------------------------------------------------------
// Static server: raw bytes, every response logged

const TEXT = new Set(['.html', '.css', '.js', '.mjs', '.json', '.svg', '.xml', '.txt']);

const log = []; // {path, file, bytes}
const serve = (dir) => serveStatic(dir, { log });

const gzCache = new Map();
function gzipBytes(entry) {
  if (!entry.file) return 0;
  if (!TEXT.has(extname(entry.file).toLowerCase())) return entry.bytes;
  if (!gzCache.has(entry.file)) gzCache.set(entry.file, gzipSync(readFileSync(entry.file), { level: 6 }).length);
  return gzCache.get(entry.file);
}

function sum(entries) {
  const ok = entries.filter((e) => e.status === 200);
  return {
    files: ok.length,
    bytes: ok.reduce((n, e) => n + e.bytes, 0),
    gzip: ok.reduce((n, e) => n + gzipBytes(e), 0),
    list: ok.map((e) => ({ path: e.path, bytes: e.bytes, gzip: gzipBytes(e) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring one query

let browser;
let origin;

async function openCold(engine) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  if (process.env.BENCH_DEBUG) page.on('console', (m) => console.error('console:', m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const state = { mark: null };
  // Called by the page when the results are in the DOM: the responses logged so far are the
  // query's.
  await page.exposeBinding('__benchDrawn', () => {
    if (state.mark === null) state.mark = log.length;
  });
  const from = log.length;
  await page.goto(origin + engine.url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(200);
  const load = sum(log.slice(from));
  return { context, page, state, load, errors };
}

/**
 * Installs the observers (fresh for every query). The results count as drawn once all `chars`
 * characters are typed and the results list is complete; for metodist the result links must
 * also be new ones (made after the last keystroke), so that a list left by an earlier search
 * (a slow typist's intermediate query) is not taken for the answer.
 */
async function instrument(page, engine, chars) {
  await page.evaluate(
    ({ input, done, first, complete, busy, fresh, chars }) => {
      const b = (window.__bench = { keys: [], first: null, dom: null, paint: null, complete: null, busy: null, chars });
      const doneFn = new Function(`return ${done};`);
      const completeFn = new Function(`return ${complete || done};`);
      const firstFn = new Function(`return ${first};`);
      const field = document.querySelector(input);
      const links = () => [...document.querySelectorAll(fresh || 'a')];
      const typed = () => b.keys.length >= b.chars;
      if (!window.__benchKeys) {
        window.__benchKeys = true;
        // Playwright types Cyrillic with Input.insertText: an input event per character and no
        // keydown, so a keystroke is an input event on the field (seen first, at the document,
        // in the capture phase). The links on the page at a keystroke are marked old.
        document.addEventListener(
          'input',
          (e) => {
            if (e.target !== field) return;
            window.__bench.keys.push(performance.now());
            for (const a of links()) a.__benchOld = true;
          },
          true,
        );
      }
      if (window.__benchObserver) window.__benchObserver.disconnect();
      const check = () => {
        const now = performance.now();
        if (busy && typed()) {
          // metodist's page sets aria-busy on its form when a search starts (after the debounce)
          const form = document.querySelector(busy);
          if (form && form.getAttribute('aria-busy') === 'true' && (b.busy === null || b.busy < b.keys[b.keys.length - 1])) b.busy = now;
        }
        if (!typed() || (fresh && links().some((a) => a.__benchOld))) return;
        if (b.first === null && firstFn()) b.first = now;
        // metodist: the search of the whole page started after the last key (aria-busy) and ended
        if (b.complete === null && (!busy || b.busy !== null) && completeFn()) b.complete = now;
        if (b.dom === null && doneFn()) {
          b.dom = now;
          window.__benchDrawn();
          requestAnimationFrame(() => {
            b.paint = performance.now();
          });
        }
      };
      const mo = new MutationObserver(check);
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      window.__benchObserver = mo;
    },
    { input: engine.input, done: engine.done, first: engine.first, complete: engine.complete || null, busy: engine.busy || null, fresh: engine.fresh || null, chars },
  );
}

async function runQuery(page, engine, state, query, delay) {
  await instrument(page, engine, [...query].length);
  state.mark = null;
  const from = log.length;
  await page.click(engine.input);
  await page.keyboard.type(query, { delay });
  await page.waitForFunction(() => window.__bench.paint !== null && window.__bench.complete !== null, null, { timeout: 60_000 }).catch(async (e) => {
    console.error(await page.evaluate(() => JSON.stringify(window.__bench)));
    throw e;
  });
  const mark = state.mark ?? log.length;
  await page.waitForTimeout(IDLE_MS);
  const b = await page.evaluate(() => window.__bench);
  const shown = await page.evaluate((c) => new Function(`return ${c};`)(), engine.count);
  const message = (await page.evaluate((c) => new Function(`return ${c};`)(), engine.message)).replace(/\s+/g, ' ').trim();
  return {
    query: sum(log.slice(from, mark)),
    idle: sum(log.slice(from)),
    keys: b.keys.length,
    // ms from the last keystroke (the user has finished typing)
    lastToDom: b.dom - b.keys[b.keys.length - 1],
    lastToPaint: b.paint - b.keys[b.keys.length - 1],
    lastToFirst: b.first - b.keys[b.keys.length - 1],
    lastToComplete: b.complete - b.keys[b.keys.length - 1],
    // ms from the search start (metodist: aria-busy, i.e. after its 120 ms debounce)
    busyToDom: b.busy === null ? null : b.dom - b.busy,
    debounce: b.busy === null ? null : b.busy - b.keys[b.keys.length - 1],
    firstKeyToDom: b.dom - b.keys[0],
    shown,
    message,
  };
}

async function clearField(page, engine) {
  await page.fill(engine.input, '');
  await page.waitForTimeout(400);
}

// ---------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const max = (xs) => Math.max(...xs.filter((x) => x !== null));
const kb = (n) => (n / 1024).toFixed(1);
const ms = (x) => (x === null || x === undefined ? '—' : x.toFixed(0));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

async function main() {
  const server = await serve(WORK);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const engines = ENGINES.filter((e) => !e.optional || existsSync(join(WORK, e.url, 'index.html')));
  const results = { queries: QUERIES, delay: DELAY, slowDelay: SLOW, engines: {}, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };

  for (const engine of engines) {
    const reps = engine.key === 'metodist' ? REPS : PF_REPS;
    const r = (results.engines[engine.key] = { label: engine.label, cold: {}, warm: {}, slow: {}, load: null });
    // Cold: a fresh context per run, the query is the first thing typed.
    for (const q of QUERIES) {
      r.cold[q] = [];
      for (let i = 0; i < reps; i++) {
        const { context, page, state, load, errors } = await openCold(engine);
        r.load = load;
        const m = await runQuery(page, engine, state, q, DELAY);
        if (errors.length) m.errors = errors;
        r.cold[q].push(m);
        await context.close();
      }
    }
    // Warm: the queries one after another on one page (each after the previous one), rotated so
    // that every query is measured after another one, `reps` rounds.
    for (const q of QUERIES) r.warm[q] = [];
    for (let i = 0; i < reps; i++) {
      const { context, page, state } = await openCold(engine);
      await runQuery(page, engine, state, QUERIES[(i + QUERIES.length - 1) % QUERIES.length], DELAY);
      for (let k = 0; k < QUERIES.length; k++) {
        const q = QUERIES[(i + k) % QUERIES.length];
        await clearField(page, engine);
        r.warm[q].push(await runQuery(page, engine, state, q, DELAY));
      }
      await context.close();
    }
    // A slower typist (one run per query, cold).
    for (const q of QUERIES) {
      const { context, page, state } = await openCold(engine);
      r.slow[q] = await runQuery(page, engine, state, q, SLOW);
      await context.close();
    }
    process.stderr.write(`measured ${engine.label}\n`);
  }
  await browser.close();
  server.close();
  writeFileSync(JSON_OUT, JSON.stringify(results, null, 1));
  report(results);
}

function report(res) {
  const E = res.engines;
  const keys = Object.keys(E);
  const out = [];
  const line = (s = '') => out.push(s);

  line(`== Bytes, cold page, typing at ${res.delay} ms/keystroke (raw = as served, no compression; gzip = each text file gzipped -6) ==`);
  line();
  line('Page load (before any interaction):');
  for (const k of keys) {
    const l = E[k].load;
    line(`  ${pad(E[k].label, 46)} ${lpad(kb(l.bytes), 8)} KiB raw ${lpad(kb(l.gzip), 8)} KiB gzip  (${l.list.map((f) => `${f.path.split('/').slice(-2).join('/')} ${f.bytes}`).join(', ')})`);
  }
  line();
  const head = `  ${pad('query', 28)}${keys.map((k) => lpad(k, 20) + lpad('', 20)).join('')}`;
  for (const [title, pick] of [
    ['Query only: click into the field → first results drawn', (m, l) => m.query],
    ['Page load + query', (m, l) => ({ bytes: l.bytes + m.query.bytes, gzip: l.gzip + m.query.gzip, files: l.files + m.query.files })],
    ['Query until idle (1.5 s after the results)', (m, l) => m.idle],
  ]) {
    line(`${title} — KiB raw / KiB gzip (files); ratio = metodist / Pagefind (target ≤ 0.333):`);
    line(`  ${pad('query', 28)}${keys.map((k) => lpad(k, 24)).join('')}${keys.slice(1).map((k) => lpad(`ratio vs ${k}`, 34)).join('')}`);
    const tot = Object.fromEntries(keys.map((k) => [k, { bytes: 0, gzip: 0 }]));
    for (const q of res.queries) {
      const cells = keys.map((k) => {
        const v = pick(E[k].cold[q][0], E[k].load);
        tot[k].bytes += v.bytes;
        tot[k].gzip += v.gzip;
        return { ...v, text: `${kb(v.bytes)}/${kb(v.gzip)} (${v.files})` };
      });
      const ratios = cells.slice(1).map((c) => `raw ${(cells[0].bytes / c.bytes).toFixed(2)}, gzip ${(cells[0].gzip / c.gzip).toFixed(2)}`);
      line(`  ${pad(q, 28)}${cells.map((c) => lpad(c.text, 24)).join('')}${ratios.map((r) => lpad(r, 34)).join('')}`);
    }
    const cells = keys.map((k) => tot[k]);
    line(
      `  ${pad('all four (sum)', 28)}${cells.map((c) => lpad(`${kb(c.bytes)}/${kb(c.gzip)}`, 24)).join('')}${cells
        .slice(1)
        .map((c) => lpad(`raw ${(cells[0].bytes / c.bytes).toFixed(2)}, gzip ${(cells[0].gzip / c.gzip).toFixed(2)}`, 34))
        .join('')}`,
    );
    line();
  }

  line('Target 1 — metodist ≤ 1/3 of Pagefind, per query (worst ratio over the four queries):');
  for (const k of keys.slice(1)) {
    for (const [what, pick] of [
      ['query only', (e, q) => e.cold[q][0].query],
      ['page load + query', (e, q) => ({ bytes: e.load.bytes + e.cold[q][0].query.bytes, gzip: e.load.gzip + e.cold[q][0].query.gzip })],
    ]) {
      for (const unit of ['bytes', 'gzip']) {
        const ratios = res.queries.map((q) => pick(E.metodist, q)[unit] / pick(E[k], q)[unit]);
        const met = ratios.filter((r) => r <= 1 / 3).length;
        line(
          `  vs ${pad(k, 20)} ${pad(what, 18)} ${pad(unit === 'bytes' ? 'raw' : 'gzip', 5)} worst ${Math.max(...ratios).toFixed(2)}  ${met === ratios.length ? 'MET' : `NOT MET (${met}/${ratios.length} queries within 1/3)`}`,
        );
      }
    }
  }
  line();
  line('What the first query fetched (cold, query only), by kind of file — KiB raw / gzip:');
  for (const k of keys) {
    for (const q of res.queries) {
      const groups = {};
      for (const f of E[k].cold[q][0].query.list) {
        const kind = f.path.replace(/.*\/(search|pagefind[^/]*)\//, '').replace(/\/[^/]+$/, '/*').replace(/^[^/]*\.(pf_meta)$/, '*.pf_meta');
        const g = (groups[kind] ||= { n: 0, bytes: 0, gzip: 0 });
        g.n++;
        g.bytes += f.bytes;
        g.gzip += f.gzip;
      }
      line(`  ${pad(k, 20)} ${pad(q, 28)} ${Object.entries(groups).map(([n, g]) => `${n}×${g.n} ${kb(g.bytes)}/${kb(g.gzip)}`).join('; ')}`);
    }
  }
  line();
  line('Results shown (cold):');
  for (const k of keys) for (const q of res.queries) line(`  ${pad(k, 20)} ${pad(q, 28)} ${E[k].cold[q][0].shown} shown — «${E[k].cold[q][0].message}»`);
  line();

  line(`== Slower typing (${res.slowDelay} ms/keystroke: above metodist's 120 ms debounce, below Pagefind's 300 ms), cold, query only — KiB raw / gzip (files) ==`);
  line('  (every pause longer than the debounce runs a search for the prefix typed so far: its chunks and its first page of fragments)');
  line(`  ${pad('query', 28)}${keys.map((k) => lpad(k, 24)).join('')}`);
  for (const q of res.queries) line(`  ${pad(q, 28)}${keys.map((k) => lpad(`${kb(E[k].slow[q].query.bytes)}/${kb(E[k].slow[q].query.gzip)} (${E[k].slow[q].query.files})`, 24)).join('')}`);
  line();

  line(`== Time, keystroke → results drawn, ms (performance.now() in the page; median / max over runs; load average ${res.load}) ==`);
  line('  last key → DOM: the results are in the document; → paint: the next animation frame;');
  line('  →complete: the whole first page drawn (metodist: and the status updated, after its debounce; Pagefind: = DOM);');
  line('  debounce: from the last key to the start of the search of the whole page (metodist\'s form gets aria-busy).');
  for (const k of keys) {
    line(`  ${E[k].label}`);
    for (const mode of ['cold', 'warm']) {
      const all = res.queries.flatMap((q) => E[k][mode][q]);
      for (const q of res.queries) {
        const runs = E[k][mode][q];
        const f = (key) => `${ms(median(runs.map((m) => m[key])))}/${ms(max(runs.map((m) => m[key])))}`;
        line(
          `    ${pad(mode, 5)} ${pad(q, 28)} last key→DOM ${lpad(f('lastToDom'), 9)}  →paint ${lpad(f('lastToPaint'), 9)}${k === 'metodist' ? `  debounce ${lpad(f('debounce'), 9)}` : `  →first link ${lpad(f('lastToFirst'), 9)}`}  →complete ${lpad(f('lastToComplete'), 9)}  (${runs.length} runs)`,
        );
      }
      const f = (key) => `${ms(median(all.map((m) => m[key])))}/${ms(max(all.map((m) => m[key])))}`;
      line(
        `    ${pad(mode, 5)} ${pad('ALL', 28)} last key→DOM ${lpad(f('lastToDom'), 9)}  →paint ${lpad(f('lastToPaint'), 9)}${k === 'metodist' ? `  debounce ${lpad(f('debounce'), 9)}` : `  →first link ${lpad(f('lastToFirst'), 9)}`}  →complete ${lpad(f('lastToComplete'), 9)}`,
      );
    }
  }
  const m = E.metodist;
  if (m) {
    for (const mode of ['cold', 'warm']) {
      const all = res.queries.flatMap((q) => m[mode][q]);
      const v = all.map((x) => x.lastToPaint);
      const c = all.map((x) => x.lastToComplete);
      line(
        `Target 3 (${mode}): last keystroke → first results painted: median ${ms(median(v))} ms, max ${ms(max(v))} ms — ${max(v) <= 100 ? 'MET' : median(v) <= 100 ? 'median within 100 ms, max NOT' : 'NOT MET'}; the complete first page: median ${ms(median(c))} ms, max ${ms(max(c))} ms (debounce ${ms(median(all.map((x) => x.debounce)))} ms)`,
      );
    }
  }
  const errs = keys.flatMap((k) => res.queries.flatMap((q) => E[k].cold[q].flatMap((m) => m.errors || [])));
  if (errs.length) line(`page errors: ${[...new Set(errs)].join('; ')}`);
  console.log(out.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
