// Live reload of `metodist serve` (never part of a built site): reloads the page after each
// good rebuild and shows the build errors over the page while the last good version stays.
(() => {
  'use strict';
  if (window.__metodistLive) return;
  window.__metodistLive = true;
  let generation = null;
  let overlay = null;
  let opener = null;

  function el(tag, text, style) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) Object.assign(node.style, style);
    return node;
  }

  function hide() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    if (opener && document.contains(opener)) opener.focus();
  }

  function show(data) {
    hide();
    opener = document.activeElement;
    const errors = (data && data.errors) || [];
    overlay = el('div', null, {
      position: 'fixed', inset: '0', zIndex: '2147483647', background: 'rgba(20, 20, 20, 0.55)',
      display: 'flex', alignItems: 'flex-start', justifyContent: 'center', padding: '5vh 1rem', overflow: 'auto',
    });
    overlay.id = 'metodist-overlay';
    const box = el('div', null, {
      background: '#fff', color: '#1a1a1a', maxWidth: '52rem', width: '100%', borderRadius: '6px',
      borderTop: '6px solid #b3261e', padding: '1.25rem 1.5rem', font: '16px/1.5 system-ui, sans-serif',
      boxShadow: '0 8px 32px rgba(0,0,0,.35)',
    });
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-labelledby', 'metodist-overlay-title');
    box.setAttribute('aria-describedby', 'metodist-overlay-note');
    box.tabIndex = -1;
    const title = el('h2', errors.length === 1 ? 'Ошибка в содержимом' : `Ошибки в содержимом: ${errors.length}`, { margin: '0 0 .5rem', fontSize: '1.35rem', color: '#b3261e' });
    title.id = 'metodist-overlay-title';
    const note = el('p', 'Сайт не пересобран: показана последняя удачная версия страницы. Исправьте файл и сохраните его — страница обновится сама.', { margin: '0 0 1rem' });
    note.id = 'metodist-overlay-note';
    const list = el('ul', null, { margin: '0', padding: '0', listStyle: 'none' });
    for (const e of errors) {
      const item = el('li', null, { borderTop: '1px solid #ddd', padding: '.6rem 0' });
      const where = el('p', `${e.file}${e.line ? `, строка ${e.line}` : ''}${e.field ? `, поле «${e.field}»` : ''}`, { margin: '0', fontFamily: 'ui-monospace, monospace', fontWeight: '600', overflowWrap: 'anywhere' });
      item.append(where, el('p', e.message, { margin: '.2rem 0 0' }));
      if (e.hint) item.append(el('p', `Что сделать: ${e.hint}`, { margin: '.2rem 0 0', color: '#333' }));
      list.append(item);
    }
    const close = el('button', 'Закрыть', { marginTop: '1rem', font: 'inherit', padding: '.4rem 1rem', cursor: 'pointer' });
    close.type = 'button';
    close.addEventListener('click', hide);
    box.append(title, note, list, close);
    box.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        hide();
      } else if (ev.key === 'Tab') {
        // Focus stays in the dialog.
        ev.preventDefault();
        (document.activeElement === close ? box : close).focus();
      }
    });
    overlay.append(box);
    document.body.append(overlay);
    box.focus();
  }

  function connect() {
    const source = new EventSource('/__metodist/events');
    source.addEventListener('hello', (ev) => {
      const g = JSON.parse(ev.data).generation;
      // A rebuild happened while we were not connected (or the server restarted).
      if (generation !== null && g !== generation) location.reload();
      generation = g;
    });
    source.addEventListener('reload', () => location.reload());
    source.addEventListener('build-error', (ev) => show(JSON.parse(ev.data)));
  }
  connect();
})();
