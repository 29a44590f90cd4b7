// Search, out of the first load: made on the header field's first focus (element.js), with its CSS.
// Results come as one types (150 ms after the last keystroke; a newer query aborts the older one),
// in place of the conversations, grouped People, Conversations, Comments, with the server's
// highlights (only <mark> is kept). The field is a combobox: ↑/↓ move through the results, Enter or
// a click opens one — a conversation at its comment (as a notification does), a person's card —
// and Escape goes back to where one was, focus and scroll. Nothing typed or nothing found: the
// query language's hints; a failure: Try again. On "This page", "Only on this page" adds `on:`.
import { avatar, h, icon } from '../dom.js';
import { plural } from '../text.js';
import { timeElement } from '../time.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.search-view { display: flex; flex-direction: column; gap: 10px; }
.search-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 26px; }
.only[aria-pressed=true] { color: var(--_accent-text); background: var(--_accent-soft); }
.search-count { margin: -4px 2px 0; font-size: 12px; color: var(--_muted); }
.search-count:empty { display: none; }
.hits { display: flex; flex-direction: column; gap: 14px; transition: opacity .15s; }
.hits[aria-busy=true] { opacity: .55; }
.hit-group { display: flex; flex-direction: column; }
.hit-title { margin: 0 0 6px 2px; font-size: 11.5px; font-weight: 650; letter-spacing: .05em; text-transform: uppercase; color: var(--_muted); }
.hit-list { display: flex; flex-direction: column; overflow: hidden; border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--_raised); }
.hit { display: flex; gap: 10px; padding: 9px 12px; cursor: pointer; font-size: 13.5px; line-height: 1.4; outline: none; }
.hit + .hit { border-top: 1px solid var(--_border); }
.hit:hover { background: var(--_hover); }
.hit[aria-selected=true] { background: var(--_accent-soft); box-shadow: inset 3px 0 var(--_accent); }
.hit-main { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.hit-by { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12.5px; color: var(--_muted); }
.hit-by strong { color: var(--_text); font-weight: 620; }
.hit-text { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; overflow-wrap: anywhere; }
.hit-meta { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; color: var(--_muted); }
.hit mark { padding: 0 1px; border-radius: 3px; color: var(--_accent-text); background: var(--_accent-soft); font-weight: 650; }
.search-view > .state { padding: 20px 8px; }
.hints { display: grid; grid-template-columns: auto 1fr; gap: 7px 12px; width: 100%; margin: 6px 0 0; padding: 12px 14px;
  border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); text-align: left; font-size: 12.5px; }
