// Relative times ("3 min ago") in the pane's own language, English like the rest of its UI, and
// the exact time in the reader's locale as a tooltip. ICU's first use in a page costs 20–35 ms of
// main thread, so Intl is only touched once the browser is idle, never on the way to the first
// rendered page.
const UNITS = [['yr', 31536000], ['mo', 2592000], ['wk', 604800], ['day', 86400], ['hr', 3600], ['min', 60]];
const titled = new Map();
let exact = null;

function ago(iso, now = Date.now()) {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) || UNITS.at(-1);
  const n = Math.max(1, Math.round(Math.abs(seconds) / size));
  if (unit === 'day' && n === 1) return seconds > 0 ? 'yesterday' : 'tomorrow';
  const span = `${n} ${unit}${unit === 'day' && n > 1 ? 's' : ''}`;
  return seconds > 0 ? `${span} ago` : `in ${span}`;
}

function exactTime(iso) {
  exact ||= new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
  return exact.format(new Date(iso));
}

/** Give `el` the title `prefix` + the exact time of `iso` when the browser is next idle. */
export function titleLater(el, iso, prefix = '') {
  if (!titled.size) (window.requestIdleCallback || setTimeout)(nameTimes, { timeout: 1000 });
  titled.set(el, [iso, prefix]);
}

function nameTimes() {
  for (const [el, [iso, prefix]] of titled) el.title = prefix + exactTime(iso);
  titled.clear();
}

/** A <time> element the pane refreshes every minute. */
export function timeElement(iso, prefix = '') {
  const el = document.createElement('time');
  el.dateTime = iso;
  el.dataset.prefix = prefix;
  titleLater(el, iso);
  el.textContent = prefix + ago(iso);
  return el;
}

export function refreshTimes(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[datetime]')) el.textContent = el.dataset.prefix + ago(el.dateTime, now);
}
