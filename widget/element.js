// <chatter-pane>: the shell — attributes, lifecycle, sign-in, header (search, the bell's count), tabs, sort,
// the composer, and the live events handed on to the feed, the Promoted strip and (notifications)
// widget/later/notifications.js. Its public API is its attributes
// (api, context, context-title, theme, mode, dock, open), its parts and two events (README).
import { Api } from './api.js';
import { composer } from './composer.js';
import { avatar, h, icon, iconButton } from './dom.js';
import { Feed } from './feed.js';
import { later, use } from './later.js';
import { Promoted } from './promoted.js';
import { sheet } from './styles.js';
import { refreshTimes } from './time.js';

// a UI preference only; tokens never touch storage
const OPEN_KEY = 'chatter:pane-open';
// Viewports at least this wide dock the open pane beside the page rather than over it.
const WIDE = 1024;
// The one thing the pane changes outside its own element. While a docked pane is open beside
// the page (wide viewports, unless the tag says data-dock="overlay"), this constructed sheet,
// adopted into the host document, gives the root element a right margin as wide as the pane:
// the page reflows beside the pane instead of lying under it. It is taken out again when the pane
// closes, turns inline or overlay, or leaves the document; the media query follows resizes.
const room = new CSSStyleSheet();
const TABS = [['page', 'This page'], ['all', 'Everyone'], ['following', 'Following']];
const SORTS = [['latest', 'Latest'], ['active', 'Active'], ['top', 'Top']];
// the Everyone tab's filters: [label, query]
const FILTERS = [['All conversations', {}], ['Led to a change', { outcome: true }], ['Open questions', { kind: 'question', answered: false }]];

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
  #config;
  #api = new Api();
  #ui = {};
  #feed;
  #promoted;
  #tab = 'page';
  #sort = 'latest';
  // the Insights view (widget/later/insights.js), made when first opened
  #insights;
  #timer;
  #toastTimer;
  #me;
  #live;
  // unread notifications; their frames, list and permalinks are widget/later/notifications.js's
  #bell = 0;
  #attention;
  #attend;
  // the search view, made on the field's first focus
  #search;
  // conversations others started on this page since the pane was last looked at
  #news = 0;
  // what the launcher shows and chatter:unread says: the two above
  #unread = 0;

  static observedAttributes = ['open', 'mode', 'dock', 'context', 'context-title'];

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
    document.addEventListener('visibilitychange', this.#look);
    if (this.#config && !this.#api.origin) this.#start();
    else this.#live?.start();
  }

  disconnectedCallback() {
    this.#makeRoom();
    clearInterval(this.#timer);
    document.removeEventListener('visibilitychange', this.#look);
    this.#live?.stop();
  }

  attributeChangedCallback(name, was, now) {
    this.#makeRoom();
    this.#look();
    if (name.startsWith('context') && this.#ui.where) this.#paintWhere();
    // a host moving to another page of its own (a single-page app) gives the pane a new context
    if (name === 'context' && was !== now && this.#me && this.#tab === 'page') this.#show();
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

  /** The loader (or a host) hands over {identityToken(), early, first, transport}; see README. */
  configure(config) {
    performance.mark('chatter:configured');
    this.#config = config;
    if (this.isConnected && !this.#api.origin) this.#start();
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
    this.#me = null;
    this.#setBell(0);
    this.#search?.leave();
    this.#attention?.hide();
    await this.#api.signOut().catch(() => {});
    this.#ui.me.replaceChildren();
    this.#ui.dev.hidden = true;
    this.#message('Signed out', 'You are signed out of Chatter.', [['Sign in', () => this.#start(true)]]);
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
    const api = this.#api;
    ui.dev = h('span', { class: 'badge', title: 'Dev mode: identities are not verified by an intranet', text: 'DEV', hidden: true });
    // the pane's menu: Your profile, the moderation log, and for moderators the review queue (widget/later/moderation.js)
    ui.me = h('button', { type: 'button', class: 'me', 'aria-haspopup': 'menu', 'aria-expanded': 'false', onclick: () => use('moderation.js',
      (m) => m.menu({ ui, api, notify, feed, leave: () => { this.#search?.leave(); this.#attention?.hide(); },
        open: (post, comment) => this.#attend((a) => a.open(post, comment)) }), notify) });
    ui.conn = h('span', { class: 'conn', role: 'status' });
    ui.close = iconButton('close', 'Collapse Chatter', () => this.#setOpen(false), { class: 'btn-icon collapse' });
    ui.tabs = TABS.map(([key, label]) => h('button', { type: 'button', role: 'tab', id: `tab-${key}`,
      'aria-controls': 'panel', class: 'tab', text: label, onclick: () => this.#selectTab(key) }));
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Conversations', part: 'tabs' }, ui.tabs);
    tablist.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = (TABS.findIndex(([k]) => k === this.#tab) + step + TABS.length) % TABS.length;
      this.#selectTab(TABS[next][0]);
      ui.tabs[next].focus();
    });
    ui.sort = h('select', { class: 'sort', 'aria-label': 'Sort conversations',
      onchange: () => { this.#sort = ui.sort.value; this.#show(); } },
    SORTS.map(([key, label]) => h('option', { value: key, text: label })));
    const write = composer({ label: 'Start a conversation', placeholder: 'Start a conversation…', limit: 'post_body',
      api, pictures: true, submitText: 'Post', busyText: 'Posting…',
      onSubmit: (text, key, images) => this.#createPost(text, key, images) });
    write.el.part = 'composer';
    // a question: the asker may mark one comment as its answer
    write.el.querySelector('.spacer').before(h('label', { class: 'ask' }, ui.ask = h('input', { type: 'checkbox' }), 'Question'));
    ui.chips = h('select', { class: 'sort', 'aria-label': 'Show', hidden: true, onchange: () => this.#show() },
      FILTERS.map(([text], i) => h('option', { value: i, text })));
    // where a post goes, said before posting on either tab (a post belongs to this page)
    ui.where = h('p', { class: 'where', id: 'where' });
    write.el.prepend(ui.where);
    write.field.setAttribute('aria-describedby', `where ${write.field.getAttribute('aria-describedby')}`);
    const notify = (message, error) => this.#notify(message, error);
    // Search (widget/later/search.js) comes with the field's first focus; it shows the results instead
    // of the conversations and opens one at its comment as a notification does.
    ui.search = h('input', { type: 'search', class: 'search', placeholder: 'Search', 'aria-label': 'Search Chatter',
      autocomplete: 'off', spellcheck: 'false', part: 'search', onfocus: ({ relatedTarget }) => later('search.js').then((m) =>
        this.#search ||= new m.Search({ ui, api, notify, from: relatedTarget, page: () => this.#tab === 'page' && this.getAttribute('context'),
          open: (post, comment) => this.#attend((a) => a.open(post, comment)) }), (error) => notify(error.message, true)) });
    // Use the attention module (widget/later/notifications.js), loaded and made on first use.
    this.#attend = (use) => later('notifications.js').then((m) => use(this.#attention ||= new m.Attention({ pane: this, ui,
      feed, api, notify, count: (n) => (n == null ? this.#bell : this.#setBell(n)) }))).catch((error) => notify(error.message, true));
    // opening a conversation reads its notifications
    const feed = this.#feed = new Feed({ api, notify, onPromoted: () => this.#promoted.load(),
      onOpen: (id) => this.#bell && this.#attend((a) => a.read({ post_id: id })) });
    this.#promoted = new Promoted(api, (post) => feed.focus(post), (button) => feed.showPromoted(button));
    ui.main = h('div', { class: 'main' }, write.el, this.#promoted.el, ui.chips, feed.head, h('div', { class: 'pill-bar' }, feed.pill), feed.el,
      feed.more, feed.say);
    ui.state = h('div', { class: 'state-box' });
    ui.panel = h('div', { class: 'scroll', id: 'panel', role: 'tabpanel', 'aria-labelledby': 'tab-page' },
      ui.state, ui.main);
    ui.toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
    ui.pane = h('section', { class: 'pane', 'aria-label': 'Chatter', part: 'pane' },
      h('header', { class: 'top', part: 'header' },
        h('span', { class: 'logo', 'aria-hidden': 'true' }, icon('chat')),
        h('h2', { class: 'title', text: 'Chatter' }), ui.dev, ui.search, ui.conn,
        ui.insights = iconButton('chart', 'Insights', () => this.#insight(), { 'aria-expanded': 'false' }),
        ui.bell = iconButton('bell', '', () => { this.#insights?.hide(); this.#attend((a) => a.list()); },
          { class: 'btn-icon inbox', part: 'bell', 'aria-expanded': 'false' }),
        ui.me, ui.close),
      ui.toolbar = h('div', { class: 'toolbar' }, tablist, ui.sort),
      ui.panel, ui.toast);
    ui.bell.append(ui.count = h('span', { class: 'dot', 'aria-hidden': 'true' }));
    ui.dot = h('span', { class: 'dot', 'aria-hidden': 'true', part: 'unread' });
    ui.handle = h('button', { type: 'button', class: 'handle', part: 'launcher', title: 'Open Chatter',
      onclick: () => this.#setOpen(true) },
      icon('chat'), h('span', { class: 'handle-text', text: 'Chatter' }), ui.dot);
    const backdrop = h('div', { class: 'backdrop', onclick: () => this.#setOpen(false) });
    this.#root.replaceChildren(backdrop, ui.pane, ui.handle);
    this.#root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.docked && matchMedia('(max-width: 720px)').matches) this.#setOpen(false);
      // `/` searches, but not while writing
      if (event.key === '/' && !event.target.closest('input, textarea, select') && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        ui.search.focus();
      }
    });
    // every name, avatar and mention opens that person's card (widget/later/people.js); the reader's own avatar is the menu
    this.#root.addEventListener('click', (event) => {
      const from = event.target.closest('[data-person]:not(.me *)');
      if (from) later('people.js').then((m) => m.person(from, { api, notify, feed }), (error) => notify(error.message, true));
      const edited = event.target.closest('[data-history]');
      if (edited) use('policing.js', (m) => m.history(edited, api), notify);
    });
    this.#paintTabs();
    this.#paintWhere();
    this.#setBell(0);
  }

  /** The page a post goes to: its title, or its context key when the page has none. */
  get #place() {
    return this.getAttribute('context-title') || this.getAttribute('context') || 'this page';
  }

  #paintWhere() {
    const where = this.#ui.where;
    where.replaceChildren('Posting on ', h('strong', { text: this.#place }));
    // the whole title when a long one is cut
    where.title = this.#place;
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
    // the Following tab has one order: newest activity first
    this.#ui.sort.hidden = key === 'following';
    this.#paintTabs();
    this.#show();
  }

  /** The feed for the tab, sort (and on Everyone, filter) chosen; the loader's early page when it is that very page. */
  #show() {
    const first = this.#tab === 'page' && this.#sort === 'latest' && this.#config.first;
    this.#config.first = null;
    const tab = this.#tab;
    const all = tab === 'all';
    this.#ui.chips.hidden = !all;
    return this.#feed.show({ context: tab === 'page' ? this.getAttribute('context') : null, sort: this.#sort,
      following: tab === 'following' || null, ...all && FILTERS[this.#ui.chips.value][1] }, first);
  }

  /** The Insights view in place of the conversations, or (`full`: view="insights") as the whole pane. */
  #insight(full) {
    return later('insights.js').then((m) => (this.#insights ||= new m.Insights({ ui: this.#ui, api: this.#api, full, attend: this.#attend }))
      .toggle(), (error) => this.#notify(error.message, true));
  }

  async #start(again = false) {
    this.#live?.stop();
    const ui = this.#ui;
    // While the loader's early sign-in is on its way the skeleton stays: no "Signing you in…" for a
    // frame or two, and no second layout of the pane when the session arrives.
    if (again || !this.#config.early) {
      ui.main.hidden = true;
      ui.state.replaceChildren(h('p', { class: 'state-text', text: 'Signing you in…' }));
    }
    const api = this.#api;
    if (!api.origin) api.connect(this.getAttribute('api'), this.#config.identityToken, this.#config.early);
    if (again) this.#config.first = null;
    if (again && api.session) await api.signOut().catch(() => {});
    let session;
    try {
      session = await api.signIn();
    } catch (error) {
      this.#signInFailed(error);
      return;
    }
    performance.mark('chatter:signed-in');
    this.#showMe(session.user);
    this.#setBell(session.user.unread_notifications);
    ui.dev.hidden = !session.dev_mode;
    ui.state.replaceChildren();
    ui.main.hidden = ui.toolbar.hidden = ui.search.hidden = false;
    if (this.getAttribute('view') === 'insights') return this.#insight(true).then(() => this.#emit('ready', { user: session.user }));
    // The first page carries the log's head read before it: the stream resumes there.
    const first = this.#show();
    this.#promoted.load();
    const page = await first;
    if (page) this.#emit('ready', { user: session.user });
    // a permalink in the page's address (README); the module follows the address from then on
    if (/^#chatter-/.test(location.hash)) this.#attend((a) => a.hash());
    // "Follow this page" comes when the browser is idle, with the module it lives in
    (window.requestIdleCallback || setTimeout)(() => this.#attend((a) => a.page()));
    // The live stream (widget/later/stream.js) is not needed to show the first page: it comes after
    // it, and resumes where that page was read, so nothing is missed meanwhile.
    let Stream;
    try {
      ({ Stream } = await later('stream.js'));
    } catch {
      return this.#notify('Live updates are off: reload the page to have them again.', true);
    }
    // signed out, or in again, meanwhile
    if (this.#me !== session.user) return;
    this.#live?.stop();
    this.#live = new Stream(api, {
      event: (f) => this.#event(f),
      reset: () => {
        this.#show();
        this.#promoted.load();
        api.get('/me').then((me) => {
          this.#setBell(me.unread_notifications);
          if (api.session) api.session.user.muted_people = me.muted_people;
        }, () => {});
      },
      status: (up) => { ui.conn.textContent = up ? '' : 'Reconnecting…'; },
    }, this.#config.transport);
    this.#live.start(page?.last_event_id);
    if (!this.isConnected) this.#live.stop();
  }

  #showMe(me) {
    this.#me = me;
    this.#ui.me.replaceChildren(h('span', { class: 'me-inner', title: `Signed in as ${me.name}` },
      avatar(me, 'sm'), h('span', { class: 'sr', text: `Signed in as ${me.name}` })));
  }

  /** One live event, handed on to the feed (and its cards) and the Promoted strip. */
  #event(frame) {
    const { type, data, context } = frame;
    const me = this.#me;
    // notifications, and comments on conversations the reader follows (they carry one)
    const told = type.startsWith('notification');
    if (told || frame.notification) this.#attend((a) => a.apply(frame));
    // a new post by someone the reader muted is not theirs to see: pages leave it out, so does the live stream
    if (told || (type === 'post.created' && this.#api.muted(data.author.id))) return;
    // muted or unmuted elsewhere (another tab): the list follows, the feed is read again
    if (type === 'mutes.changed') {
      const user = this.#api.session?.user;
      if (user && String(user.muted_people) !== String(data.muted_people)) {
        user.muted_people = data.muted_people;
        this.#feed.load();
      }
      return;
    }
    if (type === 'user.updated' && data.id === me.id) this.#showMe({ ...me, ...data });
    // news for the launcher: a conversation someone else starts on this page (what concerns the
    // reader in others' comments comes as notifications)
    if (!this.#seen && type === 'post.created' && data.author.id !== me.id && context === this.getAttribute('context')) {
      this.#setNews(this.#news + 1);
    }
    this.#feed.apply(frame, data.user_id === me.id, me.id);
    this.#promoted.apply(frame);
  }

  /** Looked at: open (or inline) in a visible page. */
  get #seen() {
    return (!this.docked || this.hasAttribute('open')) && document.visibilityState === 'visible';
  }

  #look = () => {
    if (this.#ui.pane && this.#seen) this.#setNews(0);
  };

  /** Show `n` unread notifications, on the bell and (with the news) on the launcher. */
  #setBell(n) {
    const { bell, count } = this.#ui;
    this.#bell = n || 0;
    // an empty count is not shown (styles.js)
    count.textContent = n || '';
    bell.title = bell.ariaLabel = n ? `Notifications: ${n} unread` : 'Notifications';
    this.#setNews(this.#news);
  }

  #setNews(news) {
    this.#news = news;
    const n = news + this.#bell;
    const { dot, handle } = this.#ui;
    dot.textContent = n || '';
    handle.setAttribute('aria-label', n ? `Open Chatter (${n} new)` : 'Open Chatter');
    if (n === this.#unread) return;
    this.#unread = n;
    this.#emit('unread', { count: n });
  }

  /** The outward events (README): chatter:ready and chatter:unread. */
  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(`chatter:${name}`, { bubbles: true, detail }));
  }

  /** Say in words what went wrong; the technical detail (status, URL) in a smaller line that wraps. */
  #signInFailed({ code, status, cause, message }) {
    const why = code === 'no_identity'
      ? `This page did not provide your identity${cause?.status ? ` (the intranet answered ${cause.status})` : ''}`
      : status ? `Chatter did not accept your identity (it answered ${status})` : 'The Chatter server cannot be reached';
    this.#message('Chatter could not sign you in', `${why}. Try again, or reload the page.`,
      [['Try again', () => this.#start(true)], ['Reload page', () => location.reload()]], message);
  }

  /** A state instead of the feed: a title, words, buttons ([text, onclick], the first one primary), a detail. */
  #message(title, text, actions, detail) {
    this.#ui.main.hidden = this.#ui.toolbar.hidden = this.#ui.search.hidden = true;
    this.#ui.state.replaceChildren(h('div', { class: 'state', role: 'alert' },
      h('p', { class: 'state-title', text: title }), h('p', { class: 'state-text', text }),
      h('div', { class: 'state-actions' }, actions.map(([label, onclick], i) => h('button', { type: 'button',
        class: `btn ${i ? 'secondary' : 'primary'}`, onclick }, !i && icon('refresh'), h('span', { text: label })))),
      detail && h('p', { class: 'state-detail', text: detail })));
  }

  async #createPost(text, key, images) {
    const page = /^https?:$/.test(location.protocol) ? (location.origin + location.pathname).slice(0, 500) : null;
    const post = await this.#api.call('POST', '/posts', { body: text, images, context: this.getAttribute('context'),
      context_title: this.getAttribute('context-title') || null, context_url: page, kind: this.#ui.ask.checked ? 'question' : undefined }, key);
    this.#ui.ask.checked = false;
    await this.#feed.add(post);
    this.#notify(`Posted on ${this.#place}.`);
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
