// Self-policing in the cards: the placeholder of a hidden item ("Show anyway") or the notice above
// it for its author, the flag sheet (five reasons, an optional note) and Withdraw flag, and the edit
// history that "· edited" opens. Out of the first load: cards import it for a hidden item or a
// Flag, the pane for an edit history (element.js).
import { h, icon, iconButton } from '../dom.js';
import { plural, renderHtml } from '../text.js';
import { timeElement } from '../time.js';
import { styles } from './sheet.js';

/** Adopt this module's CSS into a shadow root (once). */
export const adopt = styles(String.raw`
.veil { display: flex; gap: 10px; align-items: flex-start; padding: 2px 0 6px; font-size: 13px; color: var(--_muted); }
.veil:focus-visible { outline-offset: 4px; }
.veil > .icon { margin-top: 2px; color: var(--_promote); }
.veil-text { flex: 1; display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.veil-title { color: var(--_text); font-weight: 600; }
.veil .btn.link { align-self: flex-start; font-size: 13px; }
.card:has(> .veil.notice) { padding-bottom: 14px; }
.veil.notice { margin: -4px -6px 10px; padding: 8px 10px; border-radius: 8px; background: var(--_promote-soft); }
.comment .veil { padding: 4px 0; }
.comment .veil.notice { margin: 0 0 6px; }
.flag[aria-pressed=true] .icon { fill: currentColor; }
.edited { margin-left: .3em; }
.sheet { width: min(400px, calc(100vw - 24px)); max-height: calc(100dvh - 24px); margin: auto; padding: 0; overflow-y: auto;
  border: 1px solid var(--_border); border-radius: 14px; color: var(--_text); background: var(--_raised);
  font: 14px/1.5 var(--_font); box-shadow: 0 18px 50px rgba(10, 10, 30, .28); overscroll-behavior: contain; }
:host([mode=docked]) .sheet { margin: 56px 12px auto auto; max-height: calc(100dvh - 68px);
  width: min(calc(var(--chatter-width, 380px) - 24px), calc(100vw - 24px)); }
.sheet::backdrop { background: rgba(10, 10, 20, .35); }
.sheet-body { display: flex; flex-direction: column; gap: 12px; padding: 18px; }
.sheet-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 8px; }
.sheet-title { margin: 0; font-size: 16px; font-weight: 650; line-height: 1.35; }
.sheet-text { margin: -6px 0 0; font-size: 13px; color: var(--_muted); }
.reasons { display: flex; flex-direction: column; gap: 2px; margin: 0; padding: 0; border: 0; }
.reason { display: flex; gap: 10px; align-items: flex-start; padding: 7px 8px; border-radius: 8px; cursor: pointer; }
.reason:hover { background: var(--_hover); }
.reason:has(:checked) { background: var(--_accent-soft); }
.reason input { margin: 3px 0 0; accent-color: var(--_accent); }
.reason-name { display: block; font-weight: 600; font-size: 13.5px; }
.reason-hint { display: block; font-size: 12.5px; color: var(--_muted); line-height: 1.4; }
.sheet label.note-label { display: flex; flex-direction: column; gap: 4px; font-size: 12.5px; font-weight: 600; }
.sheet textarea { min-height: 64px; padding: 6px 8px; border: 1px solid var(--_border-strong); border-radius: 8px; resize: vertical;
  background: var(--_bg); font-weight: 400; font-size: 13.5px; }
.sheet textarea:focus { outline: none; border-color: var(--_accent); box-shadow: 0 0 0 3px var(--_accent-soft); }
.sheet-form { display: contents; }
.sheet-bar { display: flex; justify-content: flex-end; gap: 8px; }
.revisions { display: flex; flex-direction: column; gap: 10px; margin: 0; padding: 0; list-style: none; }
.revision { padding: 10px 12px; border: 1px solid var(--_border); border-radius: 10px; background: var(--_surface); }
.revision .when { display: block; margin-bottom: 4px; font-size: 12px; }
.revision .body { margin: 0; font-size: 13.5px; }
`);

