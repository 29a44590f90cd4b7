// Attention, out of the first load: loaded when the browser is idle after the first page (for
// "Follow this page"), or before when needed (a permalink, a notification frame, the bell). The
// unread count kept true by live frames, announcements, opening a conversation at a comment, and
// the notifications view — newest first, unread marked, each a button that opens its conversation
// at its comment, "Mark all as read", "Load more".
// Its styles come with it (a constructed sheet adopted on first use), out of the first load.
import { avatar, h, icon } from '../dom.js';
import { timeElement } from '../time.js';
import { styles } from './sheet.js';

const adopt = styles(`
.notes { display: flex; flex-direction: column; gap: 10px; }
.notes-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
.notes-head .back { flex-basis: 100%; }
.notes-head .view-title { flex: 1; font-size: 16px; }
.note-list { display: flex; flex-direction: column; gap: 2px; margin: 0 -6px; padding: 0; list-style: none; }
.note { position: relative; display: flex; gap: 10px; width: 100%; padding: 10px 12px 10px 20px; border: 0; border-radius: 8px;
  background: none; text-align: left; font-size: 13.5px; line-height: 1.4; }
.note:hover { background: var(--_hover); }
.note.unread { background: var(--_accent-soft); }
.note.unread::before { content: ""; position: absolute; left: 7px; top: 22px; width: 7px; height: 7px; border-radius: 50%;
  background: var(--_accent); }
.note-faces { display: flex; flex: none; width: 40px; }
.note-faces > .icon { width: 28px; height: 28px; padding: 5px; border-radius: 50%; background: var(--_promote-soft); color: var(--_promote); }
.note-faces > * + * { width: 24px; height: 24px; margin: 14px 0 0 -12px; font-size: 9.5px; box-shadow: 0 0 0 2px var(--_raised); }
.note-main { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.note-what strong { font-weight: 620; }
.note-excerpt { color: var(--_muted); overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
.note-when { font-size: 12px; color: var(--_muted); }
.note.unread .note-when { color: var(--_accent-text); font-weight: 550; }
.where-row { display: flex; align-items: baseline; gap: 8px; margin: 0 4px; }
.where-row .where { flex: 1; min-width: 0; margin: 0; }
.follow-page { font-size: 12px; }
.comment.marked > .comment-main { animation: mark 2.5s ease-out; border-radius: 8px; }
@keyframes mark { from, 40% { background: var(--_accent-soft); box-shadow: 0 0 0 4px var(--_accent-soft); } }
`);

// what each kind says after who did it; likes of a comment say so
const DID = {
  comment: () => 'commented on a conversation you follow',
  reply: () => 'replied to your comment',
  mention: () => 'mentioned you',
  like: (n) => `liked your ${n.comment_id ? 'comment' : 'post'}`,
  promotion: () => 'promoted your conversation',
  follow: () => 'followed you',
  answer: () => 'marked your comment as the answer',
  outcome: () => 'recorded what a conversation you took part in led to',
  hidden: (n) => `Your ${n.comment_id ? 'comment' : 'conversation'} was hidden after flags, until a moderator reviews it`,
  restored: (n) => `Your ${n.comment_id ? 'comment' : 'conversation'} was restored by a moderator`,
};
// kinds no person did: told without a name
const NOBODY = new Set(['hidden', 'restored']);

/** Who did it, newest first: ["Ana"], ["Ana", "Bo"] or ["Ana", "3 others"]. */
function who({ actors, actor_count: count }) {
  const first = actors[0]?.name || 'Someone';
  if (count === 2 && actors[1]) return [first, actors[1].name];
  return count > 1 ? [first, `${count - 1} other${count > 2 ? 's' : ''}`] : [first];
}

const did = (n) => (DID[n.kind] || (() => 'did something'))(n);

/** The notification in words: "Ana and 3 others liked your post". */
export function phrase(n) {
  return NOBODY.has(n.kind) ? did(n) : `${who(n).join(' and ')} ${did(n)}`;
}

export class Attention {
  #ctx;
  // ids of the unread notifications known here: a grouped one arriving again is counted once
  #known = new Set();
  // the first page's unread ids are known (or nothing was unread): an id not known is new
  #synced = false;
  // frames applied one after another (one may wait for the first page)
  #queue = Promise.resolve();
  #view;
  // "Follow this page", once shown
  #page;
  // new notifications, said politely: beside the pane, so a collapsed pane says them too
  #say = h('div', { class: 'sr said', 'aria-live': 'polite' });