.hints dt { white-space: nowrap; }
.hints code { padding: 1px 5px; border-radius: 5px; border: 1px solid var(--_border); background: var(--_surface); color: var(--_text);
  font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.hints dd { margin: 0; color: var(--_muted); }
`);

// after the last keystroke, before asking
const WAIT = 150;
const GROUPS = [['person', 'People'], ['post', 'Conversations'], ['comment', 'Comments']];
/** The query language, as the hints say it ({page}: the pane's page). */
const hints = (page) => [
  ['rail booking', 'every word'],
  ['"rail booking"', 'this exact phrase'],
  ['-draft', 'without this word'],
  ['from:handle', 'by someone; from:me: by you'],
  [`on:${page || 'page'}`, 'on one page'],
  ['has:picture', 'with pictures'],
  ['is:promoted', 'promoted conversations'],
  ['after:2026-11-01', 'by date; before: too'],
];

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function entity(all, name) {
  if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? all;
  const n = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all;
}

/** The server's highlight as text and <mark> elements only: any other markup stays text. */
export function marked(html) {
  const out = document.createDocumentFragment();
  let mark = null;
  for (const part of String(html || '').split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) mark = out.appendChild(h('mark'));
    else if (/^<\/mark>$/i.test(part)) mark = null;
    else if (part) (mark || out).append(part.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, entity));
  }
  return out;
}

let ids = 0;

export class Search {
  #ctx;
  #field;
  #view;
  #state = h('div');
  #count = h('p', { class: 'search-count', role: 'status' });
  #hits = h('div', { class: 'hits', role: 'listbox', id: 'search-results', 'aria-label': 'Search results' });
  #more = h('button', { type: 'button', class: 'btn secondary more', text: 'More results', hidden: true,
    onclick: () => this.#run(true) });
  #only = h('button', { type: 'button', class: 'btn ghost sm only', text: 'Only on this page', onclick: () => this.#toggleOnly() });
  // type -> its group's list, once it has results
  #groups = new Map();
  // option element -> what picking it does
  #picks = new Map();
  #active = null;
  #timer;
  #abort;
  #cursor = null;
  // the query whose results are shown (null: none)
  #shown = null;
  // where one was before searching: {focus, scroll, hidden: [[element, was hidden]]}; null: not searching
  #back = null;
  // what had focus before the field
  #from;

  /** ctx = {ui, api, notify, from (focused before the field), page() (the context key on This page), open(post, comment)}. */
  constructor(ctx) {
    this.#ctx = ctx;
    this.#from = ctx.from;
    const field = this.#field = ctx.ui.search;
    const root = field.getRootNode();
    adopt(root);
    for (const [name, value] of [['role', 'combobox'], ['aria-autocomplete', 'list'], ['aria-controls', 'search-results'],
      ['aria-expanded', 'false']]) field.setAttribute(name, value);
    field.addEventListener('focus', ({ relatedTarget }) => {
      if (this.#back) return;
      this.#from = relatedTarget;
      if (field.value.trim()) this.#typed();
    });
    field.addEventListener('input', () => this.#typed());
    field.addEventListener('keydown', (event) => this.#key(event));
    this.#view = h('section', { class: 'scroll search-view', 'aria-label': 'Search', part: 'search-view', hidden: true },
      h('div', { class: 'search-head' },
        h('button', { type: 'button', class: 'btn link back', onclick: () => this.#leave() }, icon('back'), h('span', { text: 'Conversations' })),
        this.#only),
      this.#count, this.#state, this.#hits, this.#more);
    this.#view.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.target === field) return;
      event.stopPropagation();
      this.#leave();
    });
    this.#hits.addEventListener('click', (event) => {
      const option = event.target.closest('[role=option]');
      if (option) this.#picks.get(option)?.();
    });
    // the bell's list, or a conversation picked in a person's card, is shown instead of the results
    // the bell's list takes the results' place: they go first (capture), and what was typed with them
    ctx.ui.bell.addEventListener('click', () => this.leave(), true);
    root.addEventListener('click', (event) => this.#back && event.target.closest('.pc-posts button') && this.#leave(false), true);
    ctx.ui.panel.after(this.#view);
    // typed before this module came
    if (field.value.trim()) this.#typed();
  }

  #typed() {
    const q = this.#field.value.trim();
    clearTimeout(this.#timer);
    if (!this.#back && !q) return;
    if (!this.#back) this.#enter();
    this.#paintOnly();
    if (!q) {
      this.#abort?.abort();
      return this.#hints('Search Chatter', 'Conversations, comments and people. Words you type must all match; add these to narrow it down:');
    }
    this.#timer = setTimeout(() => this.#run(), WAIT);
  }

  /** The results instead of what the pane showed (the conversations, the notifications). */
  #enter() {
    const { ui } = this.#ctx;
    const hidden = [...ui.pane.querySelectorAll(':scope > .toolbar, :scope > .scroll')].filter((el) => el !== this.#view)
      .map((el) => [el, el.hidden]);
    this.#back = { focus: this.#from, scroll: ui.panel.scrollTop, hidden };
    for (const [el] of hidden) el.hidden = true;
    this.#view.hidden = false;
    this.#field.setAttribute('aria-expanded', 'true');
  }

  /** Stop searching without moving focus: the field empties (the bell opens, one signs out). */
  leave() {
    if (!this.#back) return;
    this.#leave(false);
    this.#field.value = '';
  }

  /** Back to where one was (`focus`: focus too, else the field is left as it is). */
  #leave(focus = true) {
    const back = this.#back;
    if (!back) return;
    this.#back = null;
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#activate(null);
    this.#view.hidden = true;
    this.#field.setAttribute('aria-expanded', 'false');
    for (const [el, hidden] of back.hidden) el.hidden = hidden;
    this.#ctx.ui.panel.scrollTop = back.scroll;
    if (focus) {
      this.#field.value = '';
      if (back.focus?.isConnected) back.focus.focus({ preventScroll: true });
    }
  }

  #key(event) {
    const options = [...this.#hits.querySelectorAll('[role=option]')];
    const at = options.indexOf(this.#active);
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step && this.#back) {
      event.preventDefault();
      const next = options[Math.min(options.length - 1, at + step)];
      this.#activate(at + step < 0 ? null : next || null);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const q = this.#field.value.trim();
      // the first result when none is chosen, if it answers what the field says
      const option = this.#active || (this.#shown === q && options[0]);
      if (option) option.click();
      else if (q) {
        clearTimeout(this.#timer);
        this.#run();
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (this.#back) this.#leave();
      else this.#field.value = '';
    }
  }

  /** Make `option` the one Enter opens (null: none). */
  #activate(option) {
    this.#active?.setAttribute('aria-selected', 'false');
    this.#active = option;
    if (option) {
      option.setAttribute('aria-selected', 'true');
      option.scrollIntoView({ block: 'nearest' });
      this.#field.setAttribute('aria-activedescendant', option.id);
    } else this.#field.removeAttribute('aria-activedescendant');
  }

  /** Ask for the field's query (`more`: its next page). */
  async #run(more = false) {
    const q = this.#field.value.trim();
    if (!q) return;
    this.#abort?.abort();
    const abort = this.#abort = new AbortController();
    const { api } = this.#ctx;
    this.#hits.setAttribute('aria-busy', 'true');
    this.#more.disabled = true;
    if (!more && !this.#picks.size) {
      this.#say('Searching…');
      this.#tell('Searching…');
    }
    try {
      const page = await api.get('/search', { q, type: 'all', cursor: more ? this.#cursor : null }, abort.signal);
      if (abort.signal.aborted) return;
      if (!more) this.#clear();
      this.#shown = q;
      for (const item of page.items) this.#add(item);
      this.#cursor = page.next_cursor;
      this.#more.hidden = !this.#cursor;
      if (!this.#picks.size) {
        return this.#hints(`Nothing matches “${q}”`, 'Try other or fewer words, or one of these:');
      }
      this.#state.replaceChildren();
      const n = Math.max(page.total_estimate || 0, this.#picks.size);
      this.#tell(this.#cursor ? `About ${plural(n, 'result')}` : plural(this.#picks.size, 'result'), true);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (more) return this.#ctx.notify(error.message, true);
      this.#clear();
      // an empty query, a bad date: what the server says, with the hints
      if (error.status === 422) return this.#hints(error.message, 'Add words to search for, for example:');
      this.#state.replaceChildren(h('div', { class: 'state', role: 'alert' },
        h('p', { class: 'state-title', text: 'Search is not available right now' }), h('p', { class: 'state-text', text: error.message }),
        h('button', { type: 'button', class: 'btn secondary', onclick: () => { this.#field.focus(); this.#run(); } },
          icon('refresh'), h('span', { text: 'Try again' }))));
    } finally {
      if (!abort.signal.aborted) {
        this.#hits.setAttribute('aria-busy', 'false');
        this.#more.disabled = false;
      }
    }
  }

  /** No results shown. */
  #clear() {
    this.#activate(null);
    this.#picks.clear();
    this.#groups.clear();
    this.#hits.replaceChildren();
    this.#shown = null;
    this.#more.hidden = true;
    this.#tell('');
  }

  /** Say `text` politely, shown above the results when `visible` (else the state shows it). */
  #tell(text, visible = false) {
    this.#count.textContent = text;
    this.#count.classList.toggle('sr', !visible);
  }

  /** A state in words instead of results (`text`: a smaller line). */
  #say(title, text, ...more) {
    this.#state.replaceChildren(h('div', { class: 'state' }, h('p', { class: text ? 'state-title' : 'state-text', text: title }),
      text && h('p', { class: 'state-text', text }), ...more));
  }

  /** A state with the query language under it. */
  #hints(title, text) {
    this.#clear();
    this.#tell(title);
    this.#say(title, text, h('dl', { class: 'hints' },
      hints(this.#ctx.page()).map(([example, means]) => [h('dt', {}, h('code', { text: example })), h('dd', { text: means })])));
  }

  /** One result, in its group. */
  #add(item) {
    const group = this.#groups.get(item.type) || this.#group(item.type);
    if (!group) return;
    const { open } = this.#ctx;
    const person = item.type === 'person';
    const who = person ? item : item.author;
    const face = avatar(who, 'sm');
    face.removeAttribute('data-person');
    const option = h('div', { role: 'option', id: `hit${++ids}`, class: 'hit', tabindex: '-1', 'aria-selected': 'false',
      'data-person': person ? item.id : null }, face);
    const context = item.context && (item.context.title || item.context.key);
    if (person) {
      const meta = [`@${item.handle}`, item.title, item.department].filter(Boolean).join(' · ');
      option.append(h('span', { class: 'hit-main' }, h('span', { class: 'hit-text', text: item.name }),
        h('span', { class: 'hit-meta', text: meta, title: meta })));
    } else {
      option.append(h('span', { class: 'hit-main' },
        h('span', { class: 'hit-by' }, h('strong', { text: who.name }), ' · ', timeElement(item.created_at)),
        h('span', { class: 'hit-text' }, marked(item.highlight)),
        item.type === 'comment' ? h('span', { class: 'hit-meta', text: `on “${item.post_title}”` })
          : context && h('span', { class: 'hit-meta', text: `on ${context}` })));
    }
    // a person's card opens from its data-person (element.js); focus coming back goes to the field
    this.#picks.set(option, person ? null : () => {
      this.#leave(false);
      open(item.type === 'post' ? item.id : item.post_id, item.type === 'comment' && item.id);
    });
    option.addEventListener('focus', () => {
      this.#field.focus();
      if (this.#picks.has(option)) this.#activate(option);
    });
    group.append(option);
  }

  #group(type) {
    const at = GROUPS.findIndex(([key]) => key === type);
    if (at < 0) return null;
    const id = `hits-${type}`;
    const list = h('div', { class: 'hit-list' });
    const el = h('div', { class: 'hit-group', role: 'group', 'aria-labelledby': id, 'data-type': type },
      h('div', { class: 'hit-title', id, role: 'presentation', text: GROUPS[at][1] }), list);
    // in the groups' order, whichever comes first
    const after = [...this.#hits.children].find((g) => GROUPS.findIndex(([key]) => key === g.dataset.type) > at);
    this.#hits.insertBefore(el, after || null);
    this.#groups.set(type, list);
    return list;
  }

  /** "Only on this page": shown on This page, pressed when the field says `on:` it. */
  #paintOnly() {
    const page = this.#ctx.page();
    this.#only.hidden = !page;
    this.#only.setAttribute('aria-pressed', String(!!page && this.#field.value.split(/\s+/).includes(`on:${page}`)));
  }

  #toggleOnly() {
    const token = `on:${this.#ctx.page()}`;
    const words = this.#field.value.split(/\s+/).filter(Boolean);
    const on = words.includes(token);
    this.#field.value = (on ? words.filter((w) => w !== token) : [...words, token]).join(' ');
    this.#typed();
  }
}
