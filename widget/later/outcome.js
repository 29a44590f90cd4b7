// What a conversation led to, and questions: a card's outcome banner ("Led to a change · 3 days
// after it started", the summary, its link), its question badge, and for the author, a moderator
// or an admin "Record an outcome" — a sheet with the summary and an optional link, which also
// withdraws it. Out of the first load: a card imports it when it has an outcome or a question,
// or its reader may record one (card.js); its CSS comes with it.
import { h, icon, iconButton, safeUrl } from '../dom.js';
import { plural, renderHtml } from '../text.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
:host { --_ok: #0b6b5d; }
:host([theme=dark]) { --_ok: #5fe0c6; }
@media (prefers-color-scheme: dark) { :host([theme=auto]), :host(:not([theme])) { --_ok: #5fe0c6; } }
.outcome { display: flex; gap: 8px; margin: 10px 0 2px 46px; padding: 8px 10px; border-radius: 8px; font-size: 13px;
  background: color-mix(in srgb, #0e9f8a 12%, transparent); border: 1px solid color-mix(in srgb, #0e9f8a 28%, transparent); }
.outcome > .icon { margin-top: 3px; color: #0e9f8a; }
.outcome-text { min-width: 0; }
.outcome-text > strong { display: block; font-size: 12.5px; color: var(--_ok); }
.outcome .body { margin: 2px 0 0; font-size: 13px; }
.outcome .body p { margin: 0; }
.outcome a { font-size: 12.5px; color: var(--_accent-text); }
.q { align-self: flex-start; margin: 4px 0 0; padding: 1px 8px; border-radius: 9px; font-size: 11.5px; font-weight: 650; white-space: nowrap;
  color: var(--_accent-text); background: var(--_accent-soft); }
.q.answered { color: var(--_ok); background: color-mix(in srgb, #0e9f8a 14%, transparent); }
.record[aria-pressed=true] { color: #0e9f8a; }
.outcome-sheet { position: fixed; margin: 0; width: min(420px, calc(100vw - 24px)); padding: 0; border: 1px solid var(--_border); border-radius: 12px;
  color: var(--_text); background: var(--_raised); box-shadow: 0 12px 40px rgba(15, 15, 40, .28); }
.outcome-sheet::backdrop { background: rgba(10, 10, 20, .4); }
.outcome-sheet form { display: flex; flex-direction: column; gap: 10px; padding: 16px; }
.outcome-sheet h3 { margin: 0; font-size: 15px; }
.outcome-sheet p { margin: 0; font-size: 12.5px; color: var(--_muted); }
.outcome-sheet label { display: flex; flex-direction: column; gap: 4px; font-size: 12.5px; font-weight: 600; }
.outcome-sheet textarea, .outcome-sheet input { padding: 7px 9px; border: 1px solid var(--_border-strong); border-radius: 8px;
  font-weight: 400; background: var(--_bg); }
.outcome-sheet textarea { min-height: 84px; resize: vertical; }
.outcome-sheet .error { margin: 0; font-size: 12.5px; color: var(--_danger); }
.outcome-sheet .error:empty { display: none; }
.sheet-bar { display: flex; gap: 8px; align-items: center; }
`);

/** A check mark, drawn like the core's icons (its path is not in the first load). */
export function check() {
  const svg = icon('back');
  svg.firstChild.setAttribute('d', 'M5 12l5 5 9-10');
  return svg;
}

/** May the signed-in reader record this post's outcome (its author, a moderator, an admin)? */
export function mayDecide(post, api) {
  const me = api.session?.user;
  return !!(post.can_edit || post.can_delete || me?.is_moderator || me?.is_admin);
}

/** "3 days after it started" (or "the day it started"). */
export function after(days) {
  const d = Math.round(days || 0);
  return d ? `${plural(d, 'day')} after it started` : 'the day it started';
}

/** The banner of an outcome. */
export function banner(o) {
  const url = safeUrl(o.url);
  return h('div', { class: 'outcome', role: 'note', 'aria-label': 'Outcome' }, check(),
    h('div', { class: 'outcome-text' }, h('strong', { text: `Led to a change · ${after(o.days)}` }),
      h('div', { class: 'body' }, renderHtml(o.html, o.summary)),
      url && h('a', { href: url, target: '_top', rel: 'noopener', text: 'See what changed' })));
}

// the heads already marked: a card shown again gets a new one
const marked = new WeakSet();

/** Add a card's banner, badge and (for those who may) its Record button, once per rendering. */
export function marks(card, ctx) {
  const post = card.post;
  const head = card.el.querySelector(':scope > .head');
  const root = card.el.getRootNode();
  // a card gone meanwhile (another tab, a new page) is not shown again
  if (!head || marked.has(head) || !root.adoptedStyleSheets) return;
  marked.add(head);
  adopt(root);
  if (post.kind === 'question') {
    head.querySelector('.byline').after(h('span', { class: `q${post.answer_id ? ' answered' : ''}`,
      text: post.answer_id ? 'Answered' : 'Question' }));
  }
  if (mayDecide(post, ctx.api)) {
    const record = iconButton('back', post.outcome ? 'Change or withdraw the outcome' : 'Record an outcome: what this led to',
      () => sheet(card, ctx, record), { class: 'btn-icon record', 'aria-pressed': String(!!post.outcome) });
    record.replaceChildren(check());
    const own = head.querySelector('.own');
    // the author's own buttons are drawn again after "Delete?": the Record button stays among them
    const keep = () => own.contains(record) || own.classList.contains('asking') || own.prepend(record);
    new MutationObserver(keep).observe(own, { childList: true });
    keep();
  }
  // after what was said, before the buttons: what it led to
  if (post.outcome) card.el.querySelector(':scope > .actions').before(banner(post.outcome));
  // a comment marked as the answer in the thread (thread.js) shows on the card at once
  if (!marked.has(card.el)) {
    marked.add(card.el);
    card.el.addEventListener('chatter-answer', (event) => card.apply('post.updated', event.detail, true));
  }
}

/** The sheet that records, changes or withdraws the outcome; focus returns to the card's button. */
function sheet(card, ctx, from) {
  const { api, notify } = ctx;
  const post = card.post;
  const had = post.outcome;
  const summary = h('textarea', { name: 'summary', required: true, maxlength: 1000,
    placeholder: 'e.g. Billable time is now tracked in the new time sheet, from Monday.' });
  summary.value = had?.summary || '';
  const url = h('input', { type: 'url', name: 'url', placeholder: 'https://…', value: had?.url || '' });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'btn primary', text: had ? 'Save' : 'Record outcome' });
  const close = () => dialog.close();
  const done = (fresh, message) => {
    card.apply('post.updated', fresh, true);
    close();
    notify(message);
  };
  const busy = async (button, text, work) => {
    const before = button.textContent;
    button.disabled = true;
    button.textContent = text;
    error.textContent = '';
    try {
      await work();
    } catch (failure) {
      error.textContent = [failure.message, ...Object.values(failure.errors || {}).flat()].join(' ');
    } finally {
      button.disabled = false;
      button.textContent = before;
    }
  };
  const withdraw = had && h('button', { type: 'button', class: 'btn ghost', text: 'Withdraw outcome',
    onclick: () => busy(withdraw, 'Withdrawing…', async () =>
      done(await api.call('DELETE', `/posts/${post.id}/outcome`), 'Outcome withdrawn.')) });
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h3', { text: had ? 'What this conversation led to' : 'Record an outcome' }),
    h('p', { text: 'Say what changed because of this conversation. Everyone who took part is told.' }),
    h('label', {}, 'What changed', summary), h('label', {}, 'Link (optional)', url), error,
    h('div', { class: 'sheet-bar' }, withdraw, h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn ghost', text: 'Cancel', onclick: close }), save));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!summary.value.trim()) {
      error.textContent = 'Say what changed.';
      return summary.focus();
    }
    busy(save, 'Saving…', async () => done(await api.call('PUT', `/posts/${post.id}/outcome`,
      { summary: summary.value.trim(), url: url.value.trim() || null }), had ? 'Outcome updated.' : 'Outcome recorded.'));
  });
  const dialog = h('dialog', { class: 'outcome-sheet', 'aria-label': had ? 'Change the outcome' : 'Record an outcome' }, form);
  // Escape and the dialog's own close keep the pane open; focus goes back to the (new) button
  dialog.addEventListener('keydown', (event) => event.key === 'Escape' && event.stopPropagation());
  dialog.addEventListener('close', () => {
    dialog.remove();
    (from.isConnected ? from : card.el.querySelector('.record'))?.focus();
  });
  const pane = card.el.getRootNode().querySelector('.pane');
  pane.append(dialog);
  dialog.showModal();
  // over the pane, not the middle of the page beside it
  const box = pane.getBoundingClientRect();
  const width = Math.min(420, box.width - 24);
  dialog.style.width = `${width}px`;
  dialog.style.left = `${Math.max(12, box.left + (box.width - width) / 2)}px`;
  dialog.style.top = `${Math.max(12, Math.min(box.top + 80, innerHeight - dialog.offsetHeight - 12))}px`;
  summary.focus();
}
