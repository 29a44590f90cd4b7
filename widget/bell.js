// The bell: the count of unread notifications (from sign-in, then live frames) and the list behind it,
// widget/later/notifications.js, loaded the first time it is opened or a notification is announced.
import { h, icon } from './dom.js';
import { later } from './later.js';

export class Bell {
  count = 0;
  // ids of the unread notifications known here: a grouped one arriving again is counted once
  #known = new Set();
  #ctx;
  // the list, once loaded: it applies the frames too
  #list;
  #badge = h('span', { class: 'bell-n', 'aria-hidden': 'true', hidden: true });

  /** ctx = {api, changed(count), open(list)}: place .el in the header and .say anywhere. */
  constructor(ctx) {
    this.#ctx = ctx;
    this.el = h('button', { type: 'button', class: 'btn-icon bell', part: 'bell', 'aria-expanded': 'false',
      onclick: () => this.#open() }, icon('bell'), this.#badge);
    // new notifications, said politely
    this.say = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.set(0);
  }

  /** Show `n` unread. */
  set(n) {
    const was = this.count;
    this.count = n = Math.max(0, n);
    this.#badge.hidden = !n;
    this.#badge.textContent = n > 99 ? '99+' : n;
    this.el.title = this.el.ariaLabel = n ? `Notifications (${n} unread)` : 'Notifications';
    if (!n) this.#known.clear();
    if (n !== was) this.#ctx.changed(n);
  }

  /** One live frame: a notification (counted once per id), read elsewhere, or withdrawn. */
  apply({ type, data }) {
    if (type === 'notification') {
      if (!this.#known.has(data.id)) this.set(this.count + 1);
      this.#known.add(data.id);
      this.#module().then((m) => { this.say.textContent = m.phrase(data); }, () => {});
    } else if (type === 'notifications.read' || type === 'notification.withdrawn') {
      if (type.endsWith('withdrawn')) this.#known.delete(data.id);
      this.set(data.unread_count);
    } else return;
    this.#list?.apply(type, data);
  }

  /** Mark notifications read: {ids}, {all: true} or {post_id} (skipped when nothing is unread). */
  async read(which) {
    if (!this.count) return;
    const { unread_count: n } = await this.#ctx.api.call('POST', '/notifications/read', which);
    this.set(n);
  }

  /** An unread notification the list shows: counted already. */
  know(id) {
    this.#known.add(id);
  }

  /** The list opened (or closed, `false`): the bell says so. */
  expanded(open) {
    this.el.setAttribute('aria-expanded', String(open));
  }

  #module() {
    return later('notifications.js');
  }

  async #open() {
    const { Notifications } = await this.#module();
    this.#list ||= new Notifications(this, this.#ctx);
    this.#ctx.open(this.#list);
  }
}
