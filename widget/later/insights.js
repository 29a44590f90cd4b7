// The Insights view: the organization seeing itself (GET /insights). Figures at the top, then
// charts drawn here as SVG — interactions per bucket as stacked bars, active people as a line,
// who talks with whom across departments as a heat map, participation per department — and the
// lists: knowledge leaders with their titles, outcomes with days to change, top conversations.
// Every chart is an image with a spoken summary (role="img", aria-label, <title>) and has a table
// of the same figures ("Show as table"). Charts are drawn at their box's real width, again when it
// changes, so the text in them stays 11–12 px in a 380 px pane and on a full-width page alike.
// Out of the first load: the header's Insights button (or view="insights") imports it (element.js).
import { avatar, h, icon } from '../dom.js';
import { excerpt, plural } from '../text.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
:host([view=insights][mode=inline]) { height: auto !important; min-height: 0 !important; }
:host([view=insights][mode=inline]) .pane { position: relative; inset: auto; }
:host([view=insights]) .insights { overflow: visible; padding: 18px 20px 28px; }
:host([view=insights]) .top { display: none; }
.insights { --_c1: #5b5bd6; --_c2: #0e9f8a; --_c3: #e5484d; --_c4: #d97706; --_heat: #5b5bd6; --_ok: #0b6b5d;
  display: flex; flex-direction: column; gap: 14px; container-type: inline-size; }
