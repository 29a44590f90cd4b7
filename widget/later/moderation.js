// Moderation in the pane, out of the first load (the header's avatar imports it): its menu (with
// Your profile), the public moderation log (every employee: what was hidden, restored or removed,
// by which kind of actor, why) and, for moderators, the review queue with each item's flags and the
// three decisions. A view takes the conversations' place as the notifications do; Back returns to them.
import { h, icon } from '../dom.js';
import { use } from '../later.js';
import { renderHtml } from '../text.js';
import { timeElement } from '../time.js';
import { hiddenLine, REASONS } from './policing.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.mod-menu { position: absolute; z-index: 6; top: 46px; right: 12px; min-width: 190px; padding: 5px; border: 1px solid var(--_border-strong);
  border-radius: 10px; background: var(--_raised); box-shadow: 0 10px 30px rgba(10, 10, 30, .18); }
.mod-who { margin: 0; padding: 5px 10px 7px; border-bottom: 1px solid var(--_border); margin-bottom: 4px; font-size: 12px; color: var(--_muted);
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 260px; }
.mod-item { display: flex; align-items: center; gap: 8px; width: 100%; padding: 7px 10px; border: 0; border-radius: 7px; background: none;
  text-align: left; font-size: 13.5px; }
.mod-item:hover, .mod-item:focus-visible { background: var(--_hover); }
.mod-view { display: flex; flex-direction: column; gap: 10px; }
.mod-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
.mod-head .back { flex-basis: 100%; }
.mod-head .view-title { flex: 1; font-size: 16px; }
.mod-intro { margin: -4px 0 2px; font-size: 12.5px; color: var(--_muted); }
.mod-list { display: flex; flex-direction: column; gap: 8px; margin: 0; padding: 0; list-style: none; }
.mod-entry, .review { display: flex; flex-direction: column; gap: 4px; padding: 10px 12px; border: 1px solid var(--_border);
  border-radius: var(--_radius); background: var(--_raised); font-size: 13px; line-height: 1.45; }
