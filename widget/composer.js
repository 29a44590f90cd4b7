// A text box that posts: Ctrl/Cmd+Enter, a count near the limit, posting state, inline errors.
// A failed post keeps its draft and retries with the same Idempotency-Key, so it is never doubled.
// Its length limit (`limit`, e.g. 'post_body') is the server's, from `api.limits`. With `pictures`,
// it takes pictures too (by its button, a drop or a paste) and posts once their uploads are done: the
// tray, checks and uploads come with the first picture (widget/later/attachments.js). With `draft` (a key), its text is
// kept in `drafts` until it is posted: a box made again under the same key (another tab or sort,
// the thread shown again) starts from it. Memory only: the host page owns every storage.
import { h, iconButton, randomKey } from './dom.js';
import { later } from './later.js';
import { length } from './text.js';

let ids = 0;
// the pictures a composer takes (attachments.js checks each file)
export const PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
// draft key -> text, for the page's life
const drafts = new Map();

/** Whether a draft is kept under `key`, or under any key starting `key/` (a reply's). */
export const hasDraft = (key) => [...drafts.keys()].some((k) => k === key || k.startsWith(`${key}/`));

export function composer({ label, placeholder, limit, submitText, busyText, initial = '', onSubmit, onSent, onCancel,
  cancelText = 'Cancel', className = '', api, pictures, draft }) {
  // unknown until the first sign-in answers; the server checks anyway
  const most = () => api.limits?.[limit] ?? Infinity;
  const id = `c${++ids}`;
  const field = h('textarea', { id: `${id}-t`, class: 'field', rows: '1', placeholder, 'aria-label': label,
    'aria-describedby': `${id}-e ${id}-n` });
  field.value = (draft && drafts.get(draft)) ?? initial;
  const count = h('span', { id: `${id}-n`, class: 'count', 'aria-live': 'polite' });
  const error = h('p', { id: `${id}-e`, class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn primary', text: submitText });
  const hint = h('span', { class: 'hint', 'aria-hidden': 'true', text: /Mac|iP/.test(navigator.platform) ? '⌘ ↵' : 'Ctrl ↵' });
  const cancel = onCancel && h('button', { type: 'button', class: 'btn ghost', text: cancelText, onclick: onCancel });
  const form = h('form', { class: `composer ${className}`, novalidate: true });
  // the Attachments, made with the first picture given
  let pics = null;
  const say = (text) => { error.textContent = text; };
  const take = (files) => files.length && later('attachments.js').then((m) => {
    pics ||= new m.Attachments({ api, form, field, button: attach, changed: () => update(), say });
    pics.add(files);
  }, (failure) => say(failure.message));
  const input = pictures && h('input', { type: 'file', accept: PICTURE_TYPES.join(), multiple: true, hidden: true,
    onchange: () => { take([...input.files]); input.value = ''; } });
  const attach = pictures && iconButton('image', 'Attach pictures', () => input.click(), { class: 'btn-icon attach' });
  if (pictures) dropsAndPastes(form, take);
  form.append(field, error, h('div', { class: 'composer-bar' }, attach, input, count,
    h('span', { class: 'spacer' }), hint, cancel, submit));
  // {what, key} of the last failed try
  let attempt = null;
  let busy = false;

  function update() {
    const max = most();
    const left = max - length(field.value);
    const known = max < Infinity;
    if (known) field.maxLength = max * 2;
    count.textContent = known && left <= Math.max(50, max * 0.2) ? `${left}` : '';
    count.classList.toggle('over', left < 0);
    submit.disabled = busy || (!field.value.trim() && !pics?.count) || left < 0;
    form.classList.toggle('has-text', field.value.length > 0 || !!pics?.count);
  }

  async function send(event) {
    event?.preventDefault();
    const body = field.value.trim();
    if (busy || (!body && !pics?.count) || length(body) > most()) return;
    let what;
    let key;
    busy = true;
    field.readOnly = true;
    submit.textContent = pics?.uploading ? 'Uploading…' : busyText;
    form.setAttribute('aria-busy', 'true');
    error.textContent = '';
    update();
    try {
      const images = await pics?.ready();
      submit.textContent = busyText;
      what = JSON.stringify([body, images]);
      key = attempt && attempt.what === what ? attempt.key : randomKey();
      await onSubmit(body, key, images?.length ? images : undefined);
      attempt = null;
      pics?.clear();
      field.value = initial && onCancel ? field.value : '';
      drafts.delete(draft);
      onSent?.();
    } catch (failure) {
      if (key) attempt = { what, key };
      const fields = Object.values(failure.errors || {}).flat();
      error.textContent = [failure.message, ...fields].filter(Boolean).join(' ');
    } finally {
      busy = false;
      field.readOnly = false;
      submit.textContent = submitText;
      form.removeAttribute('aria-busy');
      update();
    }
  }

  field.addEventListener('input', (event) => {
    if (draft) field.value.trim() ? drafts.set(draft, field.value) : drafts.delete(draft);
    update();
    // the @ picker is loaded with the first `@` and then follows the box itself
    if (/@/.test(event.data)) later('picker.js').then((m) => m.picker(field, api), () => {});
  });
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send(event);
    else if (event.key === 'Escape' && onCancel) {
      // the box's own Escape: the pane (collapsed by Escape on a phone) stays open
      event.stopPropagation();
      onCancel();
    }
  });
  form.addEventListener('submit', send);
  update();
  return { el: form, field, focus: () => field.focus() };
}

/** Files from a drop or paste event (pictures or not; attachments.js checks them). */
const filesOf = (transfer) => [...(transfer?.files || [])];

/** Pictures dropped or pasted onto `form` go to `take(files)`. */
function dropsAndPastes(form, take) {
  const on = (type, handler) => form.addEventListener(type, handler);
  const dragging = (e) => e.dataTransfer?.types.includes('Files');
  const hover = (e) => {
    if (!dragging(e)) return;
    e.preventDefault();
    form.classList.add('dropping');
  };
  on('dragenter', hover);
  on('dragover', hover);
  on('dragleave', (e) => form.contains(e.relatedTarget) || form.classList.remove('dropping'));
  on('drop', (e) => {
    form.classList.remove('dropping');
    if (!dragging(e)) return;
    e.preventDefault();
    take(filesOf(e.dataTransfer));
  });
  // a picture pasted; a spreadsheet range (text and a picture of it) pastes as text
  on('paste', (e) => {
    const files = filesOf(e.clipboardData);
    if (!files.length || e.clipboardData.types.includes('text/plain')) return;
    e.preventDefault();
    take(files);
  });
}
