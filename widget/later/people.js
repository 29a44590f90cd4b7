// People in the pane: a person's card (a dialog: who they are, what they did, Follow, their recent
// conversations) and who liked or promoted something (a small popover under its count). Both are
// opened from the core (element.js: any [data-person]; parts.js: a count) and load what they show.
import { avatar, h, iconButton } from '../dom.js';
import { excerpt, plural } from '../text.js';
import { styles } from './sheet.js';

const adopt = styles(String.raw`
.person-card { width: min(360px, calc(100vw - 24px)); max-height: calc(100dvh - 24px); margin: auto; padding: 0; overflow-y: auto;
  border: 1px solid var(--_border); border-radius: 14px; color: var(--_text); background: var(--_raised);
  font: 14px/1.5 var(--_font); box-shadow: 0 18px 50px rgba(10, 10, 30, .28); overscroll-behavior: contain; }
:host([mode=docked]) .person-card { margin: 56px 12px auto auto; max-height: calc(100dvh - 68px);
  width: min(calc(var(--chatter-width, 380px) - 24px), calc(100vw - 24px)); }
.person-card::backdrop { background: rgba(10, 10, 20, .35); }
.pc-close { position: absolute; top: 8px; right: 8px; }
.pc-body { display: flex; flex-direction: column; gap: 14px; padding: 20px 18px 18px; }
.pc-head { display: flex; gap: 14px; align-items: flex-start; padding-right: 26px; }
.avatar.lg { width: 64px; height: 64px; font-size: 22px; cursor: default; }
.pc-who { min-width: 0; flex: 1; }
.pc-name { margin: 0; font-size: 17px; font-weight: 680; line-height: 1.3; overflow-wrap: anywhere; }
.pc-handle { margin: 1px 0 0; color: var(--_muted); font-size: 13px; overflow-wrap: anywhere; }
.pc-title { margin: 6px 0 0; font-size: 13.5px; line-height: 1.4; overflow-wrap: anywhere; }
.pc-dept { margin: 2px 0 0; color: var(--_muted); font-size: 13px; overflow-wrap: anywhere; }
.pc-stats { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; margin: 0; }
.pc-stats > div { display: flex; flex-direction: column-reverse; align-items: center; gap: 1px; padding: 8px 2px; border-radius: 9px;
  background: var(--_surface); border: 1px solid var(--_border); text-align: center; }
.pc-stats dt { font-size: 11px; line-height: 1.25; color: var(--_muted); }
.pc-stats dd { margin: 0; font-size: 16px; font-weight: 680; font-variant-numeric: tabular-nums; }
.pc-row { display: flex; align-items: center; justify-content: space-between; gap: 10px; }
.pc-buttons { display: flex; gap: 6px; }
.mute[aria-pressed=true] { color: var(--_danger); }
.pc-note:empty { display: none; }
.pc-joined { margin: 0; font-size: 12.5px; color: var(--_muted); }
.follow[aria-pressed=true] { background: var(--_accent-soft); border-color: transparent; color: var(--_accent-text); }
.pc-section { margin: 0; font-size: 11.5px; font-weight: 650; letter-spacing: .05em; text-transform: uppercase; color: var(--_muted); }
.pc-posts { display: flex; flex-direction: column; gap: 2px; margin: -6px -8px 0; padding: 0; list-style: none; }
.pc-post { display: flex; flex-direction: column; width: 100%; padding: 7px 8px; border: 0; border-radius: 8px; background: none;
  text-align: left; }
.pc-post:hover { background: var(--_hover); }
.pc-line { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.pc-meta, .pc-note { font-size: 12px; color: var(--_muted); }
.pc-note { margin: 0; }
.pc-error { margin: 0; color: var(--_danger); font-size: 12.5px; }
.pc-error:empty { display: none; }
.who-pop { position: absolute; z-index: 5; top: calc(100% + 4px); left: 0; width: min(300px, 100%); max-height: 320px; overflow-y: auto;
  padding: 6px; border: 1px solid var(--_border-strong); border-radius: 10px; background: var(--_raised);
  box-shadow: 0 10px 30px rgba(10, 10, 30, .18); font-size: 13px; }
.actions { position: relative; }
.who-line { margin: 4px 6px 6px; font-weight: 600; line-height: 1.35; }
.who-list { display: flex; flex-direction: column; margin: 0; padding: 0; list-style: none; }
.who-person { display: flex; align-items: center; gap: 8px; width: 100%; padding: 5px 6px; border: 0; border-radius: 7px; background: none;
  text-align: left; }
.who-person:hover { background: var(--_hover); }
.who-text { display: flex; flex-direction: column; min-width: 0; line-height: 1.3; }
.who-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 550; }
.who-dept { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; color: var(--_muted); }
.who-pop .more { margin: 4px 6px; }
`);

