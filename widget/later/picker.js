// The @ picker: typing `@al` in a composer lists the people it may mean (GET /people?q=, closest
// ties first). Arrows move, Enter or Tab inserts `@handle `, Escape closes; the mouse works too.
// The box is an ARIA combobox owning a listbox. composer.js loads this module with the first `@`
// typed in a box, and from then on the picker follows that box by itself.
import { avatar, h } from '../dom.js';
import { plural } from '../text.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.pk-anchor { position: relative; height: 0; margin-top: -6px; }
.picker { position: absolute; z-index: 6; top: 2px; left: -4px; width: min(320px, 100%); max-height: 272px; margin: 0; padding: 4px;
  overflow-y: auto; list-style: none; border: 1px solid var(--_border-strong); border-radius: 10px; background: var(--_raised);
  box-shadow: 0 10px 30px rgba(10, 10, 30, .2); font-size: 13px; line-height: 1.3; }
.pk-option { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-radius: 7px; cursor: pointer; }
.pk-option[aria-selected=true] { background: var(--_accent-soft); }
.pk-option .avatar { cursor: inherit; }
.pk-text { display: flex; flex-direction: column; min-width: 0; }
.pk-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 600; }
.pk-handle { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; color: var(--_muted); }
.pk-none { padding: 6px 8px; color: var(--_muted); cursor: default; }
`);

const WAIT = 120; // ms of quiet typing before asking: a fast typist asks once
const SHOWN = 6;
// what was typed since an `@` that starts a mention (not in an e-mail address or a path), up to the caret
const TYPED = /(?:^|[^\w@./-])@([\w.-]{1,30})$/;
const followed = new WeakSet();
let ids = 0;

/** Follow `field` (a composer's textarea): from now on an `@` in it offers people. */
export function picker(field, api) {
  if (followed.has(field)) return;
  followed.add(field);
  const form = field.form;
  adopt(field.getRootNode());
  const id = `pk${++ids}`;
  const list = h('ul', { class: 'picker', role: 'listbox', id, 'aria-label': 'People to mention', hidden: true });
  const say = h('span', { class: 'sr', role: 'status' });
  field.after(h('div', { class: 'pk-anchor' }, list, say));
  field.setAttribute('role', 'combobox');
  field.setAttribute('aria-autocomplete', 'list');
  field.setAttribute('aria-controls', id);
  field.setAttribute('aria-expanded', 'false');
  // where the `@` is, what follows it, what was found, which option is active, the newest question asked
  let at = -1;
  let asked = null;
  let found = [];
  let active = -1;
  let ticket = 0;
  let timer;

  const close = () => {
    clearTimeout(timer);
    ticket++;
    asked = null;
    found = [];
    list.hidden = true;
    list.replaceChildren();
    field.setAttribute('aria-expanded', 'false');
    field.removeAttribute('aria-activedescendant');
  };

  const activate = (i) => {
    active = i;
    for (const [n, option] of [...list.children].entries()) option.setAttribute('aria-selected', String(n === i));
    const option = list.children[i];
    if (!option) return;
    field.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  };

  const choose = (i) => {
    const person = found[i];
    if (!person) return;
    field.setRangeText(`@${person.handle} `, at, field.selectionStart, 'end');
    close();
    // the composer keeps its draft and count up to date
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  };

  const show = (people) => {
    found = people;
    list.replaceChildren(...(people.length ? people.map((person, i) => {
      const face = avatar(person, 'sm');
      face.removeAttribute('data-person');
      return h('li', { class: 'pk-option', role: 'option', id: `${id}-${i}`, 'aria-selected': 'false',
        // the box keeps the focus (and the caret) while the mouse picks
        onmousedown: (e) => e.preventDefault(), onclick: () => choose(i) },
      face, h('span', { class: 'pk-text' }, h('span', { class: 'pk-name', text: person.name }),
        h('span', { class: 'pk-handle', text: [`@${person.handle}`, person.title].filter(Boolean).join(' · ') })));
    }) : [h('li', { class: 'pk-none', role: 'option', 'aria-disabled': 'true', text: 'No one matches' })]));
    list.hidden = false;
    field.setAttribute('aria-expanded', 'true');
    say.textContent = people.length ? plural(people.length, 'person', 'people') : 'No one matches';
    activate(people.length ? 0 : -1);
    if (!people.length) field.removeAttribute('aria-activedescendant');
  };

  const ask = async (query) => {
    // a newer question makes this one's answer moot
    const mine = ++ticket;
    try {
      const { items } = await api.get('/people', { q: query, limit: SHOWN });
      if (mine === ticket) show(items);
    } catch {
      if (mine === ticket) close();
    }
  };

  const check = () => {
    const caret = field.selectionStart;
    const typed = caret === field.selectionEnd && TYPED.exec(field.value.slice(0, caret));
    if (!typed) return close();
    const query = typed[1];
    if (query === asked) return;
    at = caret - query.length - 1;
    asked = query;
    clearTimeout(timer);
    ticket++;
    timer = setTimeout(() => ask(query), WAIT);
  };

  field.addEventListener('input', check);
  field.addEventListener('click', check);
  field.addEventListener('blur', close);
  // before the composer's own keys (its Escape closes a reply box): capture on the form
  form.addEventListener('keydown', (e) => {
    if (e.target !== field || list.hidden) return;
    const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (step && found.length) activate((active + step + found.length) % found.length);
    else if ((e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey)) && !e.ctrlKey && !e.metaKey && found.length) choose(active);
    else if (e.key === 'Escape') close();
    else {
      if (/^Arrow(Left|Right)$|^Home$|^End$/.test(e.key)) setTimeout(check);
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }, true);
  check();
}
