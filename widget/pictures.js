// Pictures: attaching them in a composer (picker, drop, paste; one upload each with progress and
// retry), the grid in cards and comments, and the lightbox.
import { h, icon, iconButton, randomKey } from './dom.js';

const TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_BYTES = 10 * 1024 * 1024;
const MAX = 4;

/** Files from a drop or paste event (pictures or not; add() checks them). */
const filesOf = (transfer) => [...(transfer?.files || [])];

/**
 * The pictures of one composer: a picker button, a tray of previews, drop and paste onto `form`.
 * `changed()` after every state change; `say(message)` for a file refused before upload.
 */
export function attachments(api, form, changed, say) {
  const items = [];
  const input = h('input', { type: 'file', accept: TYPES.join(), multiple: true, hidden: true,
    onchange: () => { add(input.files); input.value = ''; } });
  const button = iconButton('image', 'Attach pictures', () => input.click(), { class: 'btn-icon attach' });
  const tray = h('ul', { class: 'tray', 'aria-label': 'Pictures to post' });

  function add(files) {
    const refused = [];
    for (const file of files) {
      if (items.length >= MAX) refused.push(`Up to ${MAX} pictures each time.`);
      else if (!TYPES.includes(file.type)) refused.push(`“${file.name}” is not a JPEG, PNG, GIF or WebP picture.`);
      else if (file.size > MAX_BYTES) refused.push(`“${file.name}” is larger than 10 MiB.`);
      else items.push(tile(file));
    }
    say([...new Set(refused)].join(' '));
    paint();
  }

  function tile(file) {
    const it = { file, key: randomKey(), url: URL.createObjectURL(file) };
    it.bar = h('progress', { class: 'bar', max: '100', value: '0' });
    it.status = h('span', { class: 'status' });
    it.retry = h('button', { type: 'button', class: 'btn link retry', text: 'Retry', onclick: () => start(it) });
    it.alt = h('input', { type: 'text', class: 'alt', maxlength: '300', placeholder: 'Describe it (optional)' });
    it.remove = iconButton('close', 'Remove picture', () => drop(it), { class: 'btn-icon' });
    // a file the browser cannot show either (the server will say why) gets an icon
    const thumb = h('img', { class: 'thumb', src: it.url, alt: '',
      onerror: () => thumb.replaceWith(h('span', { class: 'thumb' }, icon('image'))) });
    it.el = h('li', { class: 'tile' }, thumb,
      h('div', { class: 'tile-main' }, it.alt, h('div', { class: 'tile-status', 'aria-live': 'polite' }, it.bar, it.status, it.retry)),
      it.remove);
    start(it);
    return it;
  }

  // An upload keeps its Idempotency-Key across retries, so a lost response never makes two.
  function start(it) {
    it.failed = it.result = null;
    it.abort = new AbortController();
    it.el.classList.remove('failed');
    it.bar.hidden = false;
    it.retry.hidden = true;
    it.bar.value = 0;
    it.status.textContent = 'Uploading…';
    const run = it.run = api.upload(it.file, it.key, (f) => {
      it.bar.value = Math.round(f * 100);
      it.status.textContent = f < 1 ? `${it.bar.value}%` : 'Processing…';
    }, it.abort.signal).then((result) => {
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
      changed();
    });
    changed();
  }

  function drop(it) {
    it.run = null;
    it.abort.abort();
    URL.revokeObjectURL(it.url);
    const at = items.indexOf(it);
    items.splice(at, 1);
    paint();
    const next = items[at] || items[at - 1];
    (next ? next.remove : form.querySelector('textarea')).focus();
  }

  function paint() {
    items.forEach((it, i) => {
      const name = `picture ${i + 1}${items.length > 1 ? ` of ${items.length}` : ''}`;
      it.alt.setAttribute('aria-label', `Describe ${name} (optional)`);
      it.remove.setAttribute('aria-label', `Remove ${name}`);
      it.retry.setAttribute('aria-label', `Retry uploading ${name}`);
    });
    tray.replaceChildren(...items.map((it) => it.el));
    button.disabled = items.length >= MAX;
    changed();
  }

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
    add(filesOf(e.dataTransfer));
  });
  // a picture pasted; a spreadsheet range (text and a picture of it) pastes as text
  on('paste', (e) => {
    const files = filesOf(e.clipboardData);
    if (!files.length || e.clipboardData.types.includes('text/plain')) return;
    e.preventDefault();
    add(files);
  });

  return {
    button, input, tray,
    get count() {
      return items.length;
    },
    get uploading() {
      return items.some((it) => !it.result && !it.failed);
    },
    /** The `images` of a post once every upload finished; throws when one failed. */
    async ready() {
      for (let waiting; (waiting = items.filter((it) => !it.result && !it.failed)).length;) {
        await Promise.all(waiting.map((it) => it.run));
      }
      if (items.some((it) => it.failed)) {
        throw new Error('A picture could not be uploaded: retry it or remove it.');
      }
      return items.map(({ result, alt }) => (alt.value.trim() ? { id: result.id, alt: alt.value.trim() } : result.id));
    },
    clear() {
      for (const it of items) URL.revokeObjectURL(it.url);
      items.length = 0;
      paint();
    },
  };
}