// [reason, its name, what it means]
export const REASONS = [
  ['disrespectful', 'Disrespectful', 'Rude, hostile or personal'],
  ['off_topic', 'Off topic', 'Belongs somewhere else'],
  ['confidential', 'Confidential', 'Should not be shared here: its text is withheld until a moderator looks'],
  ['spam', 'Spam', 'Advertising, or the same thing again and again'],
  ['other', 'Something else', 'Say what in the note'],
];
const NAMES = Object.fromEntries(REASONS.map(([key, name]) => [key, name.toLowerCase()]));

/** What hid an item, in words: "Hidden after flags from 3 colleagues in 2 departments — waiting for review". */
export function hiddenLine({ state, by, people, departments }) {
  if (state === 'removed') return 'Removed by a moderator';
  const who = by === 'moderator' ? 'by a moderator'
    : `after flags from ${plural(people, 'colleague')} in ${plural(departments, 'department')}`;
  return `Hidden ${who} — waiting for review`;
}

// the items shown anyway ("post:4", "comment:9"), kept across re-renders of their card
const shown = new Set();

const what = (item) => (item.post_id ? 'comment' : 'conversation');

/**
 * Fill `veil` (the first child of a hidden item's card or comment): for the author, or once shown
 * anyway, a notice above the item; for everyone else the placeholder, with "Show anyway" when the
 * text is not withheld from them.
 */
export function veil(el, item, { api }) {
  const root = el.getRootNode();
  // a comment is rendered before it is in the pane: its thread adopts the CSS (thread.js)
  if (root.adoptedStyleSheets) adopt(root);
  const { hidden } = item;
  const key = `${what(item)}:${item.id}`;
  const mine = item.author.id === api.session?.user.id;
  const line = hiddenLine(hidden);
  const reason = hidden.reason && `Most flags: ${NAMES[hidden.reason] || hidden.reason}.`;
  const has = !!(item.html || item.body || item.images?.length);
  const open = hidden.state !== 'removed' && has && (mine || shown.has(key));
  el.classList.toggle('notice', open);
  el.setAttribute('role', 'note');
  let more = '';
  if (mine && hidden.state !== 'removed') {
    more = `Colleagues see a placeholder${hidden.withheld ? ' without your text' : ''}. Editing your ${what(item)} asks for review again.`;
  } else if (open) more = 'You chose to show it.';
  else if (hidden.state !== 'removed' && hidden.withheld && !has) more = 'Its text is withheld until a moderator has reviewed it.';
  const show = !open && has && hidden.state !== 'removed' && h('button', { type: 'button', class: 'btn link show-anyway', text: 'Show anyway',
    onclick: () => {
      shown.add(key);
      veil(el, item, { api });
      el.tabIndex = -1;
      el.focus();
    } });
  el.replaceChildren(icon(hidden.state === 'removed' ? 'trash' : 'flag'),
    h('div', { class: 'veil-text' }, h('span', { class: 'veil-title', text: line }),
      reason && hidden.state !== 'removed' && h('span', { text: reason }), more && h('span', { text: more }), show));
}

// ---- sheets: a modal dialog over the pane; focus returns where it was when it closes ----------------

/** A sheet titled `title` with `content` (elements), opened over the pane; focus goes back to `back`. */
function sheet(back, title, content) {
  const root = back.getRootNode();
  adopt(root);
  const id = `sheet-${Math.random().toString(36).slice(2)}`;
  const close = iconButton('close', 'Close', () => dialog.close());
  const dialog = h('dialog', { class: 'sheet', 'aria-labelledby': id },
    h('div', { class: 'sheet-body' }, h('div', { class: 'sheet-head' }, h('h2', { class: 'sheet-title', id, text: title }), close),
      content));
  // Escape closes the sheet, not the pane
  dialog.addEventListener('keydown', (e) => e.key === 'Escape' && e.stopPropagation());
  dialog.addEventListener('click', (e) => e.target === dialog && dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    // the button may have been replaced meanwhile (a live event re-rendered its card)
    (back.isConnected ? back : root.activeElement)?.focus?.();
  });
  root.querySelector('.pane').append(dialog);
  dialog.showModal();
  return dialog;
}

