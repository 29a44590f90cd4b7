// The lightbox: pictures over the page, one at a time.
import { h, iconButton } from '../dom.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.lightbox { width: 100vw; height: 100dvh; max-width: none; max-height: none; margin: 0; padding: 0; border: 0; color: #fff;
  background: rgba(8, 8, 12, .95); font: 14px/1.5 var(--_font); }
.lightbox::backdrop { background: transparent; }
.lb-figure { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 10px; height: 100%; margin: 0;
  padding: 56px 64px 28px; }
.lb-img { display: block; width: auto; height: auto; max-width: 100%; max-height: calc(100% - 32px); object-fit: contain;
  border-radius: 4px; box-shadow: 0 10px 40px rgba(0, 0, 0, .5); }
.lb-caption { max-width: 70ch; font-size: 13.5px; color: #d6d6de; text-align: center; }
.lb-caption:empty { display: none; }
.lb-count { position: absolute; top: 14px; left: 18px; margin: 0; font-size: 13px; font-weight: 600; color: #d6d6de; font-variant-numeric: tabular-nums; }
.lightbox .btn-icon { position: absolute; width: 44px; height: 44px; border-radius: 50%; color: #fff; background: rgba(255, 255, 255, .12); }
.lightbox .btn-icon:hover { background: rgba(255, 255, 255, .24); color: #fff; }
.lightbox .icon { width: 22px; height: 22px; }
.lightbox :focus-visible { outline-color: #fff; }
.lb-close { top: 8px; right: 10px; }
.lb-back, .lb-next { top: 50%; margin-top: -22px; }
.lb-back { left: 10px; }
.lb-next { right: 10px; }
@media (max-width: 600px) {
  .lb-figure { padding: 60px 8px 76px; }
  .lb-back, .lb-next { top: auto; bottom: 16px; }
  .lb-back { left: calc(50% - 56px); }
  .lb-next { right: calc(50% - 56px); }
}
`);

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
  adopt(thumbs[start].getRootNode());
  thumbs[start].getRootNode().append(dialog);
  dialog.showModal();
  close.focus();
}