/** The pictures of a post or comment: a grid of 1–4 that opens the lightbox. */
export function gallery(images, author, origin) {
  if (!images?.length) return null;
  const n = images.length;
  const src = (path) => new URL(path, origin).href;
  const items = images.map((image, i) => ({
    ...image,
    alt: image.alt || `Picture ${n > 1 ? `${i + 1} of ${n} ` : ''}posted by ${author}`,
    caption: image.alt,
    large: src(image.url),
  }));
  const thumbs = items.map((image, i) => h('button', { type: 'button', class: 'pic', 'aria-haspopup': 'dialog',
    onclick: () => lightbox(items, i, thumbs) },
  // loading before src: a detached <img> would otherwise start fetching at once
  h('img', { loading: 'lazy', decoding: 'async', alt: image.alt, width: image.thumbnail_width, height: image.thumbnail_height,
    sizes: `auto, ${n > 1 ? '(max-width: 480px) 45vw, 160px' : '(max-width: 480px) 90vw, 320px'}`,
    srcset: `${src(image.thumbnail_url)} ${image.thumbnail_width}w` +
      (image.width > image.thumbnail_width ? `, ${image.large} ${image.width}w` : ''),
    src: src(image.thumbnail_url) })));
  return h('div', { class: `pics n${n}` }, thumbs);
}

/** A modal over the page: arrows step through, Esc closes, focus returns to the thumbnail shown last. */
function lightbox(items, start, thumbs) {
  const n = items.length;
  let index = start;
  const img = h('img', { class: 'lb-img' });
  const counter = h('p', { class: 'lb-count', 'aria-live': 'polite', hidden: n < 2 });
  const caption = h('figcaption', { class: 'lb-caption' });
  const button = (name, label, onclick) => iconButton(name, label, onclick, { class: `btn-icon lb-${name}`, hidden: n < 2 });
  const close = iconButton('close', 'Close', () => dialog.close(), { class: 'btn-icon lb-close' });
  const figure = h('figure', { class: 'lb-figure' }, img, caption);
  const dialog = h('dialog', { class: 'lightbox', 'aria-label': 'Pictures' }, figure, counter,
    button('back', 'Previous picture', () => show(index - 1)), button('next', 'Next picture', () => show(index + 1)), close);
  const show = (i) => {
    index = (i + n) % n;
    const image = items[index];
    img.src = image.large;
    img.alt = image.alt;
    img.width = image.width;
    img.height = image.height;
    counter.textContent = `${index + 1} / ${n}`;
    caption.textContent = image.caption || '';
  };
  dialog.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    // Esc closes the dialog natively; the docked pane must not close with it
    if (e.key === 'Escape') return e.stopPropagation();
    if (step && n > 1) show(index + step);
    else if (e.key === 'Tab') {
      // keep focus inside the dialog, browser chrome included
      const stops = [...dialog.querySelectorAll('button:not([hidden])')];
      const at = stops.indexOf(dialog.getRootNode().activeElement);
      const to = e.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
      stops[to].focus();
    } else return;
    e.preventDefault();
  });
  // a click beside the picture closes
  dialog.addEventListener('click', (e) => (e.target === dialog || e.target === figure) && dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    thumbs[index].focus();
  });
  show(start);
  thumbs[start].getRootNode().append(dialog);
  dialog.showModal();
  close.focus();
}