.mod-what { font-weight: 620; }
.mod-meta { display: flex; flex-wrap: wrap; gap: 0 6px; font-size: 12px; color: var(--_muted); }
.mod-note { margin: 2px 0; padding-left: 9px; border-left: 3px solid var(--_border-strong); color: var(--_text); }
.mod-excerpt { color: var(--_muted); overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
.mod-entry .btn.link, .review .btn.link { align-self: flex-start; font-size: 12.5px; }
.review-state { font-size: 12.5px; font-weight: 600; color: var(--_promote); }
.review .body { margin: 2px 0; padding: 8px 10px; border-radius: 8px; background: var(--_surface); font-size: 13.5px; }
.review .body:empty::before { content: "(no text)"; color: var(--_muted); }
.flags { display: flex; flex-direction: column; gap: 4px; margin: 2px 0; padding: 0; list-style: none; }
.flag-line { font-size: 12.5px; }
.flag-line strong { font-weight: 620; }
.flag-note { display: block; color: var(--_muted); }
.decide { display: flex; flex-direction: column; gap: 6px; margin-top: 4px; }
.decide textarea { min-height: 34px; padding: 5px 8px; border: 1px solid var(--_border-strong); border-radius: 8px; resize: vertical;
  background: var(--_bg); font-size: 13px; }
.decide textarea:focus { outline: none; border-color: var(--_accent); box-shadow: 0 0 0 3px var(--_accent-soft); }
.decide-bar { display: flex; flex-wrap: wrap; gap: 6px; }
.decide-bar .btn.danger { margin-left: auto; }
`);

const REASON = Object.fromEntries(REASONS.map(([key, name]) => [key, name]));
// what each action says, before "by <actor>"
const ACTION = { hidden: 'Hidden', restored: 'Restored', removed: 'Removed', dismissed: 'Flags dismissed',
  edited_after_hide: 'Edited after hiding' };
// the decisions: [action, button text, what the queue says after it]
const DECISIONS = { restore: ['Restore', 'Restored'], hide: ['Hide', 'Hidden'], dismiss: ['Dismiss flags', 'Flags dismissed'],
  remove: ['Remove', 'Removed'] };

// pane -> its Moderation (a page may hold more than one pane)
const panes = new WeakMap();

/** The pane menu (the reader's avatar); ctx = {ui, api, notify, leave() (the other views), open(post, comment)}. */
export function menu(ctx) {
  if (!panes.has(ctx.ui.pane)) panes.set(ctx.ui.pane, new Moderation(ctx));
  panes.get(ctx.ui.pane).menu();
}

/** "Hidden by 3 colleagues in 2 departments". */
export const entryLine = (entry) => `${ACTION[entry.action] || entry.action} by ${entry.actor}`;

class Moderation {
  #ctx;
  #menu = null;
  #view = null;
  // [element, was hidden] of what a view hid
  #hidden = [];

  constructor(ctx) {
    this.#ctx = ctx;
    const { ui } = ctx;
    adopt(ui.pane.getRootNode());
    // the bell's list and the search results take a view's place (capture: before their own)
    ui.bell.addEventListener('click', () => this.close(false), true);
    ui.search.addEventListener('focus', () => this.close(false), true);
    // signing out empties the avatar: the pane's state ("Signed out") is shown, not a view
    new MutationObserver(() => {
      if (!ui.me.firstChild) {
        this.#closeMenu();
        this.close(false);
      }
    }).observe(ui.me, { childList: true });
  }

  menu() {
    const { ui, api } = this.#ctx;
    if (this.#menu) return this.#closeMenu(true);
    // the reader's own people card (widget/later/people.js), as their name opens it for others
    const { notify, feed } = this.#ctx;
    const items = [['Your profile', () => use('people.js', (m) => m.person(ui.me, { api, notify, feed }, api.session.user.id), notify)],
      ['Moderation log', () => this.show(Log)]];
    if (api.session?.user.is_moderator) items.push(['Review', () => this.show(Review)]);
    const buttons = items.map(([text, run]) => h('button', { type: 'button', role: 'menuitem', class: 'mod-item', tabindex: '-1', text,
      onclick: () => { this.#closeMenu(); run(); } }));
    const el = h('div', { class: 'mod-menu', role: 'menu', 'aria-label': 'Chatter' },
      h('p', { class: 'mod-who', role: 'none', text: `Signed in as ${api.session?.user.name}` }), buttons);
    el.addEventListener('keydown', (event) => {
      const at = buttons.indexOf(event.target);
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (step) {
        event.preventDefault();
        buttons[(at + step + buttons.length) % buttons.length].focus();
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        buttons.at(event.key === 'Home' ? 0 : -1).focus();
      } else if (event.key === 'Escape') {
        event.stopPropagation();
        this.#closeMenu(true);
      } else if (event.key === 'Tab') this.#closeMenu();
    });
    const outside = (event) => !event.composedPath().some((n) => n === el || n === ui.me) && this.#closeMenu();
    this.#menu = { el, outside };
    document.addEventListener('pointerdown', outside, true);
    ui.pane.append(el);
    ui.me.setAttribute('aria-expanded', 'true');
    buttons[0].focus();
  }

  #closeMenu(focus = false) {
    if (!this.#menu) return;
    const { el, outside } = this.#menu;
    this.#menu = null;
    el.remove();
    document.removeEventListener('pointerdown', outside, true);
    this.#ctx.ui.me.setAttribute('aria-expanded', 'false');
    if (focus) this.#ctx.ui.me.focus();
  }

  /** A view (Log or Review) instead of what the pane shows; its title takes focus. */
  show(View) {
    const { ui } = this.#ctx;
    this.close(false);
    this.#ctx.leave();
    // an item opened from a view: the conversations come back first, with it
    const go = (post, comment) => {
      this.close(false);
      this.#ctx.open(post, comment);
    };
    const view = this.#view = new View({ ...this.#ctx, back: () => this.close(), go });
    this.#hidden = [...ui.pane.querySelectorAll(':scope > .toolbar, :scope > .scroll')].map((el) => [el, el.hidden]);
    for (const [el] of this.#hidden) el.hidden = true;
    ui.pane.querySelector(':scope > .toast').before(view.el);
    view.load();
    view.title.focus();
  }

  /** Back to what the pane showed before the view; `focus`: to the Moderation button too. */
  close(focus = true) {
    if (!this.#view) return;
    this.#view.el.remove();
    this.#view = null;
    for (const [el, hidden] of this.#hidden) el.hidden = hidden;
    this.#hidden = [];
    if (focus) this.#ctx.ui.me.focus();
  }
}

/** What the Log and Review views share: a head with Back, a paged list, states. */
class View {
  ctx;
  cursor = null;
  #ticket = 0;
  list = h('ol', { class: 'mod-list' });
  state = h('div');
  more = h('button', { type: 'button', class: 'btn secondary more', text: 'Load more', hidden: true, onclick: () => this.load(true) });

  constructor(ctx, title, intro, part) {
    this.ctx = ctx;
    this.title = h('h3', { class: 'view-title', tabindex: '-1', text: title });
    this.list.setAttribute('aria-label', title);
    this.el = h('section', { class: 'scroll mod-view', 'aria-label': title, part },
      h('div', { class: 'mod-head' },
        h('button', { type: 'button', class: 'btn link back', onclick: () => ctx.back() }, icon('back'), h('span', { text: 'Conversations' })),
        this.title),
      h('p', { class: 'mod-intro', text: intro }), this.state, this.list, this.more);
    this.el.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.target.closest('textarea')) return;
      event.stopPropagation();
      ctx.back();
    });
  }

  /** The first (or next) page. */
  async load(more = false) {
    const ticket = ++this.#ticket;
    if (!more) {
      this.cursor = null;
      this.say('Loading…');
    }
    this.more.disabled = true;
    this.el.setAttribute('aria-busy', 'true');
    try {
      const page = await this.ctx.api.get(this.path, { cursor: this.cursor });
      if (ticket !== this.#ticket) return;
      if (!more) this.list.replaceChildren();
      const items = this.items(page);
      this.list.append(...items.map((item) => this.render(item)));
      this.cursor = page.next;
      this.empty();
    } catch (error) {
      if (ticket !== this.#ticket) return;
      if (more) return this.ctx.notify(error.message, true);
      this.say(`${this.title.textContent} could not be loaded`, error.message, true);
    } finally {
      if (ticket === this.#ticket) {
        this.el.setAttribute('aria-busy', 'false');
        this.more.disabled = false;
        this.more.hidden = !this.cursor;
      }
    }
  }

  /** The empty state when nothing is listed, else none. */
  empty() {
    if (this.list.children.length) this.state.replaceChildren();
    else this.say(...this.nothing);
  }

  /** A state above the list: loading, empty, or an error with Try again. */
  say(title, text, error) {
    this.state.replaceChildren(h('div', { class: 'state', role: error ? 'alert' : 'status' },
      !text ? h('p', { class: 'state-text', text: title }) : [
        h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('flag')),
        h('p', { class: 'state-title', text: title }), h('p', { class: 'state-text', text }),
        error && h('button', { type: 'button', class: 'btn secondary', onclick: () => { this.title.focus(); this.load(); } },
          icon('refresh'), h('span', { text: 'Try again' }))]));
  }
}

class Log extends View {
  path = '/moderation/log';
  nothing = ['Nothing moderated yet', 'When colleagues hide something, or a moderator restores or removes it, it is listed here.'];

  constructor(ctx) {
    super(ctx, 'Moderation log', 'What was hidden, restored or removed, by whom and why — for everyone to see. Flaggers are never named.',
      'moderation-log');
  }

  items(page) {
    return page.entries;
  }

  render(entry) {
    const { item } = entry;
    const kind = item.comment_id ? 'A comment' : 'A conversation';
    const gone = entry.action === 'removed';
    return h('li', { class: 'mod-entry' },
      h('span', { class: 'mod-what', text: entryLine(entry) }),
      h('span', { class: 'mod-meta' }, h('span', { text: kind }), entry.reason && h('span', { text: `· ${REASON[entry.reason] || entry.reason}` }),
        h('span', {}, '· ', timeElement(entry.at))),
      item.excerpt && h('span', { class: 'mod-excerpt', text: item.excerpt }),
      entry.note && h('p', { class: 'mod-note', text: entry.note }),
      !gone && item.post_id && h('button', { type: 'button', class: 'btn link', text: item.comment_id ? 'Go to the comment' : 'Go to the conversation',
        onclick: () => this.ctx.go(item.post_id, item.comment_id) }));
  }
}

class Review extends View {
  path = '/moderation/queue';
  nothing = ['Nothing to review', 'Flagged and hidden conversations and comments show up here.'];

  constructor(ctx) {
    super(ctx, 'Review', 'Flagged and hidden items. Your decision and note go into the public log; who flagged stays between moderators.',
      'moderation-review');
  }

  items(page) {
    return page.items;
  }

  render(entry) {
    const item = entry.comment || entry.post;
    const { api, notify } = this.ctx;
    const kind = entry.comment ? 'comment' : 'conversation';
    const note = h('textarea', { 'aria-label': 'Note for the log (optional)', placeholder: 'Note for the log (optional)', rows: 1 });
    const error = h('p', { class: 'error', role: 'alert' });
    const li = h('li', { class: 'review', 'aria-label': `${kind} by ${item.author.name}` });
    const decide = async (action, button) => {
      for (const b of li.querySelectorAll('.decide-bar button')) b.disabled = true;
      error.textContent = '';
      try {
        const body = { item: entry.comment ? { comment_id: item.id } : { post_id: item.id }, action };
        if (note.value.trim()) body.note = note.value.trim();
        await api.call('POST', '/moderation/decisions', body);
        // the item leaves the queue; focus goes to the next one's first decision, else the title
        const next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        this.empty();
        (next?.querySelector('.decide-bar button') || this.title).focus();
        notify(`${DECISIONS[action][1]}. The moderation log says so.`);
      } catch (failure) {
        error.textContent = failure.message;
        for (const b of li.querySelectorAll('.decide-bar button')) b.disabled = false;
        button.focus();
      }
    };
    const actions = [entry.hidden ? 'restore' : 'hide', 'dismiss', 'remove'];
    const bar = h('div', { class: 'decide-bar', role: 'group', 'aria-label': 'Decision' }, actions.map((action) => {
      const button = h('button', { type: 'button', class: `btn sm ${action === 'remove' ? 'danger' : 'secondary'}`, text: DECISIONS[action][0],
        onclick: () => {
          // removal deletes the text and pictures for good: asked once more
          if (action === 'remove' && !button.dataset.sure) {
            button.dataset.sure = '1';
            button.textContent = 'Remove for good?';
            return;
          }
          decide(action, button);
        } });
      button.addEventListener('blur', () => {
        if (button.dataset.sure && !button.disabled) {
          delete button.dataset.sure;
          button.textContent = DECISIONS.remove[0];
        }
      });
      return button;
    }));
    li.append(
      h('span', { class: 'review-state', text: entry.hidden ? hiddenLine(entry.hidden) : 'Flagged, still shown' }),
      h('span', { class: 'mod-meta' }, h('span', { text: `${kind === 'comment' ? 'Comment' : 'Conversation'} by ${item.author.name}` }),
        item.author.department && h('span', { text: `· ${item.author.department}` }), h('span', {}, '· ', timeElement(item.created_at))),
      h('div', { class: 'body' }, renderHtml(item.html, item.body)),
      h('button', { type: 'button', class: 'btn link', text: `Go to the ${kind}`, onclick: () => this.ctx.go(entry.post?.id || item.post_id, entry.comment?.id) }),
      h('ul', { class: 'flags', 'aria-label': 'Flags' }, entry.flags.map((f) => h('li', { class: 'flag-line' },
        h('strong', { text: REASON[f.reason] || f.reason }), ` · ${f.by.name}${f.by.department ? ` (${f.by.department})` : ''} · `,
        timeElement(f.at), f.note && h('span', { class: 'flag-note', text: `“${f.note}”` })))),
      h('div', { class: 'decide' }, note, error, bar));
    return li;
  }
}
