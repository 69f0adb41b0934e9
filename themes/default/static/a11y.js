// «Версия для слабовидящих»: settings as data attributes on <html>, remembered across pages
// in localStorage. The same URLs serve both versions; without JavaScript the switch is hidden.
const KEY = 'metodist-lowvision';
const DEFAULTS = { size: '2', scheme: 'bw', spacing: 'normal', images: 'on' };
const root = document.documentElement;

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || 'null');
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

function save(v) {
  try {
    if (v) localStorage.setItem(KEY, JSON.stringify(v));
    else localStorage.removeItem(KEY);
  } catch {
    /* private mode: the settings last for this page only */
  }
}

function apply(v) {
  if (v) {
    root.dataset.lv = 'on';
    for (const k of Object.keys(DEFAULTS)) root.dataset[`lv${k[0].toUpperCase()}${k.slice(1)}`] = v[k] || DEFAULTS[k];
  } else {
    for (const k of ['lv', 'lvSize', 'lvScheme', 'lvSpacing', 'lvImages']) delete root.dataset[k];
  }
}

let state = load();
apply(state);

function sync() {
  const bar = document.querySelector('[data-lv-bar]');
  if (!bar) return;
  const toggle = bar.querySelector('[data-lv-toggle]');
  const panel = bar.querySelector('[data-lv-panel]');
  toggle.setAttribute('aria-pressed', state ? 'true' : 'false');
  toggle.textContent = state ? 'Настройки версии для слабовидящих' : 'Версия для слабовидящих';
  panel.hidden = !state;
  for (const b of bar.querySelectorAll('[data-lv-set]')) {
    const on = !!state && (state[b.dataset.lvSet] || DEFAULTS[b.dataset.lvSet]) === b.dataset.lvValue;
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
}

function init() {
  const bar = document.querySelector('[data-lv-bar]');
  if (!bar) return;
  bar.hidden = false;
  bar.querySelector('[data-lv-toggle]').addEventListener('click', () => {
    if (!state) {
      state = { ...DEFAULTS };
      save(state);
      apply(state);
    }
    sync();
    bar.querySelector('[data-lv-panel] button').focus();
  });
  for (const b of bar.querySelectorAll('[data-lv-set]')) {
    b.addEventListener('click', () => {
      state = { ...DEFAULTS, ...state, [b.dataset.lvSet]: b.dataset.lvValue };
      save(state);
      apply(state);
      sync();
    });
  }
  bar.querySelector('[data-lv-off]').addEventListener('click', () => {
    state = null;
    save(null);
    apply(null);
    sync();
    bar.querySelector('[data-lv-toggle]').focus();
  });
  sync();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
