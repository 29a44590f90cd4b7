// The Promoted strip: the most promoted conversations, two whole cards at a time (the rest a
// scroll away); choosing one opens it in the feed, "See all" lists them all there.
import { h, icon } from './dom.js';
import { excerpt } from './text.js';

export class Promoted {
  #api;
  #open;
  #seeAll;
  #posts = [];

  /** `open(post)` when the reader chooses one; `seeAll(button)` for the whole list. */
  constructor(api, open, seeAll) {
    this.#api = api;
    this.#open = open;
    this.#seeAll = seeAll;
    this.el = h('section', { class: 'promoted', 'aria-labelledby': 'promoted-h', hidden: true, part: 'promoted' });
  }

  async load() {
    try {
      this.#posts = (await this.#api.get('/posts', { sort: 'top', promoted: 'true', limit: 5 })).items;
    } catch {
      // the strip is a bonus; the feed reports errors
      return;
    }
    this.#paint();
  }

  /** One live event: the strip is read again when what it shows changed (a post, its author's profile). */
  apply({ type, data }) {
    const id = data.post_id || data.id;
    const shown = (post) => (type === 'user.updated' ? post.author.id === id
      : post.id === id && /^post\.(updated|deleted|hidden|removed|(un)?promoted)$/.test(type));
    // or a post joins by its first promotion, or comes back from hiding
    if (this.#posts.some(shown) || type === 'post.restored' || (type.endsWith('promoted') && data.promotion_count === +!type.includes('.un'))) this.load();
  }

  #paint() {
    this.el.hidden = !this.#posts.length;
    this.el.replaceChildren(h('div', { class: 'section-head' },
      h('h3', { id: 'promoted-h', class: 'section-title' }, icon('promote'), h('span', { text: 'Promoted' })),
      h('button', { type: 'button', class: 'btn link see-all', text: 'See all', 'aria-label': 'See all promoted conversations',
        onclick: (event) => this.#seeAll(event.currentTarget) })),
      h('ul', { class: 'promo-list' }, this.#posts.map((post) => h('li', {},
        h('button', { type: 'button', class: 'promo', 'data-id': post.id, onclick: () => this.#open(post) },
          h('span', { class: 'promo-text', text: excerpt(post.body, 90) }),
          h('span', { class: 'promo-meta' },
            h('span', { class: 'promo-who', text: post.author.name }),
            h('span', { class: 'promo-count', text: `▲ ${post.promotion_count}` })))))));
  }
}