  /** ctx = {pane, ui, feed, api, notify, count(n?)}: the pane, its parts and its unread count. */
  constructor(ctx) {
    this.#ctx = ctx;
    this.#synced = !ctx.count();
    const root = ctx.ui.pane.getRootNode();
    adopt(root);
    root.append(this.#say);
    // the pane is made once per page: this listener lives as long as it
    addEventListener('hashchange', () => ctx.pane.isConnected && this.hash());
  }

  get count() {
    return this.#ctx.count();
  }

  /** Show `n` unread (the server's count: the first page's unread ids are what is known). */
  set(n, synced) {
    if (!n) this.#known.clear();
    this.#synced ||= !n || !!synced;
    this.#ctx.count(Math.max(0, n));
  }

  /** An unread notification shown: counted already. */
  know(id) {
    this.#known.add(id);
  }

  /** One live frame: a notification (a comment on a followed conversation carries one), read elsewhere, or withdrawn. */
  apply(frame) {
    this.#queue = this.#queue.then(() => this.#apply(frame)).catch(() => {});
  }

  async #apply({ type, data, notification }) {
    if (notification || type === 'notification') {
      const item = notification || data;
      // a comment in the very thread the reader has in front of them is read as it comes
      if (this.#reading(item)) return this.set((await this.#ctx.api.call('POST', '/notifications/read', { post_id: item.post_id })).unread_count);
      // A grouped notification (likes, comments on a conversation) comes again with the same id
      // while unread: counted once. One unread since before this page is known only from the list.
      if (!this.#known.has(item.id) && !this.#synced) await this.#first();
      else if (!this.#known.has(item.id)) this.set(this.count + 1);
      this.#known.add(item.id);
      this.#say.textContent = phrase(item);
      this.#view?.apply('notification', item);
    } else if (type === 'notifications.read' || type === 'notification.withdrawn') {
      for (const id of data.ids || []) this.#known.delete(id);
      this.set(data.unread_count);
      this.#view?.apply(type, data);
    }
  }

  /** Whether `item` is a comment (a reply, a mention) in a thread open in the pane, looked at. */
  #reading({ kind, post_id: id }) {
    const { pane, ui, feed } = this.#ctx;
    const shown = ui.panel.hidden || !(pane.getAttribute('mode') === 'inline' || pane.hasAttribute('open'))
      ? null : feed.el.querySelector(`article.card[data-id="${id}"] > .thread`);
    return !!shown && /^(comment|reply|mention)$/.test(kind) && document.visibilityState === 'visible';
  }

  /** Learn the first page's unread ids and the count (which has the notification just told). */
  async #first() {
    const page = await this.#ctx.api.get('/notifications');
    for (const item of page.items) if (!item.read) this.#known.add(item.id);
    this.set(page.unread_count, true);
  }

  /** "Follow this page" beside where a post goes, for the pane's page (the host may change it). */
  async page() {
    const { pane, ui, api, notify } = this.#ctx;
    const button = this.#page ||= h('button', { type: 'button', class: 'btn link follow-page', hidden: true,
      onclick: async () => {
        if (button.ariaBusy) return;
        button.ariaBusy = 'true';
        try {
          const on = button.textContent === 'Follow this page';
          paint(await api.call(on ? 'PUT' : 'DELETE', `/pages/follow?context=${encodeURIComponent(key())}`));
        } catch (error) {
          notify(error.message, true);
        } finally {
          button.ariaBusy = null;
        }
      } });
    const key = () => pane.getAttribute('context');
    const paint = ({ followed_by_me: on }) => {
      button.textContent = on ? 'Following this page' : 'Follow this page';
      button.title = on ? 'Conversations on this page are in your Following tab. Click to stop following.' : '';
      button.hidden = false;
    };
    if (!button.isConnected) {
      const row = h('div', { class: 'where-row' });
      ui.where.replaceWith(row);
      row.append(ui.where, button);
      new MutationObserver(() => this.page()).observe(pane, { attributeFilter: ['context'] });
    }
    button.hidden = true;
    const page = key();
    // without its state the button stays hidden: it is a bonus, nothing to report
    const state = await api.get('/pages/follow', { context: page }).catch(() => null);
    if (state && page === key()) paint(state);
  }

  /** Mark notifications read: {ids}, {all: true} or {post_id}; skipped when none is unread. */
  async read(which) {
    if (this.count) this.set((await this.#ctx.api.call('POST', '/notifications/read', which)).unread_count);
  }

  /** Close the notifications view if it is open, focus left alone (signing out). */
  hide() {
    if (this.#view && !this.#view.el.hidden) this.list(false, true);
  }

  /** The notifications view instead of the conversations, or (`show` false) back to them; the bell toggles. */
  list(show = !this.#view || this.#view.el.hidden, quiet = false) {
    const { ui } = this.#ctx;
    const view = this.#view ||= new Notifications(this, { ...this.#ctx, back: () => this.list(false),
      go: (item) => this.open(item.post_id, item.comment_id) });
    if (!view.el.isConnected) ui.panel.after(view.el);
    if (show) view.load();
    view.el.hidden = !show;
    ui.panel.hidden = ui.toolbar.hidden = show;
    ui.bell.setAttribute('aria-expanded', String(show));
    if (!quiet) (show ? view.title : ui.bell).focus();
  }

  /** Open what the page's fragment links to: #chatter-post-{id} or #chatter-comment-{id}. */
  hash() {
    const [, kind, id] = /^#chatter-(post|comment)-(\d+)$/.exec(location.hash) || [];
    if (id) this.open(kind === 'post' && +id, kind === 'comment' && +id);
  }

  // Open the pane on one conversation, even one not in the feed, at comment `commentId` if given:
  // scrolled to, marked briefly and focused; a clear state when it was deleted.
  async open(postId, commentId) {
    const { api, feed, notify } = this.#ctx;
    this.#ctx.pane.open();
    if (this.#view) this.list(false, true);
    let what = 'comment';
    try {
      postId ||= (await api.get(`/comments/${commentId}`)).post_id;
      what = 'conversation';
      const card = feed.focus(await api.get(`/posts/${postId}`));
      const li = commentId && await card.find(commentId);
      if (li) {
        li.tabIndex = -1;
        li.classList.remove('marked');
        li.classList.add('marked');
        li.addEventListener('animationend', () => li.classList.remove('marked'), { once: true });
        li.scrollIntoView({ block: 'center' });
        li.focus({ preventScroll: true });
      } else if (commentId) notify('That comment was deleted.');
    } catch (error) {
      if (error.status !== 404) return notify(error.message, true);
      feed.alone(h('div', { class: 'state', role: 'alert' },
        h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('comment')),
        h('p', { class: 'state-title', text: `This ${what} was deleted` }),
        h('p', { class: 'state-text', text: 'Its author or an admin removed it.' }))).focus();
    }
  }
}

