// Pictures shown: the grid in cards and comments; the lightbox loads on the first click.
import { h } from './dom.js';
import { later } from './later.js';

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
    onclick: () => later('lightbox.js').then(({ lightbox }) => lightbox(items, i, thumbs)) },
  // loading before src: a detached <img> would otherwise start fetching at once
  h('img', { loading: 'lazy', decoding: 'async', alt: image.alt, width: image.thumbnail_width, height: image.thumbnail_height,
    sizes: `auto, ${n > 1 ? '(max-width: 480px) 45vw, 160px' : '(max-width: 480px) 90vw, 320px'}`,
    srcset: `${src(image.thumbnail_url)} ${image.thumbnail_width}w` +
      (image.width > image.thumbnail_width ? `, ${image.large} ${image.width}w` : ''),
    src: src(image.thumbnail_url) })));
  return h('div', { class: `pics n${n}` }, thumbs);
}
