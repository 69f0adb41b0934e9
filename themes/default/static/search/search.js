// Search on a static site: progressive enhancement of
//   • the search page form (form[data-search]): results as you type, highlighted snippets,
//     filters (type, year, tag, organization, department on the region page) loaded lazily,
//     the query and filters kept in the address (?q=…&type=…) so a result list can be linked;
//   • the search box in every page header (form[data-search-box]): up to 5 quick results
//     under the box; Enter goes to the search page (which also works without JavaScript).
// The ranking is engine.js's, equal to `metodist search`. No inline scripts or styles, no
// innerHTML: the page works under a strict Content-Security-Policy.

import { createSearch, highlightParts, parseQuery, plural, snippetParts } from './engine.js';

const PAGE_SIZE = 10;
const QUICK_SIZE = 5;
// The search runs once the reader pauses: DEBOUNCE_FACTOR × the reader's usual interval
// between keystrokes (the median of the last few), at least DEBOUNCE_MS, at most
// DEBOUNCE_MAX_MS. Meanwhile every keystroke prefetches what the query will need (meta.json,
// the chunks of its words and of the words the last one may become) and, once those are in,
// ranks the query typed so far and fetches only its first result, which is drawn at once (a
// preview): the first result follows the typing, and the rest of the list, fetched after the
// pause, is not fetched for every prefix.
const DEBOUNCE_FACTOR = 1.1;
const DEBOUNCE_MS = 45;
const DEBOUNCE_MAX_MS = 120;
const FILTERS = ['type', 'year', 'tag', 'organization', 'department'];
const MATERIALS = ['материал', 'материала', 'материалов'];

// ---------------------------------------------------------------------------------------------
// Shared helpers

