// <chatter-pane>: the shell — sign-in, tabs, sort, composer, Promoted strip and the feed.
import { Api } from './api.js';
import { PostCard } from './card.js';
import { composer } from './composer.js';
import { avatar, h, icon, iconButton } from './dom.js';
import { sheet } from './styles.js';
import { excerpt } from './text.js';
import { stream } from './stream.js';
import { refreshTimes } from './time.js';

// a UI preference only; tokens never touch storage
const OPEN_KEY = 'chatter:pane-open';
const POST_MAX = 5000;
// embed.js's sign-in brings the first page along (This page, Latest, 20): keep them in step
const PAGE = 20;
// Viewports at least this wide dock the open pane beside the page rather than over it.
const WIDE = 1024;
// The one thing the pane changes outside its own element. While a docked pane is open beside
// the page (wide viewports, unless the tag says data-dock="overlay"), this constructed sheet,
// adopted into the host document, gives the root element a right margin as wide as the pane:
// the page reflows beside the pane instead of lying under it. It is taken out again when the pane
// closes, turns inline or overlay, or leaves the document; the media query follows resizes.
const room = new CSSStyleSheet();
const TABS = [['page', 'This page'], ['all', 'Everyone']];
const SORTS = [['latest', 'Latest'], ['active', 'Active'], ['top', 'Top']];

function remember(open) {
  try {
    localStorage.setItem(OPEN_KEY, open ? '1' : '0');
  } catch {
    // storage blocked: the pane simply forgets
  }
}