// [field, label for one, label for any other number]
const COUNTS = [['post_count', 'Conversation', 'Conversations'], ['comment_count', 'Comment', 'Comments'],
  ['likes_received', 'Like received', 'Likes received'], ['follower_count', 'Follower', 'Followers']];
const RECENT = 5;
// the card shown ({dialog, back: where focus returns}) and the "who" list shown ({el, from: its count})
let open = null;
let pop = null;

const me = (api) => api.session?.user?.id;
const status = (text) => h('p', { class: 'pc-note', role: 'status', text });

/** Open the card of the person `from` names (its data-person, or `id`); focus returns to `from` (or its byline's name). */
export function person(from, ctx, id = +from.dataset.person) {
  const root = from.getRootNode();
  // a name in a "who" list: the list closes, focus goes back to its count; an avatar: to its byline's name
  const back = (pop?.el.contains(from) && pop.from) || (from.matches('button') ? from : from.closest('.byline')?.querySelector('.name')) || from;
  closeWho();
  open?.dialog.close();
  adopt(root);
  const body = h('div', { class: 'pc-body', 'aria-busy': 'true' }, status('Loading…'));
  const close = iconButton('close', 'Close', () => dialog.close(), { class: 'btn-icon pc-close' });
  const dialog = h('dialog', { class: 'person-card', 'aria-label': 'Person' }, close, body);
  const shown = open = { dialog, back };
  dialog.addEventListener('keydown', (e) => e.key === 'Escape' && e.stopPropagation());
  // a click on the backdrop closes
  dialog.addEventListener('click', (e) => e.target === dialog && dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (open === shown) open = null;
    if (shown.back?.isConnected) shown.back.focus();
  });
  root.querySelector('.pane').append(dialog);
  dialog.showModal();
  close.focus();
  const load = async () => {
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(status('Loading…'));
    try {
      const [card, posts] = await Promise.all([ctx.api.get(`/people/${id}`),
        ctx.api.get(`/people/${id}/posts`, { limit: RECENT })]);
      if (dialog.isConnected) paint(shown, body, card, posts.items, ctx);
    } catch (error) {
      body.replaceChildren(h('p', { class: 'pc-error', role: 'alert', text: `This card could not be loaded: ${error.message}` }),
        h('button', { type: 'button', class: 'btn secondary', text: 'Try again', onclick: load }));
    } finally {
      body.removeAttribute('aria-busy');
    }
  };
  load();
}

