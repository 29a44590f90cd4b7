// The lightbox: pictures over the page, one at a time.
import { h, iconButton } from '../dom.js';

/** A modal over the page: arrows step through, Esc closes, focus returns to the thumbnail shown last. */
export function lightbox(items, start, thumbs) {
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