:host([theme=dark]) .insights { DARK }
@media (prefers-color-scheme: dark) { :host([theme=auto]) .insights, :host(:not([theme])) .insights { DARK } }
.ins-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.ins-head .back { flex-basis: 100%; }
.ins-head .view-title { flex: 1; min-width: 8ch; font-size: 16px; }
.ins-range { display: flex; flex-wrap: wrap; gap: 6px; }
.ins-body { display: flex; flex-direction: column; gap: 14px; }
.ins-body[aria-busy=true] { opacity: .55; }
.ins-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 0; }
.ins-figure { padding: 10px 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); }
.ins-figure dt { font-size: 12px; color: var(--_muted); }
.ins-figure dd { margin: 2px 0 0; font-size: 20px; font-weight: 680; letter-spacing: -.01em; }
.ins-figure small { display: block; font-size: 12px; font-weight: 450; color: var(--_muted); letter-spacing: normal; }
.ins-grid { display: grid; grid-template-columns: 1fr; gap: 14px; }
@container (min-width: 760px) { .ins-grid { grid-template-columns: 1fr 1fr; } .ins-wide { grid-column: 1 / -1; } }
@container (max-width: 520px) { .ins-figure:last-child:nth-child(odd) { grid-column: 1 / -1; } .ins-figure dd { font-size: 18px; } }
.ins-card { min-width: 0; padding: 12px 14px 14px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); }
.ins-card-head { display: flex; align-items: baseline; gap: 8px; margin-bottom: 8px; }
.ins-card h4 { flex: 1; margin: 0; font-size: 13.5px; font-weight: 650; }
.ins-note { margin: -4px 0 8px; font-size: 12.5px; color: var(--_muted); }
.ins-toggle { font-size: 12px; white-space: nowrap; }
.ins-chart svg { display: block; width: 100%; overflow: visible; font: 11px var(--_font); }
.ins-chart text { fill: var(--_muted); }
.ins-chart .grid { stroke: var(--_border); }
.ins-chart .value { fill: var(--_text); font-weight: 600; }
.ins-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0 0; padding: 0; list-style: none; font-size: 12px; color: var(--_muted); }
.ins-legend li::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 3px; background: var(--_c1); vertical-align: -1px; }
.ins-legend .k2::before { background: var(--_c2); }
.ins-legend .k3::before { background: var(--_c3); }
.ins-legend .k4::before { background: var(--_c4); }
.ins-chart text.on { fill: #fff; }
.ins-chart .f1 { fill: var(--_c1); } .ins-chart .f2 { fill: var(--_c2); } .ins-chart .f3 { fill: var(--_c3); } .ins-chart .f4 { fill: var(--_c4); }
.ins-chart .heat { fill: var(--_heat); }
.ins-chart .track { fill: var(--_border); opacity: .6; }
.ins-chart .area { fill: var(--_c1); opacity: .12; }
.ins-chart .stroke { fill: none; stroke: var(--_c1); stroke-width: 2.2; stroke-linejoin: round; }
.ins-chart .muted { fill: var(--_muted); font-weight: 400; }
.ins-table { max-height: 320px; overflow: auto; }
.ins-table table { width: 100%; border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
.ins-table th, .ins-table td { padding: 4px 8px; border-bottom: 1px solid var(--_border); text-align: right; white-space: nowrap; }
.ins-table th:first-child, .ins-table td:first-child { text-align: left; }
.ins-table thead th { position: sticky; top: 0; background: var(--_raised); color: var(--_muted); font-weight: 600; }
.ins-list { display: flex; flex-direction: column; gap: 10px; margin: 0; padding: 0; list-style: none; }
.ins-list li { display: flex; gap: 10px; align-items: flex-start; min-width: 0; }
.ins-list .grow { flex: 1; min-width: 0; }
.ins-list .line { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ins-list .sub { display: block; font-size: 12px; color: var(--_muted); }
.ins-list .go { padding: 0; border: 0; background: none; color: var(--_text); font-weight: 600; text-align: left; max-width: 100%; }
.ins-list a.go, .ins-list .go:hover { color: var(--_accent-text); }
.ins-list .summary { display: block; font-size: 13px; }
.ins-rank { flex: none; width: 18px; font-size: 12px; font-weight: 650; color: var(--_muted); text-align: right; padding-top: 7px; }
.ins-pill { flex: none; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 650; white-space: nowrap;
  color: var(--_ok); background: rgba(14, 159, 138, .13); }
.ins-me { display: flex; align-items: center; gap: 6px; margin-top: 12px; padding-top: 10px; border-top: 1px solid var(--_border);
  font-size: 12.5px; color: var(--_muted); }
.ins-empty { margin: 0; font-size: 13px; color: var(--_muted); }
.ins-loading { display: grid; gap: 10px; }
.ins-loading span { height: 120px; border-radius: var(--_radius); background: var(--_skeleton); }
.ins-loading span:first-child { height: 64px; }
`.replaceAll('DARK', '--_c1: #8484f0; --_c2: #2ec4a9; --_c3: #ff6b70; --_c4: #f5a524; --_heat: #8f8fff; --_ok: #5fe0c6;'));

const NS = 'http://www.w3.org/2000/svg';
// [field, name, fill class]
const SERIES = [['posts', 'Posts', 'f1'], ['comments', 'Comments', 'f2'], ['likes', 'Likes', 'f3'], ['promotions', 'Promotions', 'f4']];
// [label, months back (0: this year, -1: last year)]
const RANGES = [['Last 3 months', 3], ['Last 6 months', 6], ['Last 12 months', 12], ['Last 2 years', 24],
  ['This year', 0], ['Last year', -1]];
const HEAT_DEPARTMENTS = 12;

const number = new Intl.NumberFormat('en');
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const n = (value) => number.format(value ?? 0);
// `count` of `one` (or `more`), the count with its thousands
const many = (count, one, more = `${one}s`) => `${n(count)} ${count === 1 ? one : more}`;
const percent = (share) => `${Math.round((share || 0) * 100)}%`;
const days = (d) => (d < 1 ? 'same day' : plural(Math.round(d), 'day'));
const hours = (hrs) => (hrs < 1 ? 'under an hour' : hrs < 48 ? plural(Math.round(hrs), 'hour') : plural(Math.round(hrs / 24), 'day'));

/** An SVG element with attributes and children (strings become text). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value != null) el.setAttribute(key, value);
  el.append(...children.flat().filter((c) => c != null));
  return el;
}

const iso = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** {from, to} (YYYY-MM-DD) of a range: months back from today, this year (0) or last year (-1). */
export function range(back, today = new Date()) {
  const y = today.getFullYear();
  if (back === 0) return { from: `${y}-01-01`, to: iso(today) };
  if (back === -1) return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
  return { from: iso(new Date(y, today.getMonth() - back + 1, 1)), to: iso(today) };
}

/** A bucket's start as a short label: "Mar" (with the year in January and first), or "Mar 3" for weeks. */
function bucketLabel(start, bucket, first) {
  const d = new Date(`${start}T00:00:00`);
  const month = d.toLocaleString('en', { month: 'short' });
  if (bucket === 'week') return `${month} ${d.getDate()}`;
  return first || d.getMonth() === 0 ? `${month} ${d.getFullYear()}` : month;
}

const bucketName = (start, bucket) => {
  const d = new Date(`${start}T00:00:00`);
  return bucket === 'week' ? `week of ${d.toLocaleString('en', { month: 'short', day: 'numeric', year: 'numeric' })}`
    : d.toLocaleString('en', { month: 'long', year: 'numeric' });
};

/** A round axis maximum at or above `max`, and its step (about four gridlines). */
function scale(max) {
  if (!max) return [1, 1];
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= raw);
  return [Math.ceil(max / step) * step, step];
}

/** The chart's root: an image with a spoken summary, its title and its width. */
function svgImage(width, height, label) {
  return s('svg', { role: 'img', 'aria-label': label, width, height, viewBox: `0 0 ${width} ${height}` }, s('title', {}, label));
}

/** The y gridlines and labels, and the x labels (thinned so they never overlap), of a bucket chart. */
function axes(svg, { width, height, left, bottom, top, max, step, labels }) {
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  for (let v = 0; v <= max + step / 2; v += step) {
    svg.append(s('line', { class: 'grid', x1: left, x2: width, y1: y(v), y2: y(v) }),
      s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, compact.format(v)));
  }
  const band = (width - left) / labels.length;
  const every = Math.ceil(labels.length / Math.max(1, Math.floor((width - left) / 56)));
  labels.forEach((text, i) => {
    if (i % every) return;
    svg.append(s('text', { x: left + band * (i + 0.5), y: height - 6, 'text-anchor': 'middle' }, text));
  });
  return { y, band };
}

/** Interactions per bucket: posts, comments, likes and promotions stacked. */
function stackedBars(data, width) {
  const height = 220;
  const { buckets, bucket } = data;
  const totals = buckets.map((b) => b.interactions);
  const peak = Math.max(0, ...totals);
  const at = totals.indexOf(peak);
  const label = `Interactions per ${bucket}, stacked bars of posts, comments, likes and promotions. `
    + `${buckets.length ? `From ${n(totals[0])} in ${bucketName(buckets[0].start, bucket)} to ${n(totals.at(-1))} in `
    + `${bucketName(buckets.at(-1).start, bucket)}; highest ${n(peak)} in ${bucketName(buckets[at].start, bucket)}.` : ''}`;
  const svg = svgImage(width, height, label);
  const [max, step] = scale(peak);
  const labels = buckets.map((b, i) => bucketLabel(b.start, bucket, !i));
  const { y, band } = axes(svg, { width, height, left: 40, bottom: 22, top: 8, max, step, labels });
  const bar = Math.max(2, Math.min(36, band * 0.68));
  buckets.forEach((b, i) => {
    let base = 0;
    const x = 40 + band * i + (band - bar) / 2;
    const g = s('g', {}, s('title', {}, `${bucketName(b.start, bucket)}: ${n(b.interactions)} interactions — `
      + SERIES.map(([key, name]) => `${name.toLowerCase()} ${n(b[key])}`).join(', ')));
    for (const [key, , color] of SERIES) {
      const top = y(base + b[key]);
      if (b[key]) g.append(s('rect', { x, width: bar, y: top, height: Math.max(0, y(base) - top), class: color }));
      base += b[key];
    }
    svg.append(g);
  });
  return svg;
}

/** Active people per bucket as a line, with its points. */
function line(data, width) {
  const height = 180;
  const { buckets, bucket } = data;
  const values = buckets.map((b) => b.active_people);
  const peak = Math.max(0, ...values);
  const label = `Active people per ${bucket} (at least one post, comment, like or promotion), a line. `
    + `${buckets.length ? `${n(values[0])} in ${bucketName(buckets[0].start, bucket)}, ${n(values.at(-1))} in `
    + `${bucketName(buckets.at(-1).start, bucket)}; highest ${n(peak)}.` : ''}`;
  const svg = svgImage(width, height, label);
  const [max, step] = scale(peak);
  const labels = buckets.map((b, i) => bucketLabel(b.start, bucket, !i));
  const { y, band } = axes(svg, { width, height, left: 40, bottom: 22, top: 8, max, step, labels });
  const points = values.map((v, i) => [40 + band * (i + 0.5), y(v)]);
  if (points.length) {
    const path = points.map(([x, py], i) => `${i ? 'L' : 'M'}${x.toFixed(1)} ${py.toFixed(1)}`).join('');
    svg.append(s('path', { d: `${path}L${points.at(-1)[0].toFixed(1)} ${y(0)}L${points[0][0].toFixed(1)} ${y(0)}Z`,
      class: 'area' }), s('path', { d: path, class: 'stroke' }));
  }
  points.forEach(([x, py], i) => {
    if (buckets.length <= 26) svg.append(s('circle', { cx: x, cy: py, r: 3, class: 'f1' }, s('title', {},
      `${bucketName(buckets[i].start, bucket)}: ${plural(values[i], 'active person', 'active people')}`)));
  });
  return svg;
}

/** The departments most involved across departments, and the pair counts among them. */
function heatData(data) {
  const pairs = data.reach?.pairs || [];
  const weight = new Map();
  for (const p of pairs) {
    weight.set(p.from, (weight.get(p.from) || 0) + p.interactions);
    weight.set(p.to, (weight.get(p.to) || 0) + p.interactions);
  }
  const names = [...weight.keys()].sort((a, b) => weight.get(b) - weight.get(a)).slice(0, HEAT_DEPARTMENTS).sort();
  const count = new Map(pairs.map((p) => [`${p.from}\n${p.to}`, p.interactions]));
  return { names, at: (from, to) => count.get(`${from}\n${to}`) || 0 };
}

/** Who talks with whom: rows are the departments acting, columns those whose posts they answer. */
function heatMap(data, width) {
  const { names, at } = heatData(data);
  const left = Math.min(130, Math.max(70, width * 0.28));
  const head = 84;
  // the last column's label leans out to the right: room for it
  const cell = Math.max(14, Math.min(40, (width - left - 28) / Math.max(1, names.length)));
  const height = head + cell * names.length + 4;
  let peak = 0;
  let top = null;
  for (const a of names) for (const b of names) {
    if (a !== b && at(a, b) > peak) {
      peak = at(a, b);
      top = [a, b];
    }
  }
  const label = `Who talks with whom: interactions between departments, a heat map of ${names.length} departments; `
    + `darker is more. ${top ? `Most: ${top[0]} with ${top[1]}'s posts (${n(peak)}).` : ''}`;
  const svg = svgImage(width, height, label);
  const cut = (text, room) => (text.length * 6.2 > room ? `${text.slice(0, Math.max(3, Math.floor(room / 6.2) - 1))}…` : text);
  names.forEach((name, i) => {
    const x = left + cell * (i + 0.5);
    svg.append(s('text', { x: left - 8, y: head + cell * (i + 0.5) + 4, 'text-anchor': 'end' }, s('title', {}, name), cut(name, left - 10)),
      s('text', { transform: `translate(${x + 4} ${head - 6}) rotate(-65)` }, s('title', {}, name), cut(name, 88)));
  });
  const max = peak || Math.max(1, ...names.map((a) => at(a, a)));
  names.forEach((from, r) => names.forEach((to, c) => {
    const v = at(from, to);
    const strength = from === to ? 0 : Math.sqrt(v / max);
    const rect = s('rect', { x: left + cell * c + 1, y: head + cell * r + 1, width: cell - 2, height: cell - 2, rx: 3,
      class: from === to ? 'track' : 'heat', 'fill-opacity': from === to ? null : (0.06 + 0.94 * strength).toFixed(2) },
    s('title', {}, from === to ? `${from}: within the department` : `${from} → ${to}'s posts: ${n(v)} interactions`));
    svg.append(rect);
    if (from !== to && v && cell >= 30) {
      svg.append(s('text', { x: left + cell * (c + 0.5), y: head + cell * (r + 0.5) + 4, 'text-anchor': 'middle',
        class: strength > 0.55 ? 'on' : 'value',
        'aria-hidden': 'true', 'font-size': 10 }, compact.format(v)));
    }
  }));
  return svg;
}