async function fetchJson(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${url}`);
  return res.json();
}

const engines = new Map();
/** One engine (and cache) per export folder, shared by the header box and the page. */
function engineAt(folder) {
  const url = new URL(folder || './', document.baseURI);
  url.search = '';
  url.hash = '';
  const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
  if (!engines.has(base)) engines.set(base, createSearch(base, fetchJson));
  return engines.get(base);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Text with the matches in <mark>, built as DOM nodes (no HTML parsing). */
function appendParts(parent, parts) {
  for (const p of parts) parent.append(p.mark ? el('mark', { text: p.text }) : document.createTextNode(p.text));
  return parent;
}

function loadError() {
  return location.protocol === 'file:'
    ? 'Поиск не работает, когда страницы открыты как файлы с диска: откройте сайт через веб-сервер.'
    : 'Не удалось загрузить данные поиска. Проверьте подключение к интернету и обновите страницу.';
}

function hasWords(query) {
  const q = parseQuery(query, { prefix: true });
  return q.terms.length > 0 || q.prefix !== null;
}

/**
 * Search as you type: prefetch (and `preview`, if given) at once, `run` after the pause (see
 * DEBOUNCE_MS).
 */
function onTyping(input, engine, run, preview) {
  let timer = 0;
  let lastKey = 0;
  const gaps = [];
  const typed = () => {
    const now = performance.now();
    if (lastKey && now - lastKey < 1000) {
      gaps.push(now - lastKey);
      if (gaps.length > 5) gaps.shift();
    }
    lastKey = now;
    const sorted = [...gaps].sort((a, b) => a - b);
    const usual = sorted.length >= 2 ? sorted[sorted.length >> 1] : 0;
    clearTimeout(timer);
    timer = setTimeout(run, Math.min(DEBOUNCE_MAX_MS, Math.max(DEBOUNCE_MS, DEBOUNCE_FACTOR * usual)));
  };
  typed.cancel = () => clearTimeout(timer);
  input.addEventListener('focus', () => engine.meta().catch(() => {}));
  input.addEventListener('input', () => {
    const loaded = engine.prefetch(input.value);
    if (preview) preview(loaded);
    loaded.catch(() => {});
    typed();
  });
  return typed;
}

/**
 * The first results of `query` while it is being typed, once its chunks are loaded (`loaded`,
 * from prefetch): the ranking, the first result's fragment fetched, then those after it whose
 * fragments are cached. Resolves to {hits, fragments}, or null when `current()` turns false
 * (a newer keystroke) or there is nothing to draw yet.
 */
async function firstResults(engine, loaded, query, options, current) {
  await loaded;
  if (!current()) return null;
  const hits = await engine.rank(query, { prefix: true, fetch: 1, cachedOnly: true, ...options });
  if (!current() || !hits || hits.length === 0) return null;
  const fragments = [await hits[0].fragment];
  for (const h of hits.slice(1)) {
    if (!h.fragment) break;
    fragments.push(await h.fragment);
  }
  return current() ? { hits, fragments } : null;
}

/** Arrow keys between the links of `links()`; ArrowUp from the first and Escape go to `input`. */
function arrowNavigation(container, links, input, onEscape) {
  container.addEventListener('keydown', (e) => {
    const list = links();
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      list[Math.min(i + 1, list.length - 1)].focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) input.focus();
      else list[i - 1].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.focus();
      if (onEscape) onEscape();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The search page

function initPage(form) {
  const root = form.dataset.root || '';
  const engine = engineAt(form.dataset.search || './');
  const region = form.dataset.scope === 'region';
  const input = form.querySelector('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const moreWrap = document.querySelector('.search-more-wrap');
  const more = document.querySelector('[data-search-more]');
  const details = form.querySelector('[data-search-filters]');
  const reset = form.querySelector('[data-search-reset]');
  const selects = Object.fromEntries(FILTERS.map((k) => [k, form.querySelector(`select[name="${k}"]`)]).filter(([, s]) => s));
  const baseTitle = document.title;
  if (!input || !status || !list) return;

  let seq = 0; // every keystroke and every search: an older one draws nothing more
  let runs = 0; // searches of the whole page: the last one clears aria-busy
  let shown = 0;
  let last = null; // {query, filters, total}
  let facets = null; // promise of filter options

  // Filters count in the summary: «Фильтры (2)».
  const summary = details && details.querySelector('summary');
  const count = summary ? el('span', { className: 'search-filters-count' }) : null;
  if (count) summary.append(count);

  function filters() {
    const out = {};
    for (const [k, s] of Object.entries(selects)) if (s.value) out[k] = s.value;
    return out;
  }

  function fill(select, options, keep) {
    const first = select.options[0];
    select.replaceChildren(first);
    for (const o of options) select.append(el('option', { value: o.value, text: o.label }));
    if (keep && ![...select.options].some((o) => o.value === keep)) select.append(el('option', { value: keep, text: keep }));
    select.value = keep || '';
  }

  function loadFacets() {
    if (!facets) {
      if (details) details.setAttribute('aria-busy', 'true');
      facets = engine
        .filterOptions()
        .then((o) => {
          const keep = filters();
          if (selects.type) fill(selects.type, o.types, keep.type);
          if (selects.year) fill(selects.year, o.years.map((y) => ({ value: String(y), label: String(y) })), keep.year);
          if (selects.tag) fill(selects.tag, o.tags, keep.tag);
          if (selects.organization) fill(selects.organization, o.organizations, keep.organization);
          if (selects.department) fill(selects.department, o.departments, keep.department);
        })
        .catch((e) => {
          facets = null;
          status.textContent = loadError();
          throw e;
        })
        .finally(() => details && details.removeAttribute('aria-busy'));
    }
    return facets;
  }

  function syncUrl(query, f) {
    const p = new URLSearchParams();
    if (query.trim()) p.set('q', query.trim());
    for (const k of FILTERS) if (f[k]) p.set(k, f[k]);
    const s = p.toString();
    const url = `${location.pathname}${s ? `?${s}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
    document.title = query.trim() ? `${query.trim()} — ${baseTitle}` : baseTitle;
    if (count) {
      const n = Object.keys(f).length;
      count.textContent = n ? ` (${n})` : '';
    }
  }

  function item(hit, query) {
    const f = hit.fragment;
    const link = appendParts(el('a', { href: root + f.url }), highlightParts(f.title, query));
    const meta = el('p', { className: 'search-result-meta' }, el('span', { className: 'search-result-type', text: f.type_label }));
    if (region && f.department) meta.append(el('span', { className: 'search-result-department', text: f.department }));
    if (f.year) meta.append(el('span', { className: 'search-result-year', text: String(f.year) }));
    const text = snippetParts(f.text, query);
    return el(
      'li',
      { className: 'search-result' },
      el('h2', { className: 'search-result-title' }, link),
      meta,
      text.length ? appendParts(el('p', { className: 'search-result-snippet' }), text) : null,
    );
  }

  function describe(query, total) {
    if (total === 0) return `По запросу «${query.trim()}» ничего не найдено. Проверьте написание или уберите фильтры.`;
    const found = `Найдено ${total} ${plural(total, MATERIALS)}`;
    return shown < total ? `${found}, показаны первые ${shown}.` : `${found}.`;
  }

  function clear() {
    shown = 0;
    last = null;
    list.replaceChildren();
    list.hidden = true;
    moreWrap.hidden = true;
    status.textContent = '';
  }

  async function run() {
    const my = ++seq;
    const mine = ++runs;
    const query = input.value;
    const f = filters();
    syncUrl(query, f);
    if (!query.trim()) {
      clear();
      return;
    }
    form.setAttribute('aria-busy', 'true');
    try {
      if (Object.keys(f).length) await loadFacets();
      const hits = await engine.rank(query, { prefix: true, limit: PAGE_SIZE, ...f });
      if (my !== seq) return;
      // Each result is drawn, in rank order, as soon as it and those above it have their
      // fragment: the first results appear while the last fragments are still on their way.
      let drawn = 0;
      await new Promise((resolve, reject) => {
        const ready = [];
        const flush = () => {
          if (my !== seq) return resolve();
          while (drawn < hits.length && ready[drawn]) {
            const node = item({ fragment: ready[drawn] }, hits.query);
            if (drawn === 0) list.replaceChildren(node);
            else list.append(node);
            list.hidden = false;
            drawn++;
          }
          if (drawn === hits.length) resolve();
        };
        hits.forEach((h, i) => h.fragment.then((fragment) => ((ready[i] = fragment), flush()), reject));
        if (hits.length === 0) {
          list.replaceChildren();
          resolve();
        }
      });
      if (my !== seq) return;
      shown = hits.length;
      last = { query, filters: f, total: hits.total };
      list.hidden = hits.length === 0;
      moreWrap.hidden = shown >= hits.total;
      if (more) more.textContent = `Показать ещё ${Math.min(PAGE_SIZE, hits.total - shown)}`;
      status.textContent = describe(query, hits.total);
    } catch (e) {
      if (my === seq) status.textContent = loadError();
      console.error(e);
    } finally {
      if (mine === runs) form.removeAttribute('aria-busy');
    }
  }

  /**
   * While the reader types: once the chunks of the query typed so far are loaded, its ranking
   * (the same as run()'s, which then reuses it) and its first result, drawn with those after
   * it whose fragments happen to be cached. The status and «Показать ещё» wait for run(): a
   * screen reader is not interrupted at every keystroke.
   */
  async function preview(loaded) {
    const my = ++seq;
    const query = input.value;
    const f = filters();
    if (!query.trim() || (Object.keys(f).length && !facets)) return;
    try {
      const first = await firstResults(engine, loaded, query, { limit: PAGE_SIZE, ...f }, () => my === seq);
      if (!first) return;
      list.replaceChildren(...first.fragments.map((fragment) => item({ fragment }, first.hits.query)));
      list.hidden = false;
      moreWrap.hidden = true;
      last = null;
    } catch {
      // run() reports the error after the pause
    }
  }

  async function showMore() {
    if (!last) return;
    const my = seq;
    const hits = await engine.search(last.query, { prefix: true, limit: PAGE_SIZE, offset: shown, ...last.filters }).catch((e) => {
      status.textContent = loadError();
      console.error(e);
      return null;
    });
    if (!hits || my !== seq) return;
    const items = hits.map((h) => item(h, hits.query));
    list.append(...items);
    shown += hits.length;
    moreWrap.hidden = shown >= hits.total;
    if (more) more.textContent = `Показать ещё ${Math.min(PAGE_SIZE, hits.total - shown)}`;
    status.textContent = `Найдено ${hits.total} ${plural(hits.total, MATERIALS)}, показаны первые ${shown}.`;
    const first = items[0] && items[0].querySelector('a');
    if (first) first.focus();
  }

  const typed = onTyping(input, engine, run, preview);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    typed.cancel();
    run();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      const first = list.querySelector('.search-result-title a');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Escape' && input.value) {
      e.preventDefault();
      typed.cancel();
      input.value = '';
      run();
    }
  });
  arrowNavigation(list, () => [...list.querySelectorAll('.search-result-title a')], input);
  for (const s of Object.values(selects)) s.addEventListener('change', () => run());
  if (reset) {
    reset.addEventListener('click', () => {
      for (const s of Object.values(selects)) s.value = '';
      run();
    });
  }
  if (details) details.addEventListener('toggle', () => details.open && loadFacets().catch(() => {}));
  if (more) more.addEventListener('click', showMore);

  // The address: ?q=…&type=… restores a result list.
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  const wanted = FILTERS.filter((k) => selects[k] && params.get(k));
  if (wanted.length) {
    for (const k of wanted) {
      const v = params.get(k);
      selects[k].append(el('option', { value: v, text: v }));
      selects[k].value = v;
    }
    if (details) details.open = true;
    loadFacets()
      .catch(() => {})
      .then(run);
  } else if (input.value) {
    run();
  }
}

// ---------------------------------------------------------------------------------------------
// The header search box: quick results under the box

let boxes = 0;

function initBox(form) {
  const input = form.querySelector('input[name="q"]');
  if (!input) return;
  const root = form.dataset.root || '';
  const action = form.getAttribute('action') || './';
  const engine = engineAt(action);
  const id = `header-search-results-${++boxes}`;
  const list = el('ul', { className: 'header-search-list', id: `${id}-list`, 'aria-label': 'Быстрые результаты поиска' });
  const all = el('a', { className: 'header-search-all', href: action }, 'Все результаты');
  const popup = el('div', { className: 'header-search-popup', id, hidden: true }, list, el('p', { className: 'header-search-more' }, all));
  const status = el('p', { className: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  form.classList.add('has-quick-results');
  form.append(popup, status);
  input.setAttribute('aria-controls', id);

  let seq = 0;
  const links = () => [...popup.querySelectorAll('a')];
  const open = () => {
    popup.hidden = false;
  };
  const close = () => {
    popup.hidden = true;
  };

  /** The quick results (fragments) of `query` and the link to all of them (hits: total, query). */
  function draw(query, fragments, hits) {
    const parsed = hits.query;
    const target = new URL(action, document.baseURI);
    target.searchParams.set('q', query.trim());
    all.href = target.href;
    all.textContent = hits.total > fragments.length ? `Все результаты (${hits.total})` : 'Открыть на странице поиска';
    list.replaceChildren(
      ...fragments.map((f) =>
        el(
          'li',
          {},
          appendParts(el('a', { href: root + f.url }), highlightParts(f.title, parsed)),
          el('span', { className: 'header-search-type', text: f.type_label }),
        ),
      ),
    );
  }

  /** While typing: the first quick result at once (see firstResults); the list after the pause. */
  async function preview(loaded) {
    const my = ++seq;
    const query = input.value;
    if (!query.trim() || !hasWords(query)) return;
    const first = await firstResults(engine, loaded, query, { limit: QUICK_SIZE }, () => my === seq).catch(() => null);
    if (!first) return;
    draw(query, first.fragments, first.hits);
    open();
  }

  async function update() {
    const my = ++seq;
    const query = input.value;
    if (!query.trim() || !hasWords(query)) {
      close();
      status.textContent = '';
      return;
    }
    let hits;
    try {
      hits = await engine.search(query, { prefix: true, limit: QUICK_SIZE });
    } catch (e) {
      console.warn('metodist search:', e);
      if (my === seq) close(); // the form still submits to the search page
      return;
    }
    if (my !== seq) return;
    draw(
      query,
      hits.map((h) => h.fragment),
      hits,
    );
    if (hits.length === 0) list.append(el('li', { className: 'header-search-none', text: `По запросу «${query.trim()}» ничего не найдено.` }));
    status.textContent = hits.length
      ? `Найдено ${hits.total} ${plural(hits.total, MATERIALS)}. Стрелка вниз — к результатам.`
      : `По запросу «${query.trim()}» ничего не найдено.`;
    open();
  }

  const typed = onTyping(input, engine, update, preview);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !popup.hidden) {
      const first = links()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Escape') {
      if (!popup.hidden) {
        e.preventDefault();
        close();
      } else if (input.value) {
        e.preventDefault();
        input.value = '';
        status.textContent = '';
      }
    }
  });
  arrowNavigation(popup, links, input, close);
  form.addEventListener('focusout', (e) => {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
  });
  input.addEventListener('focus', () => {
    if (input.value.trim() && list.childElementCount) open();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!form.contains(e.target)) close();
  });
  form.addEventListener('submit', () => {
    typed.cancel();
    seq++;
  });
}

// ---------------------------------------------------------------------------------------------

for (const form of document.querySelectorAll('form[data-search]')) initPage(form);
for (const form of document.querySelectorAll('form[data-search-box]')) initBox(form);