function paint(shown, body, card, posts, ctx) {
  const { api, feed } = ctx;
  const { dialog } = shown;
  const root = dialog.getRootNode();
  dialog.removeAttribute('aria-label');
  dialog.setAttribute('aria-labelledby', 'pc-name');
  // field -> its figure and label, said in the singular for 1
  const cells = new Map(COUNTS.map(([key, one, many]) => [key, { dt: h('dt'), dd: h('dd'), one, many }]));
  const count = (key, n) => {
    const cell = cells.get(key);
    card[key] = n;
    cell.dd.textContent = String(n);
    cell.dt.textContent = n === 1 ? cell.one : cell.many;
  };
  for (const [key] of COUNTS) count(key, card[key]);
  const error = h('p', { class: 'pc-error', role: 'alert' });
  const follow = card.id !== me(api) && h('button', { type: 'button', class: 'btn secondary follow', onclick: async () => {
    follow.disabled = true;
    error.textContent = '';
    try {
      const r = await api.call(card.followed_by_me ? 'DELETE' : 'PUT', `/people/${card.id}/follow`);
      card.followed_by_me = r.followed_by_me;
      count('follower_count', r.follower_count);
      paintFollow();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      follow.disabled = false;
    }
  } });
  const paintFollow = () => {
    if (!follow) return;
    follow.textContent = card.followed_by_me ? 'Following' : 'Follow';
    follow.setAttribute('aria-pressed', String(!!card.followed_by_me));
  };
  paintFollow();
  // Mute: their posts and comments leave the reader's own feeds and notifications; they are not told
  const muteNote = h('p', { class: 'pc-note', id: 'pc-mute-note' });
  const mute = card.id !== me(api) && h('button', { type: 'button', class: 'btn ghost mute', 'aria-describedby': 'pc-mute-note',
    onclick: async () => {
      mute.disabled = true;
      error.textContent = '';
      try {
        card.muted_by_me = (await api.call(card.muted_by_me ? 'DELETE' : 'PUT', `/people/${card.id}/mute`)).muted;
        // what the live stream leaves out (api.muted) follows at once, in id order as the server
        // lists them (its mutes.changed frame then changes nothing here)
        const user = api.session.user;
        user.muted_people = (user.muted_people || []).filter((id) => id !== card.id).concat(card.muted_by_me ? [card.id] : [])
          .sort((a, b) => a - b);
        paintMute();
        // what the feed lists is the server's to say: read it again
        feed.load();
      } catch (failure) {
        error.textContent = failure.message;
      } finally {
        mute.disabled = false;
      }
    } });
  const paintMute = () => {
    if (!mute) return;
    mute.textContent = card.muted_by_me ? 'Unmute' : 'Mute';
    mute.setAttribute('aria-pressed', String(!!card.muted_by_me));
    muteNote.textContent = card.muted_by_me ? `Muted: ${card.name}'s posts and comments are left out of your feed and notifications. Only you know.`
      : '';
  };
  paintMute();
  const joined = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric' }).format(new Date(card.joined_at));
  const day = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', year: 'numeric' });
  // a conversation in the feed is scrolled to, another one opens on its own (with its comments)
  const show = (post) => {
    shown.back = null;
    dialog.close();
    const there = feed.el.querySelector(`.card[data-id="${post.id}"]`);
    if (!there) return feed.focus(post);
    there.tabIndex = -1;
    there.scrollIntoView({ block: 'start' });
    there.focus({ preventScroll: true });
  };
  const face = avatar(card, 'lg');
  face.removeAttribute('data-person');
  body.replaceChildren(
    h('div', { class: 'pc-head' }, face,
      h('div', { class: 'pc-who' },
        h('h2', { class: 'pc-name', id: 'pc-name', text: card.name }),
        h('p', { class: 'pc-handle', text: `@${card.handle}` }),
        card.title && h('p', { class: 'pc-title', text: card.title }),
        card.department && h('p', { class: 'pc-dept', text: card.department }))),
    h('dl', { class: 'pc-stats' }, [...cells.values()].map(({ dt, dd }) => h('div', {}, dt, dd))),
    h('div', { class: 'pc-row' }, h('p', { class: 'pc-joined', text: `Joined ${joined}` }), h('span', { class: 'pc-buttons' }, mute, follow)),
    muteNote, error,
    h('h3', { class: 'pc-section', id: 'pc-recent', text: 'Recent conversations' }),
    posts.length
      ? h('ul', { class: 'pc-posts', 'aria-labelledby': 'pc-recent' }, posts.map((post) => h('li', {},
        h('button', { type: 'button', class: 'pc-post', onclick: () => show(post) },
          h('span', { class: 'pc-line', text: excerpt(firstLine(post.body), 120) || 'A picture' }),
          h('span', { class: 'pc-meta', text: `${day.format(new Date(post.created_at))} · ${plural(post.comment_count, 'comment')}` })))))
      : status(`${card.name} has not started a conversation yet.`));
}

