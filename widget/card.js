// One conversation card: byline, body, like / comment / promote, the author's edit and delete.
// The card applies its own live events, and hands those about comments to its thread (imported
// when the comments are first opened: widget/later/thread.js).
import { composer, hasDraft } from './composer.js';
import { h, icon, safeUrl } from './dom.js';
import { later, use } from './later.js';
import { body, byline, collapsible, ownActions, toggle, uid } from './parts.js';
import { gallery } from './pictures.js';
import { plural } from './text.js';

export class PostCard {
  #ctx;
  #thread;
  // the Thread on its way (its module is imported once)
  #threading;
  #like;
  #promote;
  #follow;
  #count;
  #commentButton;
  #content;
  #who;
  #nameId;

  constructor(post, ctx) {
    this.#ctx = ctx;
    this.el = h('article', { class: 'card' });
    this.#render(post);
    // a comment half written here before (another tab or sort): its thread opens with it
    if (hasDraft(`${post.id}`)) this.toggleThread(true, false);
  }

  /** One live event about this post or its comments, or a profile change; `by`: the viewer did it. */
  apply(type, data, by) {
    const post = this.post;
    const on = !type.includes('.un');
    // hidden, shown again or removed (or a hidden post edited): the frame is everyone's view, what
    // this reader may see (the author, a moderator) is read again
    if (/^post\.(hidden|restored|removed)$/.test(type) || (type === 'post.updated' && data.hidden)) return this.refresh();
    if (type === 'post.updated' || type === 'post.created') {
      // the server's per-viewer fields stay: events carry none; shown again when something changed
      // (an edit, an outcome, an answer: its thread hears of it too) unless its editor is open; an
      // echo of what is shown changes nothing (and keeps the focus where it is)
      const was = JSON.stringify(post);
      Object.assign(post, data);
      if (was !== JSON.stringify(post) && this.#content.isConnected) this.#render(post);
    } else if (type === 'post.liked' || type === 'post.unliked') {
      post.like_count = data.like_count;
      if (by) post.liked_by_me = on;
    } else if (type === 'post.promoted' || type === 'post.unpromoted') {
      post.promotion_count = data.promotion_count;
      if (by) post.promoted_by_me = on;
    } else if (type === 'user.updated') {
      if (post.author.id === data.id) {
        post.author = { ...post.author, ...data };
        this.#who.replaceWith(this.#who = byline(post.author, post, this.#nameId));
      }
    } else if (type.startsWith('comment.')) {
      // absolute counts: an echo of the viewer's own action changes nothing
      post.comment_count = data.comment_count ?? post.comment_count;
    }
    this.#thread?.apply(type, data, by);
    this.#sync();
  }

  #render(post) {
    this.post = post;
    const { api, notify } = this.#ctx;
    const nameId = this.#nameId = uid('n');
    this.el.setAttribute('aria-labelledby', nameId);
    this.el.dataset.id = post.id;
    const context = this.#ctx.showContext && post.context ? contextLink(post.context) : '';
    this.#like = toggle({ iconName: 'heart', label: 'Like', pressed: post.liked_by_me, count: post.like_count, notify,
      who: ['likes', post, this.#ctx],
      onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/posts/${post.id}/like`);
        post.liked_by_me = r.liked;
        post.like_count = r.like_count;
        return { pressed: r.liked, count: r.like_count };
      } });
    this.#promote = toggle({ iconName: 'promote', label: 'Promote', pressed: post.promoted_by_me,
      count: post.promotion_count, notify, who: ['promotions', post, this.#ctx],
      title: (s) => (s.count ? `Promoted by ${plural(s.count, 'person', 'people')}` : 'Promote: lift this conversation for everyone'),
      onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/posts/${post.id}/promotion`);
        post.promoted_by_me = r.promoted;
        post.promotion_count = r.promotion_count;
        this.#ctx.onPromoted?.();
        return { pressed: r.promoted, count: r.promotion_count };
      } });
    // following: new comments notify; not following (muted): they do not
    this.#follow = toggle({ iconName: 'bell', label: 'Follow', pressed: post.followed_by_me, count: 0, notify,
      onChange: async (on) => {
        post.followed_by_me = (await api.call(on ? 'PUT' : 'DELETE', `/posts/${post.id}/follow`)).followed_by_me;
        return { pressed: post.followed_by_me, count: 0 };
      } });
    this.#count = h('span', { class: 'n', text: post.comment_count ? String(post.comment_count) : '' });
    this.#commentButton = h('button', { type: 'button', class: 'react comment', 'aria-expanded': String(!!this.#thread?.open),
      onclick: () => this.toggleThread() }, icon('comment'), h('span', { class: 'sr', text: 'Comments' }), this.#count);
    this.#content = collapsible(body(post));
    const own = ownActions({ what: 'conversation', item: post, notify,
      onEdit: () => this.#edit(),
      onFlag: post.author.id !== api.session?.user.id && (({ currentTarget: button }) => use('policing.js', (m) => m.flag(button, post, this.#ctx), notify)),
      onDelete: async () => {
        // focus goes to the next conversation, else the one before, else the box that posts
        const next = this.el.nextElementSibling || this.el.previousElementSibling;
        await api.call('DELETE', `/posts/${post.id}`);
        this.#ctx.onRemoved(post.id);
        if (next?.isConnected && next.matches('.card')) {
          next.tabIndex = -1;
          next.focus();
        } else this.el.getRootNode().querySelector('[part=composer] textarea')?.focus();
        notify('Conversation deleted.');
      } });
    // Promote only where the server says the reader may (not their own, not hidden); its count stays
    this.#promote.el[0].hidden = !post.can_promote;
    this.#who = byline(post.author, post, nameId);
    // A hidden post: its placeholder, or the notice above it for its author or once shown anyway
    // (widget/later/policing.js; until then what follows the veil is not shown, styles.js), and no
    // reactions: only its comments, which open like any other's.
    const veil = post.hidden ? h('div', { class: 'veil' }) : '';
    if (veil) use('policing.js', (m) => m.veil(veil, post, this.#ctx), notify);
    const actions = h('footer', { class: 'actions' }, veil ? this.#commentButton
      : [this.#like.el, this.#commentButton, this.#promote.el, this.#follow.el]);
    this.el.replaceChildren(veil, h('div', { class: 'head' }, this.#who, own), context, this.#content,
      gallery(post.images, post.author.name, api.origin) || '', actions);
    this.#thread?.closed(!!veil);
    if (this.#thread) {
      this.#commentButton.setAttribute('aria-controls', this.#thread.el.id);
      if (this.#thread.open) this.el.append(this.#thread.el);
    }
    // an outcome's banner, a question's badge, and for its author (or an admin) "Record an outcome":
    // widget/later/outcome.js
    if (post.outcome || post.kind === 'question' || post.can_delete) later('outcome.js').then((m) => m.marks(this, this.#ctx), () => {});
  }

  /** Show this post as the server has it for this reader now (hidden, shown again), focus kept in the card. */
  async refresh() {
    const had = this.el.contains(this.el.getRootNode().activeElement);
    this.#render(await this.#ctx.api.get(`/posts/${this.post.id}`).catch(() => this.post));
    if (had) {
      this.el.tabIndex = -1;
      this.el.focus();
    }
  }

  /** Comment `id` in the open thread (Thread.find). */
  async find(id) {
    return (await this.#threading)?.find(id);
  }

  /** Open or close the comments; resolves once they are shown (or the module failed: said). */
  async toggleThread(forceOpen, focus = true) {
    this.#threading ||= later('thread.js').then((m) => this.#thread = new m.Thread(this.post, this.#ctx, (delta, own) => {
      this.post.comment_count = Math.max(0, this.post.comment_count + delta);
      this.#sync();
      // commenting follows the conversation unless it was muted: the server knows which
      if (own && !this.post.followed_by_me) this.#refreshFollow();
    }), (error) => {
      this.#threading = null;
      throw error;
    });
    let thread;
    try {
      thread = await this.#threading;
    } catch (error) {
      return this.#ctx.notify(error.message, true);
    }
    thread.closed(!!this.post.hidden);
    const open = thread.open = forceOpen ?? !thread.open;
    this.#commentButton.setAttribute('aria-expanded', String(open));
    this.#commentButton.setAttribute('aria-controls', thread.el.id);
    if (open) {
      this.el.append(thread.el);
      thread.show();
      if (focus) thread.writer.focus();
      this.#ctx.onOpen?.(this.post.id);
    } else {
      thread.el.remove();
    }
  }

  /** Show this.post's counts and pressed states. */
  async #refreshFollow() {
    try {
      this.post.followed_by_me = (await this.#ctx.api.call('GET', `/posts/${this.post.id}`)).followed_by_me;
      this.#sync();
    } catch { /* the toggle keeps what it showed; the next page load says */ }
  }

  #sync() {
    const p = this.post;
    this.#like.set({ pressed: p.liked_by_me, count: p.like_count });
    this.#promote.set({ pressed: p.promoted_by_me, count: p.promotion_count });
    this.#follow.set({ pressed: p.followed_by_me, count: 0 });
    this.#count.textContent = p.comment_count || '';
  }

  #edit() {
    const editor = composer({ label: 'Edit conversation', limit: 'post_body', api: this.#ctx.api, initial: this.post.body,
      submitText: 'Save', busyText: 'Saving…',
      onCancel: () => { editor.el.replaceWith(this.#content); this.el.querySelector('.own .edit')?.focus(); },
      onSubmit: async (text) => {
        this.#render(await this.#ctx.api.call('PATCH', `/posts/${this.post.id}`, { body: text }));
        this.#ctx.notify('Conversation updated.');
      } });
    this.#content.replaceWith(editor.el);
    editor.focus();
  }
}

function contextLink(context) {
  const url = safeUrl(context.url);
  const label = context.title || context.key;
  return h('div', { class: 'context' }, icon('link'), h('span', { text: 'on ' }),
    url ? h('a', { href: url, text: label, target: '_top' }) : h('span', { class: 'ctx-name', text: label }));
}
