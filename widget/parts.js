// Pieces shared by posts and comments: the byline, toggle buttons, the author's own actions.
import { avatar, h, icon, iconButton } from './dom.js';
import { later } from './later.js';
import { renderHtml } from './text.js';
import { timeElement, titleLater } from './time.js';

let ids = 0;
export const uid = (prefix) => `${prefix}${++ids}`;

export function byline(person, item, nameId, size = 'md') {
  const meta = [person.title, person.department].filter(Boolean).join(' · ');
  // "· edited" opens the earlier texts (element.js: any [data-history])
  const edited = item.edited_at && h('button', { type: 'button', class: 'edited', text: '· edited',
    'data-history': `${item.post_id ? 'comments' : 'posts'}/${item.id}` });
  if (edited) titleLater(edited, item.edited_at, 'Edited ');
  const when = h('span', { class: 'when' }, timeElement(item.created_at), edited);
  // the name (and, by mouse, the avatar) opens the person's card (element.js)
  return h('header', { class: 'byline' }, avatar(person, size),
    h('div', { class: 'who' },
      // one line each, cut with an ellipsis: the tooltip shows what was cut
      h('div', { class: 'name-row' }, h('button', { type: 'button', class: 'name', id: nameId, text: person.name, title: person.name,
        'data-person': person.id }), when),
      meta && h('div', { class: 'meta', text: meta, title: meta })));
}

/** Show who liked or promoted `item` (kind: 'likes' or 'promotions') under `button`; ctx = {api, notify}. */
const seeWho = (button, kind, item, ctx) =>
  later('people.js').then((m) => m.who(button, kind, item, ctx), (error) => ctx.notify(error.message, true));

export function body(item) {
  return h('div', { class: 'body', id: uid('b') }, renderHtml(item.html, item.body));
}

// Long text is clamped to ~10 lines; "Show more" shows only when it really overflows, measured
// whenever the text's box changes size (first layout, a narrower pane). One observer for every card;
// a body seen detached is dropped.
const folds = new WeakMap();
const watcher = new ResizeObserver((entries) => entries.forEach(({ target }) =>
  (target.isConnected ? folds.get(target)() : watcher.unobserve(target))));

/** `content` (a body) clamped, with a Show more / Show less button after it: one element. */
export function collapsible(content) {
  const more = h('button', { type: 'button', class: 'btn link show-more', 'aria-controls': content.id, hidden: true,
    onclick: () => {
      const open = content.classList.contains('clamp');
      set(open);
      // folding a long text moves the button far up: bring it back under the reader's eyes
      if (!open) more.scrollIntoView({ block: 'nearest' });
    } });
  const set = (open) => {
    content.classList.toggle('clamp', !open);
    more.textContent = open ? 'Show less' : 'Show more';
    more.setAttribute('aria-expanded', open);
  };
  set(false);
  folds.set(content, () => {
    if (!content.classList.contains('clamp')) return;
    const over = content.scrollHeight > content.clientHeight + 1;
    content.classList.toggle('cut', over);
    more.hidden = !over;
  });
  watcher.observe(content);
  return h('div', { class: 'content' }, content, more);
}

// The count is a button of its own that shows who: `who` is seeWho's [kind, item, ctx].
/** A pressed/unpressed button and its count, updated optimistically and rolled back on failure: {el, set}. */
export function toggle({ iconName, label, pressed, count, onChange, notify, title, who }) {
  const button = h('button', { type: 'button', class: `react ${iconName}` }, icon(iconName),
    h('span', { class: 'sr', text: label }));
  const n = h('button', { type: 'button', class: 'react n', onclick: () => seeWho(n, ...who) });
  let state;
  const set = (next) => {
    state = next;
    button.setAttribute('aria-pressed', String(next.pressed));
    n.textContent = next.count || '';
    n.hidden = !next.count;
    n.setAttribute('aria-label', `See who: ${next.count}`);
    if (title) button.title = title(next);
  };
  set({ pressed, count });
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy')) return;
    const before = state;
    set({ pressed: !before.pressed, count: Math.max(0, before.count + (before.pressed ? -1 : 1)) });
    button.setAttribute('aria-busy', 'true');
    try {
      set(await onChange(!before.pressed));
    } catch (error) {
      set(before);
      notify(error.message, true);
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  // set(): live updates, absolute counts and pressed states from the viewer's other tabs
  // el: both buttons, for h() to place side by side
  return { el: [button, n], set };
}

/** Copy link for everyone, edit and delete for the author; delete asks inline, never with a blocking dialog. */
export function ownActions({ what, item, onEdit, onDelete, onFlag, notify }) {
  const box = h('div', { class: 'own' });
  const link = iconButton('chain', `Copy link to this ${what}`, () =>
    later('copy.js').then((m) => m.copy(item.link, notify, link)));
  const idle = () => {
    box.classList.remove('asking');
    const buttons = item.link ? [link] : [];
    // others' items: Flag, or Withdraw flag (widget/later/policing.js keeps the label true)
    if (onFlag) buttons.push(iconButton('flag', item.flagged_by_me ? 'Withdraw flag' : `Flag ${what}`, onFlag,
      { class: 'btn-icon flag', 'aria-pressed': String(!!item.flagged_by_me) }));
    if (item.can_edit) buttons.push(h('button', { type: 'button', class: 'btn-icon edit', 'aria-label': `Edit ${what}`, title: 'Edit', onclick: onEdit }, icon('edit')));
    if (item.can_delete) buttons.push(h('button', { type: 'button', class: 'btn-icon danger', 'aria-label': `Delete ${what}`, title: 'Delete', onclick: confirm }, icon('trash')));
    box.replaceChildren(...buttons);
  };
  const confirm = () => {
    // back to the Delete button, kept or failed
    const back = () => { idle(); box.querySelector('.danger')?.focus(); };
    const keep = h('button', { type: 'button', class: 'btn ghost sm', text: 'Keep', onclick: back });
    const yes = h('button', { type: 'button', class: 'btn danger sm', text: 'Delete', onclick: async () => {
      yes.disabled = true;
      yes.textContent = 'Deleting…';
      try {
        await onDelete();
      } catch (error) {
        notify(error.message, true);
        back();
      }
    } });
    box.classList.add('asking');
    box.replaceChildren(h('span', { class: 'confirm', role: 'group', 'aria-label': `Delete this ${what}?` },
      h('span', { text: `Delete this ${what}?` }), keep, yes));
    keep.focus();
  };
  idle();
  return box;
}
