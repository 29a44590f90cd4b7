// Comments under a post, expanded in place: oldest first, replies one level deep, "load more".
import { composer } from './composer.js';
import { h, icon } from './dom.js';
import { body, byline, ownActions, toggle, uid } from './parts.js';
import { gallery } from './pictures.js';

const COMMENT_MAX = 2000;
const PAGE = 100;

export class Thread {
  constructor(post, ctx, onCount) {
    this.post = post;
    this.ctx = ctx;
    this.onCount = onCount;
    // comment id -> <li>
    this.items = new Map();
    this.cursor = null;
    this.list = h('ol', { class: 'comments', 'aria-label': 'Comments' });
    this.more = h('button', { type: 'button', class: 'btn link', hidden: true, text: 'Show more comments',
      onclick: () => this.load() });
    this.status = h('p', { class: 'thread-status', role: 'status' });
    const write = composer({ label: 'Write a comment', placeholder: 'Write a comment…', max: COMMENT_MAX,
      submitText: 'Comment', busyText: 'Sending…', className: 'compact', api: ctx.api,
      onSubmit: (text, key, images) => this.create(text, key, null, images) });
    this.writer = write;
    this.el = h('section', { class: 'thread', id: uid('thread') }, this.list, this.status, this.more, write.el);
    this.loaded = false;
  }

  async load() {
    this.more.disabled = true;
    if (!this.loaded) this.status.textContent = 'Loading comments…';
    try {
      const page = await this.ctx.api.get(`/posts/${this.post.id}/comments`, { cursor: this.cursor, limit: PAGE });
      for (const comment of page.items) this.add(comment);
      this.cursor = page.next_cursor;
      this.loaded = true;
      this.status.textContent = this.items.size ? '' : 'No comments yet. Be the first to reply.';
    } catch (error) {
      this.status.textContent = `Comments could not be loaded: ${error.message}`;
    } finally {
      this.more.disabled = false;
      this.more.hidden = !this.cursor;
    }
  }

  add(comment) {
    this.status.textContent = '';
    const li = this.render(comment);
    this.items.get(comment.id)?.replaceWith(li);
    if (this.items.has(comment.id)) return this.items.set(comment.id, li);
    this.items.set(comment.id, li);
    const parent = comment.parent_id && this.items.get(comment.parent_id);
    if (parent) parent.querySelector(':scope > .replies').append(li);
    else this.list.append(li);
    return li;
  }

  async create(text, key, parentId, images) {
    const comment = await this.ctx.api.call('POST', `/posts/${this.post.id}/comments`,
      { body: text, parent_id: parentId, images }, key);
    // its live event may have come first
    const known = this.items.has(comment.id);
    this.add(comment);
    if (!known) this.onCount(1);
    this.ctx.notify('Comment posted.');
  }

  render(comment) {
    const { api, notify } = this.ctx;
    const nameId = uid('n');
    const li = h('li', { class: 'comment', 'aria-labelledby': nameId });
    const replies = h('ol', { class: 'replies', 'aria-label': 'Replies' });
    const like = toggle({ iconName: 'heart', label: 'Like', pressed: comment.liked_by_me, count: comment.like_count,
      notify, onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/comments/${comment.id}/like`);
        return { pressed: r.liked, count: r.like_count };
      } });
    const actions = h('div', { class: 'actions' }, like);
    let replyBox = null;
    if (!comment.parent_id) {
      actions.append(h('button', { type: 'button', class: 'react', onclick: () => {
        if (replyBox) return replyBox.focus();
        replyBox = composer({ label: `Reply to ${comment.author.name}`, placeholder: `Reply to ${comment.author.name}…`,
          max: COMMENT_MAX, submitText: 'Reply', busyText: 'Sending…', className: 'compact',
          onCancel: () => { replyBox.el.remove(); replyBox = null; },
          onSubmit: async (text, key) => {
            await this.create(text, key, comment.id);
            replyBox.el.remove();
            replyBox = null;
          } });
        li.append(replyBox.el);
        replyBox.focus();
      } }, icon('reply'), h('span', { text: 'Reply' })));
    }
    const content = body(comment);
    const own = ownActions({ what: 'comment', item: comment, notify,
      onEdit: () => this.edit(comment, li, content),
      onDelete: async () => {
        await api.call('DELETE', `/comments/${comment.id}`);
        const removed = this.drop(comment.id);
        if (removed) this.onCount(-removed);
        notify('Comment deleted.');
      } });
    li.append(h('div', { class: 'comment-main' }, h('div', { class: 'head' }, byline(comment.author, comment, nameId, 'sm'), own),
      content, gallery(comment.images, comment.author.name, api.origin), actions), replies);
    li.dataset.id = comment.id;
    li.item = comment;
    li.like = like;
    return li;
  }

  /** Remove a comment and its replies; how many were shown (0: already gone). */
  drop(id) {
    const li = this.items.get(id);
    if (!li) return 0;
    const gone = [li, ...li.querySelectorAll('li')];
    for (const el of gone) this.items.delete(el.item.id);
    li.remove();
    return gone.length;
  }

  /** Re-render a changed comment in place, keeping its replies and the viewer's own flags. */
  swap(data) {
    const li = this.items.get(data.id);
    const fresh = this.render({ ...li.item, ...data });
    fresh.querySelector(':scope > .replies').replaceWith(li.querySelector(':scope > .replies'));
    li.replaceWith(fresh);
    this.items.set(data.id, fresh);
  }

  edit(comment, li, content) {
    const editor = composer({ label: 'Edit comment', max: COMMENT_MAX, initial: comment.body, submitText: 'Save',
      busyText: 'Saving…', className: 'compact',
      onCancel: () => editor.el.replaceWith(content),
      onSubmit: async (text) => {
        this.swap(await this.ctx.api.call('PATCH', `/comments/${comment.id}`, { body: text }));
      } });
    content.replaceWith(editor.el);
    editor.focus();
  }
}