/** Participation: the share of each department that took part, as bars. */
function shares(data, width) {
  const rows = [...data.departments].sort((a, b) => b.share - a.share);
  const left = Math.min(140, Math.max(80, width * 0.3));
  const right = 92;
  const rowH = 22;
  const height = rows.length * rowH + 4;
  const label = `Participation by department: the share of its people who took part. ${rows.length
    ? `Highest ${rows[0].name} (${percent(rows[0].share)}), lowest ${rows.at(-1).name} (${percent(rows.at(-1).share)}).` : ''}`;
  const svg = svgImage(width, height, label);
  const room = Math.max(10, width - left - right);
  rows.forEach((d, i) => {
    const y = i * rowH + 2;
    svg.append(s('g', {}, s('title', {}, `${d.name}: ${d.active_people} of ${plural(d.people, 'person', 'people')} took part, `
      + `${n(d.interactions)} interactions`),
    s('text', { x: left - 8, y: y + 14, 'text-anchor': 'end' }, d.name.length * 6.2 > left - 10 ? `${d.name.slice(0, Math.floor((left - 10) / 6.2) - 1)}…` : d.name),
    s('rect', { x: left, y: y + 3, width: room, height: 14, rx: 4, class: 'track' }),
    s('rect', { x: left, y: y + 3, width: Math.max(2, room * d.share), height: 14, rx: 4, class: 'f2' }),
    s('text', { x: left + room + 8, y: y + 14, class: 'value' }, `${percent(d.share)}`,
      s('tspan', { dx: 4, class: 'muted' }, `${d.active_people}/${d.people}`))));
  });
  return svg;
}