const firstLine = (text) => String(text || '').trim().split('\n')[0];

// ---- who liked or promoted something -------------------------------------------------------

function closeWho(focus) {
  if (!pop) return;
  const { el, from } = pop;
  pop = null;
  el.remove();
  from.setAttribute('aria-expanded', 'false');
  document.removeEventListener('pointerdown', outside, true);
  if (focus) from.focus();
}

// a press anywhere outside the list (or its count) closes it
const outside = (e) => pop && !e.composedPath().some((n) => n === pop.el || n === pop.from) && closeWho();

/** Who liked (kind 'likes') or promoted ('promotions') `item` (a post or comment): a list under `from`, its count. */
export function who(from, kind, item, { api }) {
  const again = pop?.from === from;
  closeWho();
  if (again) return;
  adopt(from.getRootNode());
  const path = kind === 'promotions' ? `/posts/${item.id}/promotions`
    : item.post_id ? `/comments/${item.id}/likes` : `/posts/${item.id}/likes`;
  const line = h('p', { class: 'who-line', id: `who-${kind}-${item.id}`, text: 'Loading…' });
  const list = h('ul', { class: 'who-list' });
  const more = h('button', { type: 'button', class: 'btn link more', text: 'Show more', hidden: true });
  const el = h('div', { class: 'who-pop', role: 'dialog', 'aria-labelledby': line.id, tabindex: '-1' }, line, list, more);
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    closeWho(true);
  });
  pop = { el, from };
  from.setAttribute('aria-expanded', 'true');
  from.after(el);
  document.addEventListener('pointerdown', outside, true);
  const people = [];
  let cursor = null;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.get(path, { cursor, limit: 20 });
      cursor = page.next_cursor;
      people.push(...page.items);
      list.append(...page.items.map((p) => h('li', {}, h('button', { type: 'button', class: 'who-person', 'data-person': p.id },
        avatar(p, 'sm'), h('span', { class: 'who-text' }, h('span', { class: 'who-name', text: p.name }),
          kind === 'promotions' && p.department && h('span', { class: 'who-dept', text: p.department }))))));
      line.textContent = summary(kind, item, people, !cursor, me(api));
    } catch (error) {
      line.textContent = `Could not be loaded: ${error.message}`;
    } finally {
      more.disabled = false;
      more.hidden = !cursor;
    }
  };
  more.onclick = load;
  el.focus();
  load();
}

// From the list when it is whole, else from the item's counts.
/** "Liked by Ana, Bo and 4 others", "Promoted by 5 people in 3 departments". */
export function summary(kind, item, people, whole, meId) {
  if (kind === 'promotions') {
    const count = whole ? people.length : item.promotion_count;
    const teams = whole ? new Set(people.map((p) => p.department?.toLowerCase()).filter(Boolean)).size
      : item.promotion_departments;
    return `Promoted by ${plural(count, 'person', 'people')}${teams ? ` in ${plural(teams, 'department')}` : ''}`;
  }
  const count = whole ? people.length : Math.max(item.like_count, people.length);
  if (!count) return 'No likes yet';
  const names = people.slice(0, 2).map((p) => (p.id === meId ? 'you' : p.name));
  const rest = count - names.length;
  if (!rest) return `Liked by ${names.join(' and ')}`;
  return `Liked by ${names.join(', ')} and ${plural(rest, 'other')}`;
}
