// Comments under a post, expanded in place: oldest first, replies one level deep, "load more".
// The thread applies its own live events; what it knows of each comment lives in #shown.
import { composer } from './composer.js';
import { h, icon } from './dom.js';
import { body, byline, ownActions, toggle, uid } from './parts.js';
import { gallery } from './pictures.js';

export class Thread {
  // comment id -> {comment, li, like, content, who, nameId}
  #shown = new Map();
  // ids of comments whose live event came: the post's comment count has them already
  #heard = new Set();
  #post;
  #ctx;
  #onCount;
  // the next page's cursor (null: every comment is shown) and the last page's
  #cursor;
  #tail = null;
  #list = h('ol', { class: 'comments', 'aria-label': 'Comments' });
  #more = h('button', { type: 'button', class: 'btn link', hidden: true, text: 'Show more comments',
    onclick: () => this.load() });
  #status = h('p', { class: 'thread-status', role: 'status' });
  loaded = false;
  open = false;

  constructor(post, ctx, onCount) {
    this.#post = post;
    this.#ctx = ctx;
    this.#onCount = onCount;
    this.writer = composer({ label: 'Write a comment', placeholder: 'Write a comment…', limit: 'comment_body',
      submitText: 'Comment', busyText: 'Sending…', className: 'compact', api: ctx.api, pictures: true,
      onSubmit: (text, key, images) => this.#create(text, key, null, images) });
    this.el = h('section', { class: 'thread', id: uid('thread') }, this.#list, this.#status, this.#more, this.writer.el);
  }

  /** Show the page at `from` (the next one by default), skipping comments already shown. */
  async load(from = this.#cursor) {
    this.#more.disabled = true;
    if (!this.loaded) this.#status.textContent = 'Loading comments…';
    try {
      const page = await this.#ctx.api.get(`/posts/${this.#post.id}/comments`, { cursor: from });
      for (const comment of page.items) if (!this.#shown.has(comment.id)) this.#add(comment);
      this.#tail = from;
      this.#cursor = page.next_cursor;
      this.loaded = true;
      this.#status.textContent = this.#shown.size ? '' : 'No comments yet. Be the first to reply.';
    } catch (error) {
      this.#status.textContent = `Comments could not be loaded: ${error.message}`;
    } finally {
      this.#more.disabled = false;
      this.#more.hidden = !this.#cursor;
    }
  }

  /** One live event about this post's comments, or a profile change; `by`: the viewer did it. */
  apply(type, data, by) {
    if (!this.loaded) return;
    const entry = this.#shown.get(data.comment_id || data.id);
    const on = !type.includes('.un');
    switch (type) {
      // A live comment lacks the viewer's own fields (may edit, may delete): the last page is read
      // again, so they come from the server as for any other comment.
      case 'comment.created':
        this.#heard.add(data.id);
        if (!entry && !this.#cursor) this.load(this.#tail);
        break;
      case 'comment.deleted':
        this.#drop(data.id);
        break;
      // unless it is open in an editor here
      case 'comment.updated':
        if (entry && entry.comment.html !== data.html && entry.content.isConnected) this.#swap({ ...entry.comment, ...data });
        break;
      case 'comment.liked':
      case 'comment.unliked':
        if (entry) {
          const c = entry.comment;
          c.like_count = data.like_count;
          if (by) c.liked_by_me = on;
          entry.like.set({ pressed: c.liked_by_me, count: c.like_count });
        }
        break;
      case 'user.updated':
        for (const e of this.#shown.values()) {
          if (e.comment.author.id !== data.id) continue;
          e.comment.author = { ...e.comment.author, ...data };
          e.who.replaceWith(e.who = byline(e.comment.author, e.comment, e.nameId, 'sm'));
        }
    }
  }

  #add(comment) {
    this.#status.textContent = '';
    const entry = this.#render(comment);
    this.#shown.set(comment.id, entry);
    const parent = comment.parent_id && this.#shown.get(comment.parent_id);
    (parent ? parent.li.querySelector(':scope > .replies') : this.#list).append(entry.li);
  }

  async #create(text, key, parentId, images) {
    const comment = await this.#ctx.api.call('POST', `/posts/${this.#post.id}/comments`,
      { body: text, parent_id: parentId, images }, key);
    // its live event may have come first
    if (!this.#shown.has(comment.id)) this.#add(comment);
    if (!this.#heard.has(comment.id)) this.#onCount(1);
    this.#ctx.notify('Comment posted.');
  }

  #render(comment) {
    const { api, notify } = this.#ctx;
    const nameId = uid('n');
    const li = h('li', { class: 'comment', 'aria-labelledby': nameId });
    const replies = h('ol', { class: 'replies', 'aria-label': 'Replies' });
    const like = toggle({ iconName: 'heart', label: 'Like', pressed: comment.liked_by_me, count: comment.like_count,
      notify, onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/comments/${comment.id}/like`);
        comment.liked_by_me = r.liked;
        comment.like_count = r.like_count;
        return { pressed: r.liked, count: r.like_count };
      } });
    const actions = h('div', { class: 'actions' }, like.el);
    let replyBox = null;
    if (!comment.parent_id) {
      actions.append(h('button', { type: 'button', class: 'react', onclick: () => {
        if (replyBox) return replyBox.focus();
        replyBox = composer({ label: `Reply to ${comment.author.name}`, placeholder: `Reply to ${comment.author.name}…`,
          limit: 'comment_body', api, submitText: 'Reply', busyText: 'Sending…', className: 'compact',
          onCancel: () => { replyBox.el.remove(); replyBox = null; },
          onSubmit: async (text, key) => {
            await this.#create(text, key, comment.id);
            replyBox.el.remove();
            replyBox = null;
          } });
        li.append(replyBox.el);
        replyBox.focus();
      } }, icon('reply'), h('span', { text: 'Reply' })));
    }
    const content = body(comment);
    const own = ownActions({ what: 'comment', item: comment, notify,
      onEdit: () => this.#edit(comment, content),
      onDelete: async () => {
        await api.call('DELETE', `/comments/${comment.id}`);
        const removed = this.#drop(comment.id);
        if (removed) this.#onCount(-removed);
        notify('Comment deleted.');
      } });
    const who = byline(comment.author, comment, nameId, 'sm');
    li.append(h('div', { class: 'comment-main' }, h('div', { class: 'head' }, who, own),
      content, gallery(comment.images, comment.author.name, api.origin), actions), replies);
    li.dataset.id = comment.id;
    return { comment, li, like, content, who, nameId };
  }

  /** Remove a comment and its replies; how many were shown (0: already gone). */
  #drop(id) {
    const entry = this.#shown.get(id);
    if (!entry) return 0;
    let gone = 0;
    for (const [key, e] of this.#shown) {
      if (key === id || e.comment.parent_id === id) gone += this.#shown.delete(key);
    }
    entry.li.remove();
    return gone;
  }

  /** Re-render a changed comment in place, keeping its replies. */
  #swap(comment) {
    const old = this.#shown.get(comment.id);
    const fresh = this.#render(comment);
    fresh.li.querySelector(':scope > .replies').replaceWith(old.li.querySelector(':scope > .replies'));
    old.li.replaceWith(fresh.li);
    this.#shown.set(comment.id, fresh);
  }

  #edit(comment, content) {
    const editor = composer({ label: 'Edit comment', limit: 'comment_body', api: this.#ctx.api, initial: comment.body,
      submitText: 'Save', busyText: 'Saving…', className: 'compact',
      onCancel: () => editor.el.replaceWith(content),
      onSubmit: async (text) => {
        this.#swap(await this.#ctx.api.call('PATCH', `/comments/${comment.id}`, { body: text }));
      } });
    content.replaceWith(editor.el);
    editor.focus();
  }
}