/** A table: headings and rows of cells. */
function table(caption, heads, rows) {
  return h('div', { class: 'ins-table', tabindex: '0', role: 'region', 'aria-label': `${caption} (table)` },
    h('table', {}, h('caption', { class: 'sr', text: caption }),
      h('thead', {}, h('tr', {}, heads.map((text) => h('th', { scope: 'col', text })))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((text, i) => h(i ? 'td' : 'th', i ? { text } : { scope: 'row', text })))))));
}

const TABLES = {
  bars: (d) => table('Interactions', ['Period', ...SERIES.map(([, name]) => name), 'Total'],
    d.buckets.map((b) => [bucketName(b.start, d.bucket), ...SERIES.map(([key]) => n(b[key])), n(b.interactions)])),
  line: (d) => table('Active people', ['Period', 'Active people', 'New people', 'Interactions per active person'],
    d.buckets.map((b) => [bucketName(b.start, d.bucket), n(b.active_people), n(b.new_people), (b.per_active_person ?? 0).toFixed(1)])),
  heat: (d) => {
    const { names, at } = heatData(d);
    const rows = [];
    for (const from of names) for (const to of names) if (from !== to && at(from, to)) rows.push([from, to, at(from, to)]);
    rows.sort((a, b) => b[2] - a[2]);
    return table('Interactions between departments', ['From (acting)', 'To (author’s department)', 'Interactions'],
      rows.map(([a, b, v]) => [a, b, n(v)]));
  },
  shares: (d) => table('Participation by department', ['Department', 'People', 'Took part', 'Share', 'Interactions'],
    [...d.departments].sort((a, b) => b.share - a.share).map((x) => [x.name, n(x.people), n(x.active_people), percent(x.share), n(x.interactions)])),
};
const DRAW = { bars: stackedBars, line, heat: heatMap, shares };

