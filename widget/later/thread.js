// Comments under a post, expanded in place: the latest few threads, "View earlier comments" above
// them, replies one level deep. The thread applies its own live events; what it knows of each
// comment lives in #shown, which page each thread came from in #pageOf. Out of the first load: a
// card imports it when its comments are first opened (card.js), with its CSS.
import { composer, hasDraft } from '../composer.js';
import { h, icon } from '../dom.js';
import { body, byline, ownActions, toggle, uid } from '../parts.js';
import { gallery } from '../pictures.js';
import { check, mayDecide } from './outcome.js';
import { adopt as adoptPolicing, flag, veil } from './policing.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.thread { margin: 8px -14px 0; padding: 10px 14px 6px 60px; border-top: 1px solid var(--_border); display: flex; flex-direction: column; gap: 8px; }
.comments, .replies { display: flex; flex-direction: column; gap: 10px; margin: 0; padding: 0; list-style: none; }
.replies:not(:empty) { margin: 10px 0 0 38px; }
.comment > .composer { margin: 8px 0 0 38px; }
.comment .body { margin: 2px 0 0 38px; font-size: 13.5px; }
.comment .actions { margin: 2px 0 0 32px; }
.comment .react { height: 24px; padding: 0 6px; font-size: 12px; }
.comment .icon { width: 14px; height: 14px; }
.comment .name-row { line-height: 1.3; }
.comment .meta { font-size: 12px; }
.comment .pics { max-width: 300px; margin: 6px 0 0 38px; }
.thread-status, .closed-note { margin: 0; font-size: 12.5px; color: var(--_muted); }
.thread-status:empty { display: none; }
.thread > .earlier { align-self: flex-start; font-size: 12.5px; }
.answer-slot:empty { display: none; }
.thread:not(.closed) > .closed-note, .thread.closed .reply, .thread.closed .composer { display: none; }
.comment.answer > .comment-main { margin: 0 -8px; padding: 6px 8px; border-radius: 8px;
  background: color-mix(in srgb, #0e9f8a 10%, transparent); box-shadow: inset 3px 0 0 #0e9f8a; }
.answer-mark { display: inline-flex; align-items: center; gap: 4px; margin-left: 38px; font-size: 12px; font-weight: 650; color: var(--_ok, #0b6b5d); }
.answer-mark .icon { width: 14px; height: 14px; }
`);

// threads (top-level comments, with all their replies) shown first, and per earlier page
const LATEST = 5;
const EARLIER = 20;

export class Thread {
  // comment id -> {comment, li, like, content, who, nameId}
  #shown = new Map();
  // top-level comment id -> the page it came from: {cursor (null: the latest page), limit}
  #pageOf = new Map();
  // ids of comments whose live event came: the post's comment count has them already
  #heard = new Set();
  #post;
  #ctx;
  #onCount;
  // the cursor of the page before the earliest shown (null: the first comment is shown)
  #earlier = null;
  #list = h('ol', { class: 'comments', 'aria-label': 'Comments' });
  // a question's answer, first and marked (its id: #answer)
  #slot = h('ol', { class: 'comments answer-slot', 'aria-label': 'Answer' });
  #answer = null;
  #more = h('button', { type: 'button', class: 'btn link earlier', hidden: true, text: 'View earlier comments',
    onclick: () => this.#loadEarlier() });
  #status = h('p', { class: 'thread-status', role: 'status' });
  // said, not shown: a toast would cover the comment just posted
  #say = h('p', { class: 'sr', role: 'status' });
  // the latest threads on their way
  #loading = null;
  loaded = false;
  open = false;

  constructor(post, ctx, onCount) {
    this.#post = post;
    this.#ctx = ctx;
    this.#onCount = onCount;
    this.writer = composer({ label: 'Write a comment', placeholder: 'Write a comment…', limit: 'comment_body',
      submitText: 'Comment', busyText: 'Sending…', className: 'compact', api: ctx.api, pictures: true,
      draft: `${post.id}`, onSubmit: (text, key, images) => this.#create(text, key, null, images) });
    this.el = h('section', { class: 'thread', id: uid('thread') }, this.#slot, this.#more, this.#list, this.#status, this.#say,
      h('p', { class: 'closed-note', text: 'Comments and replies are closed while this conversation is hidden.' }),
      this.writer.el);
  }

  /** A hidden conversation takes no comments or replies (the server refuses them): its boxes go, a note says why. */
  closed(on) {
    this.el.classList.toggle('closed', on);
  }

  /** Shown in its card: its CSS in the pane, the latest threads once. */
  show() {
    const root = this.el.getRootNode();
    if (root.adoptedStyleSheets) {
      adopt(root);
      adoptPolicing(root);
    }
    if (!this.loaded) this.#loading ||= this.load().finally(() => { this.#loading = null; });
    return this.#loading;
  }

  /** Show the latest threads. */
  async load() {
    this.#status.textContent = 'Loading comments…';
    try {
      const page = await this.#page({ cursor: null, limit: LATEST });
      this.#earlier = page.next_cursor;
      this.loaded = true;
      // (a hidden conversation's note says why nobody can be first)
      this.#status.textContent = this.#shown.size ? '' : `No comments yet.${this.el.classList.contains('closed') ? '' : ' Be the first to reply.'}`;
      await this.#answered();
    } catch (error) {
      this.#status.textContent = `Comments could not be loaded: ${error.message}`;
    }
    this.#more.hidden = !this.#earlier;
  }

  /** Read one page ({cursor, limit}, latest first) and show what is not shown yet; resolves to it. */
  async #page(at, before = null) {
    const page = await this.#ctx.api.get(`/posts/${this.#post.id}/comments`, { order: 'latest', ...at });
    // A thread pushed out of the latest page by newer ones is in the page after it now.
    const after = { cursor: page.next_cursor, limit: EARLIER };
    if (!at.cursor) for (const [id, p] of this.#pageOf) if (!p.cursor) this.#pageOf.set(id, after);
    for (const comment of page.items) {
      if (!comment.parent_id) this.#pageOf.set(comment.id, at);
      if (!this.#shown.has(comment.id)) this.#add(comment, before);
    }
    return page;
  }

  /** The page before the earliest shown, inserted above it without moving what the reader sees. */
  async #loadEarlier() {
    const more = this.#more;
    more.disabled = true;
    more.textContent = 'Loading earlier comments…';
    const anchor = this.#list.firstElementChild;
    try {
      const top = anchor.getBoundingClientRect().top;
      const page = await this.#page({ cursor: this.#earlier, limit: EARLIER }, anchor);
      this.#earlier = page.next_cursor;
      const shift = anchor.getBoundingClientRect().top - top;
      if (shift) this.el.closest('.scroll')?.scrollBy(0, shift);
      // the button goes with the last page: focus stays in the thread
      const last = anchor.previousElementSibling || anchor;
      if (!this.#earlier) {
        last.tabIndex = -1;
        last.focus({ preventScroll: true });
      }
    } catch (error) {
      this.#ctx.notify(error.message, true);
    } finally {
      more.disabled = false;
      more.textContent = 'View earlier comments';
      more.hidden = !this.#earlier;
    }
  }

  /** The <li> of comment `id`, once earlier pages are loaded until it shows (none: it is gone). */
  async find(id) {
    if (!this.loaded) await this.show();
    // until the first comment, or a page that failed
    for (let at; !this.#shown.has(id) && this.#earlier && at !== this.#earlier;) {
      at = this.#earlier;
      await this.#loadEarlier();
    }
    return this.#shown.get(id)?.li;
  }

  /** One live event about this post's comments, or a profile change; `by`: the viewer did it. */
  apply(type, data, by) {
    if (!this.loaded) return;
    const entry = this.#shown.get(data.comment_id || data.id);
    const on = !type.includes('.un');
    switch (type) {
      case 'post.updated':
        if ((this.#post.answer_id ?? null) !== this.#answer) this.#answered();
        return;
      // A live comment lacks the viewer's own fields (may edit, may delete): its page is read
      // again (a reply's: its thread's), so they come from the server as for any other comment.
      case 'comment.created': {
        this.#heard.add(data.id);
        // by someone the reader muted: its page leaves it out anyway
        if (this.#ctx.api.muted(data.author.id)) break;
        const at = data.parent_id ? this.#pageOf.get(data.parent_id) : { cursor: null, limit: LATEST };
        if (!entry && at) this.#page(at).catch(() => {});
        break;
      }
      case 'comment.deleted':
        this.#drop(data.id);
        break;
      // hidden, shown again or removed: the frame is everyone's view, this reader's is read again
      case 'comment.hidden':
      case 'comment.restored':
      case 'comment.removed':
        if (entry) this.#reread(entry.comment.id);
        break;
      // unless it is open in an editor here (a hidden one: read again, as above)
      case 'comment.updated':
        if (entry && data.hidden) this.#reread(data.id);
        else if (entry && entry.comment.html !== data.html && entry.content.isConnected) this.#swap({ ...entry.comment, ...data });
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

  /** Show a comment: a reply under its thread, a thread at the end or `before` a shown one. */
  #add(comment, before = null) {
    this.#status.textContent = '';
    const entry = this.#render(comment);
    this.#shown.set(comment.id, entry);
    const parent = comment.parent_id && this.#shown.get(comment.parent_id);
    if (parent) parent.li.querySelector(':scope > .replies').append(entry.li);
    else this.#list.insertBefore(entry.li, before);
    return entry;
  }

  async #create(text, key, parentId, images) {
    const comment = await this.#ctx.api.call('POST', `/posts/${this.#post.id}/comments`,
      { body: text, parent_id: parentId, images }, key);
    if (!parentId) this.#pageOf.set(comment.id, { cursor: null, limit: LATEST });
    // its live event may have come first
    const entry = this.#shown.get(comment.id) || this.#add(comment);
    this.#onCount(this.#heard.has(comment.id) ? 0 : 1, true);
    entry.li.scrollIntoView({ block: 'nearest' });
    this.#say.textContent = parentId ? 'Reply posted.' : 'Comment posted.';
  }

  #render(comment) {
    const { api, notify } = this.#ctx;
    const nameId = uid('n');
    const li = h('li', { class: 'comment', 'aria-labelledby': nameId });
    const replies = h('ol', { class: 'replies', 'aria-label': 'Replies' });
    const like = toggle({ iconName: 'heart', label: 'Like', pressed: comment.liked_by_me, count: comment.like_count,
      notify, who: ['likes', comment, this.#ctx], onChange: async (on) => {
        const r = await api.call(on ? 'PUT' : 'DELETE', `/comments/${comment.id}/like`);
        comment.liked_by_me = r.liked;
        comment.like_count = r.like_count;
        return { pressed: r.liked, count: r.like_count };
      } });
    const actions = h('div', { class: 'actions' }, like.el);
    const post = this.#post;
    const isAnswer = post.answer_id === comment.id;
    if (isAnswer) li.classList.add('answer');
    // the asker, a moderator or an admin marks one comment as the answer to a question
    if (post.kind === 'question' && !comment.parent_id && mayDecide(post, api)) {
      const mark = h('button', { type: 'button', class: 'react mark',
        title: isAnswer ? 'This comment is no longer the answer' : 'Mark this comment as the answer to the question',
        onclick: () => this.#mark(comment, !isAnswer, mark) }, !isAnswer && check(), h('span', { text: isAnswer ? 'Unmark answer' : 'Mark as answer' }));
      actions.append(mark);
    }
    // a reply box with a draft opens again once the comment is built (it goes last in it)
    let reopen = null;
    if (!comment.parent_id) {
      // A reply box closed with its text keeps it (and its pictures) as a draft: Reply says so and
      // opens it again.
      const draft = `${this.#post.id}/${comment.id}`;
      const label = h('span');
      const marked = () => { label.textContent = hasDraft(draft) ? 'Reply · draft' : 'Reply'; };
      let replyBox = null;
      const close = (sent) => {
        replyBox.el.remove();
        if (sent) replyBox = null;
        marked();
        reply.focus();
      };
      const open = (focus = true) => {
        replyBox ||= composer({ label: `Reply to ${comment.author.name}`, placeholder: `Reply to ${comment.author.name}…`,
          limit: 'comment_body', api, pictures: true, submitText: 'Reply', busyText: 'Sending…', className: 'compact',
          draft, cancelText: 'Close', onCancel: () => close(false), onSent: () => close(true),
          onSubmit: (text, key, images) => this.#create(text, key, comment.id, images) });
        li.append(replyBox.el);
        if (!focus) return;
        replyBox.focus();
        replyBox.el.scrollIntoView({ block: 'nearest' });
      };
      const reply = h('button', { type: 'button', class: 'react reply', onclick: () => open() }, icon('reply'), label);
      actions.append(reply);
      marked();
      if (hasDraft(draft)) reopen = () => open(false);
    }
    const content = body(comment);
    const own = ownActions({ what: 'comment', item: comment, notify,
      onEdit: () => this.#edit(comment, content),
      onFlag: comment.author.id !== api.session?.user.id && ((event) => flag(event.currentTarget, comment, this.#ctx)),
      onDelete: async () => {
        // focus goes to the next comment, else the one before, its thread, or the comment box (read
        // before the answer: the live event may remove the comment first)
        const next = li.nextElementSibling || li.previousElementSibling || li.parentElement.closest('.comment');
        await api.call('DELETE', `/comments/${comment.id}`);
        const removed = this.#drop(comment.id);
        if (removed) this.#onCount(-removed);
        if (next?.isConnected) {
          next.tabIndex = -1;
          next.focus();
        } else this.writer.focus();
        notify('Comment deleted.');
      } });
    const who = byline(comment.author, comment, nameId, 'sm');
    // a hidden comment: its placeholder or notice (widget/later/policing.js), and no reactions
    const hidden = comment.hidden && h('div', { class: 'veil' });
    if (hidden) veil(hidden, comment, this.#ctx);
    li.append(h('div', { class: 'comment-main' }, hidden, h('div', { class: 'head' }, who, own),
      isAnswer && h('span', { class: 'answer-mark' }, check(), 'Answer'), content,
      gallery(comment.images, comment.author.name, api.origin), !hidden && actions), replies);
    reopen?.();
    li.dataset.id = comment.id;
    return { comment, li, like, content, who, nameId };
  }

  /** Mark `comment` as the answer (`on`) or not; the card and this thread show the post as answered. */
  async #mark(comment, on, button) {
    button.disabled = true;
    try {
      const post = await this.#ctx.api.call(on ? 'PUT' : 'DELETE', `/posts/${this.#post.id}/answer`, on ? { comment_id: comment.id } : undefined);
      // the card (outcome.js) applies it, and with it this thread (apply)
      this.el.dispatchEvent(new CustomEvent('chatter-answer', { bubbles: true, detail: post }));
      if ((this.#post.answer_id ?? null) !== this.#answer) await this.#answered();
      this.#say.textContent = on ? 'Marked as the answer.' : 'No longer marked as the answer.';
      this.#shown.get(comment.id)?.li.querySelector(':scope > .comment-main .mark')?.focus();
    } catch (error) {
      button.disabled = false;
      this.#ctx.notify(error.message, true);
    }
  }

  /** Show the post's answer first and marked, the one marked before back among the others. */
  async #answered() {
    const id = this.#post.answer_id ?? null;
    const was = this.#answer;
    this.#answer = id;
    const before = was && this.#shown.get(was);
    if (before) {
      this.#swap(before.comment);
      const li = this.#shown.get(was).li;
      if (li.parentElement === this.#slot) {
        const next = [...this.#list.children].find((other) => +other.dataset.id > was);
        this.#list.insertBefore(li, next || null);
      }
    }
    if (!id) return;
    let entry = this.#shown.get(id);
    if (!entry) {
      try {
        const comment = await this.#ctx.api.get(`/comments/${id}`);
        if (this.#answer !== id) return;
        entry = this.#shown.get(id) || (!comment.parent_id && this.#add(comment));
      } catch {
        return;
      }
    }
    if (!entry) return;
    this.#swap(entry.comment);
    const li = this.#shown.get(id).li;
    if (!entry.comment.parent_id) this.#slot.append(li);
  }

  /** Show comment `id` as the server has it for this reader now, if it is still shown. */
  #reread(id) {
    this.#ctx.api.get(`/comments/${id}`).then((c) => this.#shown.has(id) && this.#swap(c), () => {});
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
    // saved or not, focus returns to the comment's Edit button
    const back = () => this.#shown.get(comment.id)?.li.querySelector(':scope > .comment-main .own .edit')?.focus();
    const editor = composer({ label: 'Edit comment', limit: 'comment_body', api: this.#ctx.api, initial: comment.body,
      submitText: 'Save', busyText: 'Saving…', className: 'compact',
      onCancel: () => { editor.el.replaceWith(content); back(); },
      onSubmit: async (text) => {
        this.#swap(await this.#ctx.api.call('PATCH', `/comments/${comment.id}`, { body: text }));
        back();
      } });
    content.replaceWith(editor.el);
    editor.focus();
  }
}
