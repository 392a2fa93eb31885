// link-notice.js — tells the reader, on the page, when the link they opened
// (or pasted into the address bar later) held values the page cannot use.
//
// lib/state.js falls back to a property's default for a malformed or
// out-of-range hash value and ignores unknown keys, reporting them only with
// console.info: a student opening a stale or hand-edited link would see a
// different figure from the teacher's without knowing why. This shows the same
// list in a notice above the figure (a polite live region, with a button to
// dismiss it), and updates it whenever the hash is edited.

/**
 * @param {{ problems: string[] }} state  the page's state (lib/state.js)
 * @param {HTMLElement} [before]  the notice goes just before this element (default: #widget)
 * @returns {{ el: HTMLElement, update: () => void }}
 */
export function linkNotice(state, before = document.getElementById('widget')) {
  const el = document.createElement('div');
  el.id = 'link-notice';
  el.className = 'notice is-error link-notice';
  el.setAttribute('role', 'status');
  el.hidden = true;
  before.before(el);

  let shown = '';
  function update() {
    const problems = state.problems;
    // The same list again (a hash event that changed nothing): a notice the
    // reader dismissed stays dismissed.
    const text = problems.join('\n');
    if (text === shown) return;
    shown = text;
    el.hidden = problems.length === 0;
    el.replaceChildren();
    if (!problems.length) return;
    const intro = document.createElement('p');
    intro.textContent = problems.length === 1
      ? 'This link has a setting this page cannot use; the figure shows the default instead:'
      : `This link has ${problems.length} settings this page cannot use; the figure shows the defaults instead:`;
    const list = document.createElement('ul');
    for (const text of problems) {
      const li = document.createElement('li');
      li.textContent = text;
      list.append(li);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => { el.hidden = true; });
    el.append(intro, list, close);
  }
  // lib/state.js re-reads a pasted hash in its own hashchange listener, added before this one.
  globalThis.addEventListener?.('hashchange', update);
  update();
  return { el, update };
}
