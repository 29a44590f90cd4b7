// Build DOM from data, never from HTML strings: h('button', {class: 'x', onclick}, 'Like').
const SVG = 'http://www.w3.org/2000/svg';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

// Icons are paths on a 24px grid, stroked in currentColor.
const PATHS = {
  heart: 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z',
  comment: 'M4 5h16v11H9l-5 4z',
  promote: 'M12 19V5M6 11l6-6 6 6',
  chat: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5',
  close: 'M6 6l12 12M18 6L6 18',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  trash: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13',
  reply: 'M10 8L4 13l6 5M4 13h10a6 6 0 0 1 6 6',
  link: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  chain: 'M9 15l6-6M11 6l2-2a4 4 0 0 1 6 6l-2 2M13 18l-2 2a4 4 0 0 1-6-6l2-2',
  back: 'M15 6l-6 6 6 6',
  next: 'M9 6l6 6-6 6',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01',
  refresh: 'M20 12a8 8 0 1 1-3-6.2M20 4v5h-5',
  bell: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
  chart: 'M5 20v-6M12 20V5M19 20v-9',
  flag: 'M6 21V4h11l-2.5 4 2.5 4H6',
};

export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.append(path);
  return svg;
}

/** A button whose accessible name is `label`, showing an icon and optional visible text. */
export function iconButton(name, label, onclick, extra = {}) {
  return h('button', { type: 'button', class: 'btn-icon', 'aria-label': label, title: label, onclick, ...extra },
    icon(name));
}

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

// A stable hue per person so initials avatars are told apart at a glance.
function hue(text) {
  // FNV-1a
  let n = 2166136261;
  for (const ch of String(text)) n = Math.imul(n ^ ch.codePointAt(0), 16777619);
  return (n >>> 13) % 8;
}

/** A person's picture or initials; a click on it opens their card (element.js). */
export function avatar(person, size = 'md') {
  const url = safeUrl(person && person.avatar_url);
  const props = { 'data-person': person?.id };
  if (url) return h('img', { class: `avatar ${size}`, src: url, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer', ...props });
  return h('span', { class: `avatar ${size} hue-${hue(`${person && person.id}:${person && person.name}`)}`, 'aria-hidden': 'true',
    text: initials(person && person.name), ...props });
}

/** Only http(s) URLs ever reach an href or src. */
export function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A random key for Idempotency-Key; getRandomValues works on plain-http intranets too. */
export function randomKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
