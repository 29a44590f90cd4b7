// The feed: a page of conversation cards, "load more", the "N new posts" pill, one conversation
// opened on its own (from the Promoted strip), and the live events that add or remove cards.
// Each card applies the events about itself; the feed only finds it (#cards).
import { PostCard } from './card.js';
import { h, icon } from './dom.js';
import { plural } from './text.js';

const backButton = (text, onclick) => h('button', { type: 'button', class: 'btn link back', onclick },
  icon('back'), h('span', { text }));

export class Feed {
  // post id -> PostCard, for every card shown
  #cards = new Map();
  // ids of new posts waiting behind the pill
  #fresh = new Set();
  #ctx;
  // {context (null: everyone), sort}
  #query = {};
  #first;
  #cursor;
  #ticket = 0;
  #focused;
  #rendered;
  // what "See all promoted" left: [query, the button to give focus back to]
  #left;
  #back = backButton('All conversations', () => this.#leave());

  /** ctx = {api, notify, onPromoted}; place .head, .pill, .el, .more and .say in the pane. */
  constructor(ctx) {
    this.#ctx = ctx;
    this.pill = h('button', { type: 'button', class: 'pill', hidden: true, onclick: () => this.#showFresh() });
    this.el = h('div', { class: 'feed', role: 'feed', 'aria-label': 'Conversations', part: 'feed' });
    this.more = h('button', { type: 'button', class: 'btn secondary more', text: 'Load more conversations', hidden: true,
      onclick: () => this.load(true) });
    this.say = h('div', { class: 'sr', role: 'status' });
    this.head = h('div', { class: 'view-head', hidden: true }, this.#back,
      h('h3', { class: 'view-title', text: 'Promoted conversations' }));
    this.#loading();
  }

  /** Show the first page of `query`; `first`: that page, already on its way. Resolves to the page. */
  show(query, first) {
    this.#query = query;
    this.#first = first;
    return this.load();
  }

  /** Every promoted conversation, most promoted first, until "All conversations" (or another show). */
  showPromoted(from) {
    if (!this.#query.promoted) this.#left = [this.#query, from];
    this.show({ sort: 'top', promoted: 'true' });
    this.#back.focus();
  }

  #leave() {
    const [query, from] = this.#left;
    this.show(query);
    if (from.isConnected) from.focus();
  }

  #loading() {
    this.el.setAttribute('aria-busy', 'true');
    if (this.el.firstChild?.classList.contains('skeleton')) return;
    this.el.replaceChildren(...[1, 2, 3].map(() => h('div', { class: 'skeleton', 'aria-hidden': 'true' },
      h('span', { class: 'sk-avatar' }), h('span', { class: 'sk-lines' }, h('span'), h('span'), h('span')))));
  }

  /** Load the first (or next) page; resolves to the page, or nothing when it failed or was overtaken. */
  async load(more = false) {
    const ticket = ++this.#ticket;
    const { api, notify } = this.#ctx;
    if (!more) {
      this.#cursor = null;
      this.#cards.clear();
      this.#focused = false;
      this.#fresh.clear();
      this.#pill();
      this.#loading();
      this.head.hidden = !this.#query.promoted;
    }
    this.more.disabled = true;
    try {
      const first = !more && this.#first;
      this.#first = null;
      // the server's page size: the loader's early first page asks for the same
      const fetchPage = () => api.get('/posts', { ...this.#query, cursor: this.#cursor });
      const page = await (first ? first.then((p) => p || fetchPage(), fetchPage) : fetchPage());
      if (ticket !== this.#ticket) return;
      if (!more) this.el.replaceChildren();
      for (const post of page.items) if (!this.#cards.has(post.id)) this.el.append(this.#card(post).el);
      this.#cursor = page.next_cursor;
      for (const id of this.#fresh) if (this.#cards.has(id)) this.#fresh.delete(id);
      this.#pill();
      if (!this.#cards.size) this.#empty();
      if (!this.#rendered) {
        this.#rendered = true;
        performance.mark('chatter:feed-rendered');
      }
      return page;
    } catch (error) {
      if (ticket !== this.#ticket) return;
      if (more) return notify(error.message, true);
      this.el.replaceChildren(h('div', { class: 'state', role: 'alert' },
        h('p', { class: 'state-title', text: 'Conversations could not be loaded' }),
        h('p', { class: 'state-text', text: error.message }),
        h('button', { type: 'button', class: 'btn secondary', onclick: () => this.load() },
          icon('refresh'), h('span', { text: 'Try again' }))));
    } finally {
      if (ticket === this.#ticket) {
        this.el.setAttribute('aria-busy', 'false');
        this.more.hidden = !this.#cursor;
        this.more.disabled = false;
      }
    }
  }

  /** Show one conversation with its comments open; "All conversations" returns to the feed. Returns its card. */
  focus(post) {
    const back = this.alone();
    const card = this.#card(post, true);
    this.el.append(card.el);
    card.toggleThread(true, false);
    back.focus();
    return card;
  }

  /** Empty the feed for one conversation, or for `state` instead; returns the Back button above it. */
  alone(state = '') {
    ++this.#ticket;
    this.#focused = true;
    this.head.hidden = this.more.hidden = true;
    this.#cards.clear();
    const back = backButton(this.#query.promoted ? 'Promoted conversations' : 'All conversations', () => this.load());
    this.el.setAttribute('aria-busy', 'false');
    this.el.replaceChildren(back, state);
    return back;
  }

  /** A post written here: on top of the feed (back from a conversation opened on its own). */
  async add(post) {
    if (this.#query.promoted) await this.show(this.#left[0]);
    else if (this.#focused) await this.load();
    this.#insert(post);
  }

  /** One live event: new posts wait behind the pill, deletions go, the rest goes to the cards. */
  apply({ type, context, data, following }, by, me) {
    if (type === 'user.updated') return this.#cards.forEach((card) => card.apply(type, data, by));
    const id = data.post_id || data.id;
    const card = this.#cards.get(id);
    if (type === 'post.deleted') {
      this.#fresh.delete(id);
      this.#pill();
      return this.#remove(id);
    }
    const q = this.#query;
    if (card && type === 'post.updated' && !this.#focused && ((q.answered === false && data.answer_id) || (q.outcome && !data.outcome))
      // answered, or its outcome withdrawn: out of the filter, unless its thread is open (read there)
      && !card.el.querySelector('.comment[aria-expanded=true]')) return this.#remove(id);
    if (card || type !== 'post.created') return card?.apply(type, data, by);
    // what Following lists is the server's to say: a new post's frame says so (`following`),
    // and one's own conversations are followed from the start
    const followed = following || data.author.id === me;
    // (a filter of Everyone: outcomes come with a new look; a new question is an open one)
    if (q.promoted || q.outcome || (q.kind && data.kind !== q.kind) || (q.following && !followed) || (q.context && context !== q.context)) return;
    const mine = data.author.id === me;
    // your own post (from another tab) or an empty feed: no reader to disturb
    if (!this.#focused && (mine || !this.#cards.size) && this.el.getAttribute('aria-busy') === 'false') {
      return this.#reveal([id]);
    }
    this.#fresh.add(id);
    this.#pill(!mine);
  }

  #card(post, focused) {
    const card = new PostCard(post, { ...this.#ctx, showContext: focused || !this.#query.context,
      onRemoved: (id) => this.#remove(id) });
    this.#cards.set(post.id, card);
    return card;
  }

  #remove(id) {
    const card = this.#cards.get(id);
    if (!card) return;
    if (this.#focused) return this.load();
    card.el.remove();
    this.#cards.delete(id);
    if (!this.#cards.size) this.#empty();
    this.#ctx.onPromoted();
  }

  /** Put a post at the top, or update its card when it is shown already. */
  #insert(post) {
    const known = this.#cards.get(post.id);
    if (known) return known.apply('post.updated', post), known;
    if (!this.#cards.size) this.el.replaceChildren();
    const card = this.#card(post);
    this.el.prepend(card.el);
    return card;
  }

  // A live post carries no per-viewer fields (liked by me, may edit, may delete): the cards are
  // made from the server's answer for this viewer, never from fields guessed here.
  async #reveal(ids) {
    const ticket = this.#ticket;
    const posts = await Promise.all(ids.map((id) => this.#ctx.api.get(`/posts/${id}`).catch(() => null)));
    return ticket === this.#ticket ? posts.filter(Boolean).map((post) => this.#insert(post)) : [];
  }

  #empty() {
    const { context, promoted, following, outcome, kind } = this.#query;
    const text = promoted ? 'Nothing is promoted right now.'
      : outcome ? 'No conversation has led to a change yet.'
      : kind ? 'Every question has its answer.'
      : following ? 'Follow people, pages and conversations to see them here.'
      : context ? 'No conversations on this page yet. Ask a question or share what you think — colleagues on this page will see it.'
        : 'Nobody has started a conversation yet. Be the first.';
    this.el.replaceChildren(h('div', { class: 'state' },
      h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('comment')),
      h('p', { class: 'state-title', text: 'Quiet so far' }), h('p', { class: 'state-text', text })));
  }

  #pill(announce) {
    const n = this.#fresh.size;
    const text = plural(n || 1, 'new post');
    this.pill.hidden = !n;
    this.pill.replaceChildren(icon('promote'), text);
    if (announce) this.say.textContent = text;
  }

  /** The pill was clicked: the waiting posts go on top, and the reader with them. */
  async #showFresh() {
    const ids = [...this.#fresh];
    if (this.#focused) await this.load();
    this.#fresh.clear();
    this.#pill();
    const cards = await this.#reveal(ids.filter((id) => !this.#cards.has(id)));
    this.el.closest('.scroll').scrollTo({ top: 0 });
    const top = (cards.pop() || this.#cards.get(ids.at(-1)))?.el;
    if (top) {
      top.tabIndex = -1;
      top.focus({ preventScroll: true });
    }
  }
}