function remembered() {
  try {
    return localStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

class ChatterPane extends HTMLElement {
  #root;
  #config = null;
  #api = null;
  #ui = {};
  #tab = 'page';
  #sort = 'latest';
  #cursor = null;
  #cards = new Map();
  #ticket = 0;
  #timer = 0;
  #toastTimer = 0;
  #rendered = false;
  #me = null;
  #live = null;
  // new posts waiting behind the "N new posts" pill
  #fresh = new Map();
  #focused = false;

  static observedAttributes = ['open', 'mode', 'dock'];

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [sheet];
  }

  connectedCallback() {
    // Room is made before the shadow tree is built: reading --chatter-width then styles the host
    // alone, not the whole new pane (~10 ms of forced style recalculation before the first render).
    if (this.docked && !this.hasAttribute('open') && !this.hasAttribute('closed')) {
      const stored = remembered();
      // opening makes room (attributeChangedCallback); a second read would restyle the host page
      this.#setOpen(stored ? stored === '1' : matchMedia(`(min-width: ${WIDE}px)`).matches, false);
    } else {
      this.#makeRoom();
    }
    if (!this.#ui.pane) this.#build();
    this.#timer = setInterval(() => refreshTimes(this.#root), 60_000);
    if (this.#config && !this.#api) this.#start();
    else this.#live?.start();
  }

  disconnectedCallback() {
    this.#makeRoom();
    clearInterval(this.#timer);
    this.#live?.stop();
  }

  attributeChangedCallback() {
    this.#makeRoom();
  }

  /** Add or remove the host document's margin for an open pane docked beside the page. */
  #makeRoom() {
    const beside = this.isConnected && this.docked && this.hasAttribute('open') && this.getAttribute('dock') !== 'overlay';
    const others = document.adoptedStyleSheets.filter((s) => s !== room);
    if (beside) {
      const width = getComputedStyle(this).getPropertyValue('--chatter-width').trim() || '380px';
      room.replaceSync(`@media (min-width: ${WIDE}px) { html { margin-right: ${width} !important; } }`);
    }
    if (beside || others.length !== document.adoptedStyleSheets.length) {
      document.adoptedStyleSheets = beside ? [...others, room] : others;
    }
  }

  get docked() {
    return this.getAttribute('mode') !== 'inline';
  }

  /** embed.js hands over {origin, identityToken(), early, first, context, contextTitle, contextUrl, transport}. */
  configure(config) {
    performance.mark('chatter:configured');
    this.#config = config;
    if (this.isConnected && !this.#api) this.#start();
  }

  /** Try signing in again, e.g. after Chatter.configure() supplied a token source. */
  retry() {
    if (this.#config) this.#start(true);
  }

  open() {
    this.#setOpen(true);
  }

  close() {
    this.#setOpen(false);
  }

  async logout() {
    this.#live?.stop();
    this.#live = null;
    await this.#api?.signOut().catch(() => {});
    this.#ui.me.replaceChildren();
    this.#ui.dev.hidden = true;
    this.#cards.clear();
    this.#ui.main.hidden = true;
    this.#message('Signed out', 'You are signed out of Chatter.', 'Sign in', () => this.#start(true));
  }

  #setOpen(open, store = true) {
    if (!this.docked) return;
    const was = this.hasAttribute('open');
    this.toggleAttribute('open', open);
    this.toggleAttribute('closed', !open);
    if (store) remember(open);
    if (store && open !== was) (open ? this.#ui.close : this.#ui.handle).focus();
  }

  #build() {
    const ui = this.#ui;
    ui.dev = h('span', { class: 'badge', title: 'Dev mode: identities are not verified by an intranet', text: 'DEV', hidden: true });
    ui.me = h('span', { class: 'me' });
    ui.conn = h('span', { class: 'conn', role: 'status' });
    ui.close = iconButton('close', 'Collapse Chatter', () => this.#setOpen(false), { class: 'btn-icon collapse' });
    ui.tabs = TABS.map(([key, label]) => h('button', { type: 'button', role: 'tab', id: `tab-${key}`,
      'aria-controls': 'panel', class: 'tab', text: label, onclick: () => this.#selectTab(key) }));
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Conversations' }, ui.tabs);
    tablist.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = (TABS.findIndex(([k]) => k === this.#tab) + step + TABS.length) % TABS.length;
      this.#selectTab(TABS[next][0]);
      ui.tabs[next].focus();
    });
    ui.sort = h('select', { class: 'sort', 'aria-label': 'Sort conversations',
      onchange: () => { this.#sort = ui.sort.value; this.#loadFeed(); } },
    SORTS.map(([key, label]) => h('option', { value: key, text: label })));
    ui.write = composer({ label: 'Start a conversation', placeholder: 'Start a conversation…', max: POST_MAX,
      submitText: 'Post', busyText: 'Posting…', api: { upload: (...a) => this.#api.upload(...a) },
      onSubmit: (text, key, images) => this.#createPost(text, key, images) });
    ui.pill = h('button', { type: 'button', class: 'pill', hidden: true, onclick: () => this.#showFresh() });
    ui.say = h('div', { class: 'sr', role: 'status' });
    ui.promoted = h('section', { class: 'promoted', 'aria-labelledby': 'promoted-h', hidden: true });
    ui.feed = h('div', { class: 'feed', role: 'feed', 'aria-label': 'Conversations', 'aria-busy': 'true' });
    ui.more = h('button', { type: 'button', class: 'btn secondary more', text: 'Load more conversations', hidden: true,
      onclick: () => this.#loadFeed(true) });
    ui.main = h('div', { class: 'main' }, ui.write.el, ui.promoted, h('div', { class: 'pill-bar' }, ui.pill), ui.feed,
      ui.more, ui.say);
    ui.state = h('div', { class: 'state-box' });
    ui.panel = h('div', { class: 'scroll', id: 'panel', role: 'tabpanel', 'aria-labelledby': 'tab-page' },
      ui.state, ui.main);
    ui.toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
    ui.pane = h('section', { class: 'pane', 'aria-label': 'Chatter' },
      h('header', { class: 'top' },
        h('span', { class: 'logo', 'aria-hidden': 'true' }, icon('chat')),
        h('h2', { class: 'title', text: 'Chatter' }), ui.dev, h('span', { class: 'spacer' }), ui.conn, ui.me, ui.close),
      h('div', { class: 'toolbar' }, tablist, ui.sort),
      ui.panel, ui.toast);
    ui.handle = h('button', { type: 'button', class: 'handle', 'aria-label': 'Open Chatter', title: 'Open Chatter',
      onclick: () => this.#setOpen(true) }, icon('chat'), h('span', { class: 'handle-text', text: 'Chatter' }));
    const backdrop = h('div', { class: 'backdrop', onclick: () => this.#setOpen(false) });
    this.#root.replaceChildren(backdrop, ui.pane, ui.handle);
    this.#root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.docked && matchMedia('(max-width: 720px)').matches) this.#setOpen(false);
    });
    this.#paintTabs();
    this.#loading();
  }

  #paintTabs() {
    for (const [i, [key]] of TABS.entries()) {
      const selected = key === this.#tab;
      this.#ui.tabs[i].setAttribute('aria-selected', String(selected));
      this.#ui.tabs[i].tabIndex = selected ? 0 : -1;
      if (selected) this.#ui.panel.setAttribute('aria-labelledby', this.#ui.tabs[i].id);
    }
  }

  #selectTab(key) {
    if (key === this.#tab) return;
    this.#tab = key;
    this.#paintTabs();
    this.#loadFeed();
  }

  async #start(again = false) {
    this.#live?.stop();
    // While the loader's early sign-in is on its way the skeleton stays: no "Signing you in…" for a
    // frame or two, and no second layout of the pane when the session arrives.
    if (again || !this.#config.early) {
      this.#ui.main.hidden = true;
      this.#ui.state.replaceChildren(h('p', { class: 'state-text', text: 'Signing you in…' }));
    }
    this.#api ||= new Api(this.#config.origin, this.#config.identityToken, this.#config.early);
    if (again) this.#config.first = null;
    if (again && this.#api.session) await this.#api.signOut().catch(() => {});
    let session;
    try {
      session = await this.#api.signIn();
    } catch (error) {
      this.#message('Could not sign you in', error.message, 'Try again', () => this.#start(true));
      return;
    }
    performance.mark('chatter:signed-in');
    const me = this.#me = session.user;
    this.#ui.me.replaceChildren(h('span', { class: 'me-inner', title: `Signed in as ${me.name}` },
      avatar(me, 'sm'), h('span', { class: 'sr', text: `Signed in as ${me.name}` })));
    this.#ui.dev.hidden = !session.dev_mode;
    this.#ui.state.replaceChildren();
    this.#ui.main.hidden = false;
    // The first page carries the log's head read before it: the stream resumes there.
    const first = this.#loadFeed();
    this.#loadPromoted();
    const head = await first;
    this.#live?.stop();
    this.#live = stream(this.#api, this.#config.origin, {
      event: (f) => this.#apply(f),
      reset: () => {
        this.#loadFeed();
        this.#loadPromoted();
      },
      status: (up) => { this.#ui.conn.textContent = up ? '' : 'Reconnecting…'; },
    }, this.#config.transport);
    this.#live.start(head);
    if (!this.isConnected) this.#live.stop();
  }

  #message(title, text, action, onclick) {
    this.#ui.main.hidden = true;
    this.#ui.state.replaceChildren(h('div', { class: 'state' },
      h('p', { class: 'state-title', text: title }), h('p', { class: 'state-text', text }),
      action && h('button', { type: 'button', class: 'btn secondary', onclick }, icon('refresh'), h('span', { text: action }))));
  }

  #loading() {
    this.#ui.feed.setAttribute('aria-busy', 'true');
    if (this.#ui.feed.firstChild?.classList.contains('skeleton')) return;
    this.#ui.feed.replaceChildren(...[1, 2, 3].map(() => h('div', { class: 'skeleton', 'aria-hidden': 'true' },
      h('span', { class: 'sk-avatar' }), h('span', { class: 'sk-lines' }, h('span'), h('span'), h('span')))));
  }

  get #ctx() {
    return {
      api: this.#api,
      showContext: this.#tab === 'all',
      notify: (message, error) => this.#notify(message, error),
      onRemoved: (card) => {
        this.#cards.delete(card.post.id);
        if (!this.#cards.size) this.#empty();
        this.#loadPromoted();
      },
      onPromoted: () => this.#loadPromoted(),
    };
  }

  #empty() {
    const text = this.#tab === 'page'
      ? 'No conversations on this page yet. Ask a question or share what you think — colleagues on this page will see it.'
      : 'Nobody has started a conversation yet. Be the first.';
    this.#ui.feed.replaceChildren(h('div', { class: 'state' },
      h('span', { class: 'state-icon', 'aria-hidden': 'true' }, icon('comment')),
      h('p', { class: 'state-title', text: 'Quiet so far' }), h('p', { class: 'state-text', text })));
  }

  /** Load the first (or next) page; resolves to the page's last_event_id when there is one. */
  async #loadFeed(more = false) {
    const ticket = ++this.#ticket;
    let head = null;
    const ui = this.#ui;
    if (!more) {
      this.#cursor = null;
      this.#cards.clear();
      this.#focused = false;
      this.#fresh.clear();
      this.#pill();
      this.#loading();
    }
    ui.more.disabled = true;
    try {
      const query = { context: this.#tab === 'page' ? this.#config.context : null, sort: this.#sort,
        cursor: this.#cursor, limit: PAGE };
      // this very page (This page, Latest) as it came with the loader's sign-in, when it did
      const early = !more && this.#tab === 'page' && this.#sort === 'latest' && this.#config.first;
      this.#config.first = null;
      const fetchPage = () => this.#api.get('/posts', query);
      const page = await (early ? early.then((p) => p || fetchPage(), fetchPage) : fetchPage());
      if (ticket !== this.#ticket) return;
      if (!more) {
        ui.feed.replaceChildren();
        this.#cards.clear();
      }
      const ctx = this.#ctx;
      for (const post of page.items) {
        if (this.#cards.has(post.id)) continue;
        const card = new PostCard(post, ctx);
        this.#cards.set(post.id, card);
        ui.feed.append(card.el);
      }
      this.#cursor = page.next_cursor;
      head = page.last_event_id ?? null;
      for (const id of this.#fresh.keys()) if (this.#cards.has(id)) this.#fresh.delete(id);
      this.#pill();
      if (!this.#cards.size) this.#empty();
      if (!this.#rendered) {
        this.#rendered = true;
        performance.mark('chatter:feed-rendered');
      }
    } catch (error) {
      if (ticket !== this.#ticket) return;
      if (more) {
        this.#notify(error.message, true);
      } else {
        ui.feed.replaceChildren(h('div', { class: 'state', role: 'alert' },
          h('p', { class: 'state-title', text: 'Conversations could not be loaded' }),
          h('p', { class: 'state-text', text: error.message }),
          h('button', { type: 'button', class: 'btn secondary', onclick: () => this.#loadFeed() },
            icon('refresh'), h('span', { text: 'Try again' }))));
      }
    } finally {
      if (ticket === this.#ticket) {
        ui.feed.setAttribute('aria-busy', 'false');
        ui.more.hidden = !this.#cursor;
        ui.more.disabled = false;
      }
    }
    return head;
  }

  async #loadPromoted() {
    let page;
    try {
      page = await this.#api.get('/posts', { sort: 'top', promoted: 'true', limit: 5 });
    } catch {
      // the strip is a bonus; the feed reports errors
      return;
    }
    const box = this.#ui.promoted;
    box.hidden = !page.items.length;
    box.replaceChildren(h('h3', { id: 'promoted-h', class: 'section-title' }, icon('promote'), h('span', { text: 'Promoted' })),
      h('ul', { class: 'promo-list' }, page.items.map((post) => h('li', {},
        h('button', { type: 'button', class: 'promo', 'data-id': post.id, onclick: () => this.#focusPost(post) },
          h('span', { class: 'promo-text', text: excerpt(post.body, 90) }),
          h('span', { class: 'promo-meta' },
            h('span', { class: 'promo-who', text: post.author.name }),
            h('span', { class: 'promo-count', text: `▲ ${post.promotion_count}` })))))));
  }

  /** Show one conversation with its comments open; "Back" returns to the feed. */
  #focusPost(post) {
    const ui = this.#ui;
    ++this.#ticket;
    this.#focused = true;
    this.#fresh.clear();
    this.#pill();
    const card = new PostCard(post, { ...this.#ctx, showContext: true, onRemoved: () => this.#loadFeed() });
    const back = h('button', { type: 'button', class: 'btn link back', onclick: () => this.#loadFeed() },
      icon('back'), h('span', { text: 'All conversations' }));
    this.#cards.clear();
    ui.more.hidden = true;
    ui.feed.replaceChildren(back, card.el);
    card.toggleThread(true);
    back.focus();
  }

  async #createPost(text, key, images) {
    const c = this.#config;
    const post = await this.#api.call('POST', '/posts',
      { body: text, images, context: c.context, context_title: c.contextTitle, context_url: c.contextUrl }, key);
    this.#insert(post);
    this.#notify('Posted.');
  }

  /** Put a post at the top of the feed, or update it when its live event came first. */
  #insert(post) {
    const known = this.#cards.get(post.id);
    if (known) return known.update(post);
    if (!this.#cards.size) this.#ui.feed.replaceChildren();
    const card = new PostCard(post, this.#ctx);
    this.#cards.set(post.id, card);
    this.#ui.feed.prepend(card.el);
    return card;
  }

  #pill(announce) {
    const n = this.#fresh.size;
    const text = `${n || 1} new post${n > 1 ? 's' : ''}`;
    this.#ui.pill.hidden = !n;
    this.#ui.pill.replaceChildren(icon('promote'), text);
    if (announce) this.#ui.say.textContent = text;
  }

  /** The pill was clicked: the waiting posts go on top, and the reader with them. */
  #showFresh() {
    const cards = [...this.#fresh.values()].map((post) => this.#insert(post));
    this.#fresh.clear();
    this.#pill();
    this.#ui.panel.scrollTo({ top: 0 });
    const top = cards.pop()?.el;
    if (top) {
      top.tabIndex = -1;
      top.focus({ preventScroll: true });
    }
  }

  /** One live event: new posts wait behind the pill; everything else updates in place, idempotently. */
  #apply({ type, context, data }) {
    const me = this.#me.id;
    const id = data.post_id || data.id;
    const card = this.#cards.get(id);
    const post = card?.post || this.#fresh.get(id);
    const mine = data.author?.id === me;
    const on = !type.includes('.un');
    // the viewer, perhaps in another tab
    const by = data.user_id === me;
    const thread = card?.thread?.loaded && card.thread;
    const li = thread && thread.items.get(data.comment_id || data.id);
    const listed = this.#ui.promoted.querySelector(`[data-id="${id}"]`);
    let patch = { comment_count: data.comment_count };
    switch (type) {
      case 'post.created':
        if (!post && !this.#focused && (this.#tab === 'all' || context === this.#config.context)) {
          const fresh = { ...data, liked_by_me: false, promoted_by_me: false, can_edit: mine, can_delete: mine };
          // your own post (from another tab) or an empty feed: no reader to disturb
          if ((mine || !this.#cards.size) && this.#ui.feed.getAttribute('aria-busy') === 'false') this.#insert(fresh);
          else this.#fresh.set(id, fresh);
          return this.#pill(!mine);
        }
      // falls through: a post already shown is updated
      case 'post.updated':
        if (card) card.update(data);
        else if (post) Object.assign(post, data);
        return listed && this.#loadPromoted();
      case 'post.deleted':
        this.#fresh.delete(id);
        this.#pill();
        if (card) {
          card.el.remove();
          card.ctx.onRemoved(card);
        } else if (listed) this.#loadPromoted();
        return;
      case 'post.liked':
      case 'post.unliked':
        patch = { like_count: data.like_count, ...(by && { liked_by_me: on }) };
        break;
      case 'post.promoted':
      case 'post.unpromoted':
        patch = { promotion_count: data.promotion_count, ...(by && { promoted_by_me: on }) };
        // it joins or leaves the strip
        if (listed || data.promotion_count === +on) this.#loadPromoted();
        break;
      case 'comment.created':
        if (thread && !li && !thread.cursor) thread.add({ ...data, liked_by_me: false, can_edit: mine, can_delete: mine });
        break;
      case 'comment.deleted':
        if (thread) thread.drop(data.id);
        break;
      // unless it is open in an editor here
      case 'comment.updated':
        if (li && li.item.html !== data.html && li.querySelector('.comment-main > .body')) thread.swap(data);
        return;
      case 'comment.liked':
      case 'comment.unliked':
        return li?.like.set({ count: data.like_count,
          pressed: by ? on : li.like.getAttribute('aria-pressed') === 'true' });
      // a kind this pane does not show (user.updated, or one a newer server adds)
      default:
        return;
    }
    if (post) {
      // absolute counts: an echo of the viewer's own action changes nothing
      Object.assign(post, patch);
      card?.sync();
    }
  }

  #notify(message, error = false) {
    const toast = this.#ui.toast;
    toast.textContent = message;
    toast.classList.toggle('error', error);
    toast.classList.add('show');
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => toast.classList.remove('show'), error ? 6000 : 2500);
  }
}

if (!customElements.get('chatter-pane')) customElements.define('chatter-pane', ChatterPane);
