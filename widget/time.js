// Relative times ("3 min ago") with the exact time for the title attribute.
const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600],
  ['minute', 60]];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export function ago(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'minute') return relative.format(Math.round(seconds / size), unit);
  }
  return '';
}

export function exactTime(iso) {
  return exact.format(new Date(iso));
}

/** A <time> element the pane refreshes every minute. */
export function timeElement(iso, prefix = '') {
  const el = document.createElement('time');
  el.dateTime = iso;
  el.dataset.prefix = prefix;
  el.title = exactTime(iso);
  el.textContent = prefix + ago(iso);
  return el;
}

export function refreshTimes(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[datetime]')) el.textContent = el.dataset.prefix + ago(el.dateTime, now);
}