class Notifications {
  #attention;
  #ctx;
  // notification id -> {item, li}
  #shown = new Map();
  #cursor = null;
  #ticket = 0;
  #list = h('ol', { class: 'note-list', 'aria-label': 'Notifications' });
  #state = h('div');
  #more;
  #all;
  #loaded = false;

  /** attention: the Attention (count, set(), read(), know()); ctx = {api, go(item), back(), notify}. */
  constructor(attention, ctx) {
    this.#attention = attention;
    this.#ctx = ctx;
    this.#all = h('button', { type: 'button', class: 'btn ghost sm', text: 'Mark all as read', hidden: !attention.count,
      onclick: () => this.#readAll() });
    this.#more = h('button', { type: 'button', class: 'btn secondary more', text: 'Load more', hidden: true,
      onclick: () => this.load(true) });
    this.title = h('h3', { class: 'view-title', tabindex: '-1', text: 'Notifications' });
    this.el = h('section', { class: 'scroll notes', 'aria-label': 'Notifications', part: 'notifications' },
      h('div', { class: 'notes-head' },
        h('button', { type: 'button', class: 'btn link back', onclick: () => ctx.back() }, icon('back'), h('span', { text: 'Conversations' })),
        this.title, this.#all),
      this.#state, this.#list, this.#more);
    this.el.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      ctx.back();
    });
  }

  /** The first (or next) page; the first also says how many are unread. */
  async load(more = false) {
    const ticket = ++this.#ticket;
    if (!more) {
      this.#cursor = null;
      if (!this.#shown.size) this.#say('Loading notifications…');
    }
    this.#more.disabled = true;
    this.el.setAttribute('aria-busy', 'true');
    try {
      const page = await this.#ctx.api.get('/notifications', { cursor: this.#cursor });
      if (ticket !== this.#ticket) return;
      if (!more) {
        this.#shown.clear();
        this.#list.replaceChildren();
      }
      for (const item of page.items) if (!this.#shown.has(item.id)) this.#list.append(this.#render(item));
      this.#cursor = page.next_cursor;
      if (!more) this.#attention.set(page.unread_count, true);
      this.#loaded = true;
      this.#paint();
    } catch (error) {
      if (ticket !== this.#ticket) return;
      if (more) return this.#ctx.notify(error.message, true);
      this.#say('Notifications could not be loaded', error.message, true);
    } finally {
      if (ticket === this.#ticket) {
        this.el.setAttribute('aria-busy', 'false');
        this.#more.disabled = false;
        this.#more.hidden = !this.#cursor;
      }
    }
  }

  /** One live frame (counted already). */
  apply(type, data) {
    if (type === 'notification') {
      // a group that grew: its actors and count are the server's to say
      if (this.#shown.has(data.id) && !this.el.hidden) return this.load();
      this.#shown.get(data.id)?.li.remove();
      this.#list.prepend(this.#render(data));
    } else if (type === 'notification.withdrawn') {
      for (const id of data.ids || []) {
        this.#shown.get(id)?.li.remove();
        this.#shown.delete(id);
      }
    } else if (type === 'notifications.read') {
      for (const { item } of this.#shown.values()) {
        if (data.all || data.ids?.includes(item.id) || (data.post_id && item.post_id === data.post_id)) this.#mark(item);
      }
    }
    this.#paint();
  }

  #render(item) {
    const [first, second] = who(item);
    const what = NOBODY.has(item.kind) ? [did(item)]
      : [h('strong', { text: first }), second && [' and ', h('strong', { text: second })], ` ${did(item)}`];
    // a follow is about a person: their card opens (the pane opens every [data-person]'s card)
    const person = item.kind === 'follow' && item.actors[0] ? { 'data-person': item.actors[0].id } : {};
    const button = h('button', { type: 'button', class: 'note', onclick: () => this.#go(item), ...person },
      h('span', { class: 'note-faces', 'aria-hidden': 'true' }, NOBODY.has(item.kind) ? icon('flag') : item.actors.slice(0, 2).map((a) => avatar(a, 'sm'))),
      h('span', { class: 'note-main' },
        h('span', { class: 'note-what' }, what),
        item.excerpt && h('span', { class: 'note-excerpt', text: item.excerpt }),
        h('span', { class: 'note-when' }, timeElement(item.created_at),
          item.context?.title && ` · ${item.context.title}`, h('span', { class: 'sr', text: item.read ? '' : ' · unread' }))));
    const li = h('li', {}, button);
    this.#shown.set(item.id, { item, li });
    this.#mark(item, item.read);
    if (!item.read) this.#attention.know(item.id);
    return li;
  }

  /** Show `item` read (or not). */
  #mark(item, read = true) {
    item.read = read;
    const button = this.#shown.get(item.id).li.firstChild;
    button.classList.toggle('unread', !read);
    button.querySelector('.sr').textContent = read ? '' : ' · unread';
  }

  async #go(item) {
    if (!item.read) {
      this.#mark(item);
      this.#attention.read({ ids: [item.id] }).catch((error) => this.#ctx.notify(error.message, true));
    }
    if (item.post_id) this.#ctx.go(item);
  }

  async #readAll() {
    try {
      await this.#attention.read({ all: true });
      for (const { item } of this.#shown.values()) this.#mark(item);
      this.#paint();
    } catch (error) {
      this.#ctx.notify(error.message, true);
    }
  }

  #paint() {
    this.#all.hidden = !this.#attention.count;
    if (!this.#shown.size && this.#loaded) {
      this.#say('Nothing yet', 'When someone mentions you, replies or likes what you wrote, it shows up here.');
    } else if (this.#shown.size) this.#state.replaceChildren();
  }

  /** A state instead of the list: loading, empty, or an error with Try again. */
  #say(title, text, error) {
    this.#state.replaceChildren(h('div', { class: 'state', role: error ? 'alert' : null },
      !text && !error ? h('p', { class: 'state-text', text: title }) : [
        h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('bell')),
        h('p', { class: 'state-title', text: title }), h('p', { class: 'state-text', text }),
        // the button goes with the state: focus stays in the view
        error && h('button', { type: 'button', class: 'btn secondary', onclick: () => { this.title.focus(); this.load(); } },
          icon('refresh'), h('span', { text: 'Try again' }))]));
  }
}