/** Paint a Flag button as the item is: flagged by the reader (Withdraw flag) or not. */
function paintFlag(button, item) {
  const label = item.flagged_by_me ? 'Withdraw flag' : `Flag ${what(item)}`;
  button.setAttribute('aria-label', label);
  button.title = label;
  button.setAttribute('aria-pressed', String(!!item.flagged_by_me));
}

/** Flag `item` (a sheet asks why), or withdraw the reader's flag; `button`: its Flag button. */
export async function flag(button, item, { api, notify }) {
  adopt(button.getRootNode());
  const path = `/${item.post_id ? 'comments' : 'posts'}/${item.id}/flags`;
  if (item.flagged_by_me) {
    try {
      const r = await api.call('DELETE', path);
      item.flagged_by_me = r.flagged;
      paintFlag(button, item);
      notify('Flag withdrawn.');
    } catch (error) {
      notify(error.message, true);
    }
    return;
  }
  const name = `reason-${item.id}`;
  const error = h('p', { class: 'error', role: 'alert' });
  const note = h('textarea', { name: 'note', maxlength: api.limits?.flag_note ?? 500, rows: 3 });
  const send = h('button', { type: 'submit', class: 'btn primary', text: 'Flag', disabled: true });
  const cancel = h('button', { type: 'button', class: 'btn ghost', text: 'Cancel', onclick: () => dialog.close() });
  const reasons = h('fieldset', { class: 'reasons' }, h('legend', { class: 'sr', text: 'Reason' }),
    REASONS.map(([value, title, hint]) => h('label', { class: 'reason' },
      h('input', { type: 'radio', name, value, required: true, onchange: () => { send.disabled = false; } }),
      h('span', {}, h('span', { class: 'reason-name', text: title }), h('span', { class: 'reason-hint', text: hint })))));
  const form = h('form', { class: 'sheet-form', onsubmit: async (event) => {
    event.preventDefault();
    const reason = form.querySelector('input:checked')?.value;
    if (!reason) return;
    send.disabled = true;
    send.textContent = 'Flagging…';
    error.textContent = '';
    try {
      const body = { reason };
      if (note.value.trim()) body.note = note.value.trim();
      const r = await api.call('POST', path, body);
      item.flagged_by_me = r.flagged;
      paintFlag(button, item);
      dialog.close();
      notify(r.hidden ? 'Flagged. It is hidden now, until a moderator reviews it.' : 'Flagged. Only moderators see who flagged.');
    } catch (failure) {
      error.textContent = failure.message;
      send.disabled = false;
      send.textContent = 'Flag';
    }
  } }, reasons, h('label', { class: 'note-label' }, 'Note for the moderators (optional)', note), error,
  h('div', { class: 'sheet-bar' }, cancel, send));
  const dialog = sheet(button, `Flag this ${what(item)}`, [
    h('p', { class: 'sheet-text', text: 'When enough colleagues from more than one department flag it, it is hidden until a moderator reviews it. Your name is shown to moderators only.' }),
    form]);
  form.querySelector('input').focus();
}

/** The earlier texts of the item `from` names (its data-history: "posts/4"), newest first, in a sheet. */
export async function history(from, api) {
  const status = h('p', { class: 'sheet-text', role: 'status', text: 'Loading…' });
  const list = h('ol', { class: 'revisions' });
  sheet(from, 'Edit history', [status, list]);
  try {
    const { revisions } = await api.get(`/${from.dataset.history}/revisions`);
    status.textContent = revisions.length ? `${plural(revisions.length, 'earlier version')}, newest first. Everyone can see them.`
      : 'No earlier versions.';
    list.replaceChildren(...revisions.map((r) => h('li', { class: 'revision' },
      h('span', { class: 'when' }, timeElement(r.at, 'Written ')), h('div', { class: 'body' }, renderHtml(r.html, r.text)))));
  } catch (error) {
    status.textContent = `The edit history could not be loaded: ${error.message}`;
  }
}
