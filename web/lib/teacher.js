// teacher.js — the "teacher link" panel of every demo page: one checkbox per
// state property to hide its control, a link that carries the choice (the
// URL-hash key `hide=`), a Copy button and "Show all controls".
//
// The page provides an empty <details id="teacher"> (filled here, so the panel
// is written once for every page), and by id: show-all, hidden-note, and
// #controls with one <fieldset> per group of controls.

import { checkbox, applyHidden } from './controls.js';

const $ = (id) => document.getElementById(id);

const PANEL = `
  <summary>Teacher link: hide controls</summary>
  <p>Tick the controls students should <em>not</em> see, then share the link.</p>
  <div class="teacher-boxes" id="teacher-boxes"></div>
  <label for="teacher-url">Link</label>
  <div class="teacher-row">
    <input type="text" id="teacher-url" readonly>
    <button type="button" id="teacher-copy">Copy</button>
  </div>`;

/**
 * @param {object} o
 * @param {object} o.state        the page's state (lib/state.js)
 * @param {Array<{name:string}>} o.props  its declared property table
 * @param {Record<string,string>} o.names property name → label ("Hide …")
 * @param {() => Record<string,{el:HTMLElement}>} o.controls  the controls to hide by name
 * @param {() => void} [o.afterApply]  page-specific hiding (e.g. the stepper goes with the seed)
 * @param {(fieldset:HTMLElement) => boolean} [o.keepFieldset]  true keeps a fieldset whose
 *        [data-control] children are all hidden visible (it holds something else)
 * @param {() => void} [o.onApplied]   e.g. re-sync the controls with the state
 * @returns {{ apply: () => void }}  apply() shows/hides controls from the state
 */
export function teacherPanel({ state, props, names, controls, afterApply, keepFieldset = () => false, onApplied }) {
  $('teacher').innerHTML = PANEL;
  const boxes = {};
  const chosen = () => new Set(Object.entries(boxes).filter(([, c]) => c.value).map(([n]) => n));
  const updateLink = () => { $('teacher-url').value = state.url(chosen()); };
  for (const p of props) {
    const c = checkbox({ name: `hide-${p.name}`, label: `Hide ${names[p.name]}`, value: state.hidden(p.name), onChange: updateLink });
    boxes[p.name] = c;
    $('teacher-boxes').append(c.el);
  }
  $('teacher-copy').addEventListener('click', async () => {
    updateLink();
    try { await navigator.clipboard.writeText($('teacher-url').value); $('teacher-copy').textContent = 'Copied'; } catch {
      $('teacher-url').select();
    }
    setTimeout(() => { $('teacher-copy').textContent = 'Copy'; }, 1500);
  });
  $('teacher').addEventListener('toggle', updateLink);

  function apply() {
    const hidden = applyHidden(controls(), (name) => state.hidden(name));
    $('hidden-note').hidden = hidden.length === 0;
    for (const [n, c] of Object.entries(boxes)) c.set(state.hidden(n));
    afterApply?.();
    // Fieldsets left with nothing visible vanish too.
    for (const fs of document.querySelectorAll('#controls fieldset')) {
      fs.hidden = ![...fs.querySelectorAll('[data-control], .stepper')].some((e) => !e.hidden) && !keepFieldset(fs);
    }
    onApplied?.();
  }
  $('show-all').addEventListener('click', () => { state.setHidden(new Set()); apply(); });
  return { apply };
}
