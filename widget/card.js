// One conversation card: byline, body, like / comment / promote, the author's edit and delete.
import { composer } from './composer.js';
import { h, icon, safeUrl } from './dom.js';
import { body, byline, ownActions, toggle, uid } from './parts.js';
import { gallery } from './pictures.js';
import { Thread } from './thread.js';

const POST_MAX = 5000;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class PostCard {
  constructor(post, ctx) {
    this.ctx = ctx;
    this.thread = null;
    this.el = h('article', { class: 'card' });
    this.render(post);
  }

  render(post) {
    this.post = post;
    const { api, notify } = this.ctx;
    const nameId = uid('n');
    this.el.setAttribute('aria-labelledby', nameId);
    this.el.dataset.id = post.id;
    const context = this.ctx.showContext && post.context ? contextLink(post.context) : '';
    const like = this.like = toggle({ iconName: 'heart', label: 'Like', pressed: post.liked_by_me, count: post.like_count, notify,
      onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/posts/${post.id}/like`);
        post.liked_by_me = r.liked;
        post.like_count = r.like_count;
        return { pressed: r.liked, count: r.like_count };
      } });
    const promote = this.promote = toggle({ iconName: 'promote', label: 'Promote', pressed: post.promoted_by_me,
      count: post.promotion_count, notify,
      title: (s) => (s.count ? `Promoted by ${plural(s.count, 'person')}` : 'Promote: lift this conversation for everyone'),
      onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/posts/${post.id}/promotion`);
        post.promoted_by_me = r.promoted;
        post.promotion_count = r.promotion_count;
        this.ctx.onPromoted?.();
        return { pressed: r.promoted, count: r.promotion_count };
      } });
    this.commentCount = h('span', { class: 'n', text: post.comment_count ? String(post.comment_count) : '' });
    this.commentButton = h('button', { type: 'button', class: 'react comment', 'aria-expanded': String(!!this.thread?.open),
      onclick: () => this.toggleThread() }, icon('comment'), h('span', { class: 'sr', text: 'Comments' }), this.commentCount);
    this.content = body(post);
    const own = ownActions({ what: 'conversation', item: post, notify,
      onEdit: () => this.edit(),
      onDelete: async () => {
        await api.call('DELETE', `/posts/${post.id}`);
        this.el.remove();
        this.ctx.onRemoved?.(this);
        notify('Conversation deleted.');
      } });
    const actions = h('footer', { class: 'actions' }, like, this.commentButton, promote);
    this.el.replaceChildren(h('div', { class: 'head' }, byline(post.author, post, nameId), own), context, this.content,
      gallery(post.images, post.author.name, api.origin) || '', actions);
    if (this.thread) {
      this.commentButton.setAttribute('aria-controls', this.thread.el.id);
      if (this.thread.open) this.el.append(this.thread.el);
    }
  }

  toggleThread(forceOpen) {
    this.thread ||= new Thread(this.post, this.ctx, (delta) => this.countComments(delta));
    const open = forceOpen ?? !this.thread.open;
    this.thread.open = open;
    this.commentButton.setAttribute('aria-expanded', String(open));
    this.commentButton.setAttribute('aria-controls', this.thread.el.id);
    if (open) {
      this.el.append(this.thread.el);
      if (!this.thread.loaded) this.thread.load();
      this.thread.writer.focus();
    } else {
      this.thread.el.remove();
    }
  }

  countComments(delta) {
    this.post.comment_count = Math.max(0, this.post.comment_count + delta);
    this.sync();
  }

  /** Show this.post's counts and pressed states (after a live event changed them). */
  sync() {
    const p = this.post;
    this.like.set({ pressed: p.liked_by_me, count: p.like_count });
    this.promote.set({ pressed: p.promoted_by_me, count: p.promotion_count });
    this.commentCount.textContent = p.comment_count || '';
  }

  /** A live post.updated: re-render an edited body (unless it is being edited here), else sync. */
  update(data) {
    const edited = data.html !== this.post.html;
    Object.assign(this.post, data);
    if (edited && this.content.isConnected) this.render(this.post);
    else this.sync();
  }

  edit() {
    const editor = composer({ label: 'Edit conversation', max: POST_MAX, initial: this.post.body, submitText: 'Save',
      busyText: 'Saving…',
      onCancel: () => { editor.el.replaceWith(this.content); this.el.querySelector('.own button')?.focus(); },
      onSubmit: async (text) => {
        const updated = await this.ctx.api.call('PATCH', `/posts/${this.post.id}`, { body: text });
        this.render(updated);
        this.ctx.notify('Conversation updated.');
      } });
    this.content.replaceWith(editor.el);
    editor.focus();
  }
}

function contextLink(context) {
  const url = safeUrl(context.url);
  const label = context.title || context.key;
  return h('div', { class: 'context' }, icon('link'), h('span', { text: 'on ' }),
    url ? h('a', { href: url, text: label, target: '_top' }) : h('span', { class: 'ctx-name', text: label }));
}