export class Insights {
  #ctx;
  #back = 12;
  #bucket = 'month';
  #data = null;
  #ticket = 0;
  // the reader's last saved choice of being listed: a preference read before it is stale
  #listed = null;
  // chart key -> {box, table: shown as a table}
  #charts = new Map();
  #width = 0;
  #body = h('div', { class: 'ins-body', 'aria-live': 'off' });
  #sizer;

  /** ctx = {ui, api, full (the whole pane: view="insights"), attend (element.js: use the notifications module)}. */
  constructor(ctx) {
    this.#ctx = ctx;
    const rangeSelect = h('select', { class: 'sort', 'aria-label': 'Period', onchange: () => { this.#back = +rangeSelect.value; this.load(); } },
      RANGES.map(([text, back]) => h('option', { value: back, text, selected: back === this.#back })));
    const bucketSelect = h('select', { class: 'sort', 'aria-label': 'Group by', onchange: () => { this.#bucket = bucketSelect.value; this.load(); } },
      h('option', { value: 'month', text: 'By month' }), h('option', { value: 'week', text: 'By week' }));
    this.title = h('h3', { class: 'view-title', tabindex: '-1', text: 'Insights' });
    this.el = h('section', { class: 'scroll insights', 'aria-label': 'Insights', part: 'insights', hidden: true },
      h('div', { class: 'ins-head' },
        !ctx.full && h('button', { type: 'button', class: 'btn link back', onclick: () => this.hide(true) }, icon('back'),
          h('span', { text: 'Conversations' })),
        this.title, h('div', { class: 'ins-range' }, rangeSelect, bucketSelect,
          h('button', { type: 'button', class: 'btn secondary sm ins-csv', title: 'The table of the period, per bucket, as CSV',
            onclick: (event) => this.#csv(event.currentTarget) }, 'CSV'))),
      this.#body);
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !ctx.full && !event.target.closest('select')) {
        event.stopPropagation();
        this.hide(true);
      }
    });
    this.#sizer = new ResizeObserver(() => {
      const width = this.#body.clientWidth;
      if (width && width !== this.#width) {
        this.#width = width;
        this.#drawAll();
      }
    });
  }

  get shown() {
    return !this.el.hidden;
  }

  /** The view instead of the conversations (or the notifications); loads the figures the first time. */
  show() {
    const { ui } = this.#ctx;
    // the notifications view, if open, gives way
    if (!this.#ctx.full) this.#ctx.attend((a) => a.hide());
    if (!this.el.isConnected) ui.panel.after(this.el);
    adopt(this.el.getRootNode());
    this.#sizer.observe(this.#body);
    this.el.hidden = false;
    ui.panel.hidden = ui.toolbar.hidden = true;
    ui.insights?.setAttribute('aria-expanded', 'true');
    if (!this.#ctx.full) this.title.focus();
    if (!this.#data) return this.load();
  }

  /** Back to the conversations; `focus`: to the header's button. */
  hide(focus = false) {
    if (this.el.hidden) return;
    const { ui } = this.#ctx;
    this.el.hidden = true;
    ui.panel.hidden = ui.toolbar.hidden = false;
    ui.insights?.setAttribute('aria-expanded', 'false');
    if (focus) ui.insights?.focus();
  }

  /** Shown or hidden; when shown, resolves once the figures (or why not) are on screen. */
  toggle() {
    if (this.shown) this.hide(true);
    else return this.show();
  }

  async load() {
    const ticket = ++this.#ticket;
    const body = this.#body;
    body.setAttribute('aria-busy', 'true');
    if (!this.#data) body.replaceChildren(h('div', { class: 'ins-loading', 'aria-label': 'Loading insights…', role: 'status' }, h('span'), h('span'), h('span')));
    try {
      const data = await this.#ctx.api.get('/insights', { ...range(this.#back), bucket: this.#bucket });
      if (ticket !== this.#ticket) return;
      // people whose identity tokens give no department
      const named = (name) => name || 'No department';
      for (const d of data.departments) d.name = named(d.name);
      for (const p of data.reach?.pairs || []) [p.from, p.to] = [named(p.from), named(p.to)];
      this.#data = data;
      this.#render(data);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.#data = null;
      const restricted = error.code === 'insights_restricted';
      body.replaceChildren(h('div', { class: 'state', role: 'alert' },
        h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('chart')),
        h('p', { class: 'state-title', text: restricted ? 'Insights are for admins here' : 'Insights could not be loaded' }),
        h('p', { class: 'state-text', text: restricted ? 'Your organization shows them to its Chatter admins only.' : error.message }),
        !restricted && h('button', { type: 'button', class: 'btn secondary', onclick: () => this.load() },
          icon('refresh'), h('span', { text: 'Try again' }))));
    } finally {
      if (ticket === this.#ticket) body.setAttribute('aria-busy', 'false');
    }
  }

  #render(data) {
    const body = this.#body;
    this.#charts.clear();
    const total = data.buckets.reduce((sum, b) => sum + b.interactions, 0);
    if (!total) {
      return body.replaceChildren(h('div', { class: 'state' },
        h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('chart')),
        h('p', { class: 'state-title', text: 'Nothing to show for this period' }),
        h('p', { class: 'state-text', text: 'Nobody posted, commented, liked or promoted anything in it. Try a longer period.' })));
    }
    const each = data.bucket === 'week' ? 'week' : 'month';
    const people = data.buckets.map((b) => b.active_people);
    const { outcomes, questions, reach } = data;
    const figure = (term, value, more) => h('div', { class: 'ins-figure' }, h('dt', { text: term }), h('dd', {}, value, more && h('small', { text: more })));
    body.replaceChildren(
      h('dl', { class: 'ins-figures' },
        figure(`Interactions per ${each}`, n(Math.round(total / data.buckets.length)), `${n(total)} in all`),
        figure(`Active people per ${each}`, n(Math.round(people.reduce((a, b) => a + b, 0) / people.length)),
          `${n(Math.max(...people))} at most`),
        figure('Across departments', percent(reach?.share), `${n(reach?.cross_department)} interactions`),
        figure('Led to a change', n(outcomes?.count), !outcomes?.count ? 'no outcomes yet' : outcomes.median_days < 1 ? 'median: the same day' : `median ${days(outcomes.median_days)} to change`),
        figure('Questions answered', `${n(questions?.answered)} of ${n(questions?.asked)}`,
          questions?.answered ? `median ${hours(questions.median_hours_to_answer)} to an answer` : '')),
      h('div', { class: 'ins-grid' },
        this.#chart('bars', `Interactions per ${each}`, 'ins-wide',
          h('ul', { class: 'ins-legend', 'aria-hidden': 'true' }, SERIES.map(([, name], i) => h('li', { class: `k${i + 1}`, text: name })))),
        this.#chart('line', `Active people per ${each}`),
        this.#chart('shares', 'Who took part, by department'),
        this.#chart('heat', 'Who talks with whom', 'ins-wide', null,
          'Each row is a department taking part in the conversations of the departments in the columns (comments, likes and promotions on their posts); the darker, the more.'),
        this.#list('Knowledge leaders', 'People whose posts, comments and answers draw engagement from the most other departments.',
          data.leaders, (l, i) => [h('span', { class: 'ins-rank', text: i + 1 }), avatar(l.person, 'sm'),
            h('span', { class: 'grow' }, h('button', { type: 'button', class: 'go line', 'data-person': l.person.id, text: l.person.name }),
              h('span', { class: 'sub line', text: [l.person.title, l.person.department].filter(Boolean).join(' · ') || ' ' }),
              h('span', { class: 'sub', text: [`reached ${plural(l.departments_reached, 'department')}`,
                l.answers && plural(l.answers, 'answer'), many(l.engagement, 'engagement')].filter(Boolean).join(' · ') }))],
          'Nobody is listed for this period.', '', this.#listMe()),
        this.#list('Led to a change', 'Conversations that changed something, and how long that took.', outcomes?.items,
          (o) => [h('span', { class: 'grow' }, this.#link(o.post), h('span', { class: 'summary', text: o.summary }),
            h('span', { class: 'sub', text: `${o.post.author?.name || ''}` })),
          h('span', { class: 'ins-pill', title: 'From the first post to the outcome', text: days(o.days) })],
          'No conversation has recorded an outcome in this period.'),
        this.#list('Top conversations', 'The conversations that drew in the most departments.', data.top_conversations,
          (c, i) => [h('span', { class: 'ins-rank', text: i + 1 }), h('span', { class: 'grow' }, this.#link(c.post),
            h('span', { class: 'sub', text: [c.post.author?.name, plural(c.departments, 'department'), plural(c.comments, 'comment')]
              .filter(Boolean).join(' · ') }))],
          'No conversations in this period.', 'ins-wide')));
    this.#width = body.clientWidth;
    this.#drawAll();
  }

  /** Download the period's bucket table as the server writes it (GET /insights.csv). */
  async #csv(button) {
    const { api } = this.#ctx;
    const { from, to } = range(this.#back);
    const query = new URLSearchParams({ from, to, bucket: this.#bucket });
    const get = () => fetch(`${api.origin}/api/v1/insights.csv?${query}`, { credentials: 'omit', cache: 'no-store',
      headers: { Authorization: `Bearer ${api.session?.token}` } });
    button.disabled = true;
    try {
      let response = await get();
      if (response.status === 401) {
        await api.signIn();
        response = await get();
      }
      if (!response.ok) throw new Error(`Chatter answered ${response.status}.`);
      const url = URL.createObjectURL(await response.blob());
      h('a', { href: url, download: `chatter-insights-${from}-${to}-${this.#bucket}.csv` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.#body.prepend(h('p', { class: 'state-text', role: 'alert', text: `The CSV could not be downloaded: ${error.message}` }));
    } finally {
      button.disabled = false;
    }
  }

  /** A conversation's title: it opens in the pane, or (full width) its page. */
  #link(post) {
    // titles are the first words of a body: its markup as plain text
    const text = excerpt(post.title || post.excerpt, 160) || `Conversation ${post.id}`;
    if (!this.#ctx.full) {
      return h('button', { type: 'button', class: 'go line', text, title: text, onclick: () => {
        this.hide();
        this.#ctx.attend((a) => a.open(post.id));
      } });
    }
    const url = /^https?:/.test(post.url || '') ? post.url : null;
    return url ? h('a', { class: 'go line', href: url, target: '_top', text, title: text }) : h('span', { class: 'line', text });
  }

  #list(title, note, items, row, empty, wide = '', after = null) {
    return h('section', { class: `ins-card ${wide}`, 'aria-label': title }, h('div', { class: 'ins-card-head' }, h('h4', { text: title })),
      h('p', { class: 'ins-note', text: note }),
      items?.length ? h('ol', { class: 'ins-list' }, items.map((item, i) => h('li', {}, row(item, i))))
        : h('p', { class: 'ins-empty', text: empty }), after);
  }

  /** "List me among the knowledge leaders": the reader's show_in_insights, changed here. */
  #listMe() {
    const { api } = this.#ctx;
    const box = h('input', { type: 'checkbox', disabled: true });
    const say = h('span', { class: 'sr', role: 'status' });
    const before = this.#listed;
    api.get('/me/preferences').then((p) => {
      // (a view drawn again while the reader's choice was being saved: the choice holds)
      box.checked = (this.#listed === before ? p.show_in_insights : this.#listed) !== false;
      box.disabled = false;
    }, () => {});
    // not disabled while saving: that would take the focus away
    let saving = false;
    box.addEventListener('click', (event) => saving && event.preventDefault());
    box.addEventListener('change', async () => {
      saving = true;
      try {
        const p = await api.call('PATCH', '/me/preferences', { show_in_insights: box.checked });
        box.checked = this.#listed = p.show_in_insights;
        // a box drawn meanwhile (the view again) shows what was saved
        for (const other of this.el.querySelectorAll('.ins-me input')) other.checked = p.show_in_insights;
        // leaving is at once; coming back shows with the next figures read
        if (!box.checked) box.closest('section').querySelector(`.ins-list [data-person="${api.session?.user.id}"]`)?.closest('li').remove();
        say.textContent = box.checked ? 'Saved: you may be listed among the knowledge leaders.' : 'Saved: you are not listed.';
      } catch {
        box.checked = !box.checked;
        say.textContent = 'Your choice could not be saved.';
      } finally {
        saving = false;
      }
    });
    return h('div', {}, h('label', { class: 'ins-me' }, box, 'List me among the knowledge leaders'), say);
  }

  /** A chart's card: its title, "Show as table", the drawing (made by #drawAll at the box's width). */
  #chart(key, title, wide = '', after = null, note = '') {
    const box = h('div', { class: 'ins-chart' });
    const entry = { box, table: false };
    const toggle = h('button', { type: 'button', class: 'btn link ins-toggle', 'aria-pressed': 'false', text: 'Show as table',
      onclick: () => {
        entry.table = !entry.table;
        toggle.setAttribute('aria-pressed', String(entry.table));
        toggle.textContent = entry.table ? 'Show as chart' : 'Show as table';
        if (after) after.hidden = entry.table;
        this.#draw(key);
      } });
    this.#charts.set(key, entry);
    return h('section', { class: `ins-card ${wide}`, 'aria-label': title, 'data-chart': key },
      h('div', { class: 'ins-card-head' }, h('h4', { text: title }), toggle), note && h('p', { class: 'ins-note', text: note }), box, after);
  }

  #drawAll() {
    for (const key of this.#charts.keys()) this.#draw(key);
  }

  #draw(key) {
    const entry = this.#charts.get(key);
    const data = this.#data;
    if (!entry || !data) return;
    if (entry.table) return entry.box.replaceChildren(TABLES[key](data));
    const width = entry.box.clientWidth;
    if (width) entry.box.replaceChildren(DRAW[key](data, width));
  }
}
