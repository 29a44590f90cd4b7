// The pictures of one composer, out of the first load: made with the first picture given to it
// (by its button, a drop or a paste: composer.js), a tray of previews with its CSS. Each picture
// uploads in its turn, with progress and retry; the limits are the server's (api.limits).
import { PICTURE_TYPES as TYPES } from '../composer.js';
import { h, icon, iconButton, randomKey } from '../dom.js';
import { plural } from '../text.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.tray { display: flex; flex-direction: column; gap: 6px; margin: 2px 0 0; padding: 0; list-style: none; }
.tray:empty { display: none; }
.tile { display: flex; align-items: center; gap: 10px; padding: 6px 4px 6px 6px; border: 1px solid var(--_border); border-radius: 8px;
  background: var(--_surface); }
.tile.failed { border-color: color-mix(in srgb, var(--_danger) 50%, var(--_border)); }
.thumb { display: grid; place-items: center; width: 52px; height: 52px; flex: none; border-radius: 6px; object-fit: cover;
  background: var(--_skeleton); color: var(--_faint); }
.thumb .icon { width: 22px; height: 22px; }
.tile-main { display: flex; flex-direction: column; gap: 5px; flex: 1; min-width: 0; }
.alt { width: 100%; height: 28px; padding: 0 8px; border: 1px solid var(--_border); border-radius: 6px; background: var(--_raised); font-size: 12.5px; }
.alt::placeholder { color: var(--_faint); }
.alt:focus { outline: none; border-color: var(--_accent); }
.tile-status { display: flex; align-items: center; gap: 8px; min-height: 18px; font-size: 12px; line-height: 1.35; color: var(--_muted); }
.failed .tile-status { color: var(--_danger); }
.status { min-width: 0; }
.retry { flex: none; font-size: 12px; }
.bar { flex: 1; max-width: 160px; height: 5px; border: 0; border-radius: 3px; overflow: hidden; appearance: none; background: var(--_border); }
.bar::-webkit-progress-bar { background: var(--_border); }
.bar::-webkit-progress-value { background: var(--_accent); transition: width .2s; }
.bar::-moz-progress-bar { background: var(--_accent); }
`);

// One upload at a time for the whole page, whichever composer it is in.
let turn = Promise.resolve();
function inTurn(send) {
  const mine = turn.then(send);
  turn = mine.catch(() => {});
  return mine;
}

export class Attachments {
  // one {file, key, url, el, bar, status, retry, alt, remove, run, result, failed} per picture
  #items = [];
  #api;
  #form;
  #changed;
  #say;

  /** In `form` after `field`; `changed()` after every state change; `say(message)` for a file refused before upload. */
  constructor({ api, form, field, button, changed, say }) {
    this.#api = api;
    this.#form = form;
    this.#changed = changed;
    this.#say = say;
    this.button = button;
    this.tray = h('ul', { class: 'tray', 'aria-label': 'Pictures to post' });
    field.after(this.tray);
    adopt(form.getRootNode());
  }

  get count() {
    return this.#items.length;
  }

  get uploading() {
    return this.#items.some((it) => !it.result && !it.failed);
  }

  /** The `images` of a post once every upload finished; throws when one failed. */
  async ready() {
    for (let waiting; (waiting = this.#items.filter((it) => !it.result && !it.failed)).length;) {
      await Promise.all(waiting.map((it) => it.run));
    }
    if (this.#items.some((it) => it.failed)) throw new Error('A picture could not be uploaded: retry it or remove it.');
    return this.#items.map(({ result, alt }) => (alt.value.trim() ? { id: result.id, alt: alt.value.trim() } : result.id));
  }

  clear() {
    for (const it of this.#items) URL.revokeObjectURL(it.url);
    this.#items.length = 0;
    this.#paint();
  }

  /** Take `files` (checked here: refused ones are said). */
  add(files) {
    const { images_per_item: most, upload_bytes: bytes } = this.#api.limits || {};
    const refused = [];
    for (const file of files) {
      if (this.#items.length >= most) refused.push(`Up to ${plural(most, 'picture')} each time.`);
      else if (!TYPES.includes(file.type)) refused.push(`“${file.name}” is not a JPEG, PNG, GIF or WebP picture.`);
      else if (file.size > bytes) refused.push(`“${file.name}” is larger than ${+(bytes / 2 ** 20).toFixed(1)} MiB.`);
      else this.#items.push(this.#tile(file));
    }
    this.#say([...new Set(refused)].join(' '));
    this.#paint();
  }

  #tile(file) {
    const it = { file, key: randomKey(), url: URL.createObjectURL(file) };
    it.bar = h('progress', { class: 'bar', max: '100', value: '0' });
    it.status = h('span', { class: 'status' });
    it.retry = h('button', { type: 'button', class: 'btn link retry', text: 'Retry', onclick: () => this.#start(it) });
    it.alt = h('input', { type: 'text', class: 'alt', maxlength: this.#api.limits?.alt_text,
      placeholder: 'Describe it (optional)' });
    it.remove = iconButton('close', 'Remove picture', () => this.#drop(it), { class: 'btn-icon' });
    // a file the browser cannot show either (the server will say why) gets an icon
    const thumb = h('img', { class: 'thumb', src: it.url, alt: '',
      onerror: () => thumb.replaceWith(h('span', { class: 'thumb' }, icon('image'))) });
    it.el = h('li', { class: 'tile' }, thumb,
      h('div', { class: 'tile-main' }, it.alt, h('div', { class: 'tile-status', 'aria-live': 'polite' }, it.bar, it.status, it.retry)),
      it.remove);
    this.#start(it);
    return it;
  }

  // An upload keeps its Idempotency-Key across retries, so a lost response never makes two.
  // The server decodes one picture per person at a time, so this page sends them one by one.
  #start(it) {
    it.failed = it.result = null;
    it.abort = new AbortController();
    it.el.classList.remove('failed');
    it.bar.hidden = false;
    it.retry.hidden = true;
    it.bar.value = 0;
    it.status.textContent = 'Waiting…';
    const run = it.run = inTurn(() => (run === it.run ? this.#send(it) : null)).then((result) => {
      if (run !== it.run) return;
      it.result = result;
      it.status.textContent = `Ready · ${result.width} × ${result.height}`;
    }, (error) => {
      if (run !== it.run) return;
      it.failed = error;
      it.el.classList.add('failed');
      it.status.textContent = error.message;
      it.retry.hidden = false;
    }).finally(() => {
      if (run === it.run) it.bar.hidden = true;
      this.#changed();
    });
    this.#changed();
  }

  // Another tab of this person may be uploading: wait as the server says, a few times.
  async #send(it, tries = 5) {
    it.status.textContent = 'Uploading…';
    try {
      return await this.#api.upload(it.file, it.key, (f) => {
        it.bar.value = Math.round(f * 100);
        it.status.textContent = f < 1 ? `${it.bar.value}%` : 'Processing…';
      }, it.abort.signal);
    } catch (error) {
      if (error.code !== 'upload_in_progress' || tries <= 1 || it.abort.signal.aborted) throw error;
      it.status.textContent = 'Waiting…';
      await new Promise((done) => setTimeout(done, 2000));
      return this.#send(it, tries - 1);
    }
  }

  #drop(it) {
    const items = this.#items;
    it.run = null;
    it.abort.abort();
    URL.revokeObjectURL(it.url);
    const at = items.indexOf(it);
    items.splice(at, 1);
    this.#paint();
    const next = items[at] || items[at - 1];
    (next ? next.remove : this.#form.querySelector('textarea')).focus();
  }

  #paint() {
    const items = this.#items;
    items.forEach((it, i) => {
      const name = `picture ${i + 1}${items.length > 1 ? ` of ${items.length}` : ''}`;
      it.alt.setAttribute('aria-label', `Describe ${name} (optional)`);
      it.remove.setAttribute('aria-label', `Remove ${name}`);
      it.retry.setAttribute('aria-label', `Retry uploading ${name}`);
    });
    this.tray.replaceChildren(...items.map((it) => it.el));
    this.button.disabled = items.length >= this.#api.limits?.images_per_item;
    this.#changed();
  }
}
