// All of the pane's CSS, adopted into its shadow root as one constructed stylesheet (no inline
// styles, nothing added to the host document). Hosts theme it with --chatter-* custom properties.
// `:host` declarations are !important: inside a shadow tree, important rules beat the host page's
// own important rules, so global resets (`* { all: unset !important }`) cannot hide or move the pane.
// The CSS in sections (JS comments between them cost no bytes when served).
const css = [String.raw`
:host {
  all: initial !important;
  display: block !important;
  visibility: visible !important;
  opacity: 1 !important;
  contain: layout style !important;
  --_accent: var(--chatter-accent, #5b5bd6);
  --_accent-text: var(--chatter-accent-text, #4747c2);
  --_on-accent: #fff;
  --_bg: var(--chatter-bg, #ffffff);
  --_surface: var(--chatter-surface, #f8f8fa);
  --_raised: #ffffff;
  --_text: var(--chatter-text, #1b1b1f);
  --_muted: var(--chatter-muted, #63636e);
  --_faint: #6b6b75;
  --_border: var(--chatter-border, #e7e7ec);
  --_border-strong: #d4d4dc;
  --_hover: rgba(15, 15, 40, .045);
  --_accent-soft: color-mix(in srgb, var(--_accent) 11%, transparent);
  --_like: #e5484d;
  --_like-soft: rgba(229, 72, 77, .1);
  --_promote: #b45309;
  --_promote-soft: rgba(217, 119, 6, .12);
  --_danger: #d13438;
  --_shadow: 0 0 0 1px rgba(15, 15, 40, .06), -12px 0 32px rgba(15, 15, 40, .08);
  --_skeleton: #eeeef2;
  --_radius: var(--chatter-radius, 10px);
  --_font: var(--chatter-font, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  color-scheme: light;
}
:host([theme=dark]) { DARK }
@media (prefers-color-scheme: dark) { :host([theme=auto]), :host(:not([theme])) { DARK } }

:host([mode=docked]) {
  position: fixed !important; top: 0 !important; right: 0 !important; bottom: 0 !important; left: auto !important;
  width: var(--chatter-width, 380px) !important; max-width: 100vw !important; height: auto !important;
  margin: 0 !important; transform: none !important; z-index: 2147483000 !important;
}
:host([mode=docked]:not([open])) {
  top: auto !important; bottom: 20px !important; width: auto !important;
}
:host([mode=inline]) {
  position: relative !important; width: 100% !important; height: 100% !important; min-height: 520px !important;
}
@media (max-width: 720px) {
  :host([mode=docked][open]) { left: 0 !important; width: 100vw !important; }
}

* { box-sizing: border-box; }
[hidden] { display: none !important; }
.pane {
  display: flex; flex-direction: column; height: 100%; min-height: 0;
  font: 14px/1.5 var(--_font); color: var(--_text); background: var(--_bg);
  -webkit-font-smoothing: antialiased; text-align: left; letter-spacing: normal;
}
:host([mode=docked]) .pane { border-left: 1px solid var(--_border); box-shadow: var(--_shadow); }
`,
// beside the page (wide screens): a column of its own, no shadow over the page
String.raw`
@media (min-width: 1024px) { :host([mode=docked]:not([dock=overlay])) .pane { box-shadow: none; } }
:host([mode=inline]) .pane { position: absolute; inset: 0; border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; }
:host([mode=docked]:not([open])) .pane, :host([mode=docked][open]) .handle, :host([mode=inline]) .handle,
:host([mode=inline]) .collapse { display: none; }
.backdrop { display: none; }
@media (max-width: 720px) {
  :host([mode=docked][open]) .backdrop { display: block; position: absolute; inset: 0; background: rgba(10, 10, 20, .45); }
  :host([mode=docked][open]) .pane { position: absolute; top: 0; right: 0; bottom: 0; width: min(420px, 100vw); }
}
button, select, textarea, input { font: inherit; color: inherit; letter-spacing: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; border-radius: 6px; }
.icon { width: 16px; height: 16px; flex: none; fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linecap: round; stroke-linejoin: round; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.spacer { flex: 1; }

`,
// header, tabs
String.raw`
.top { display: flex; align-items: center; gap: 6px; padding: 12px 12px 10px 16px; }
.logo { display: grid; place-items: center; width: 26px; height: 26px; border-radius: 7px; color: var(--_on-accent);
  background: linear-gradient(135deg, var(--_accent), color-mix(in srgb, var(--_accent) 60%, #c026d3)); }
.logo .icon { width: 15px; height: 15px; }
.title { margin: 0; font-size: 15px; font-weight: 650; letter-spacing: -.01em; }
.badge { font-size: 10px; font-weight: 700; letter-spacing: .06em; padding: 2px 6px; border-radius: 5px;
  color: #9a3412; background: #ffedd5; border: 1px solid #fed7aa; }
.search { flex: 1; min-width: 0; height: 30px; margin-left: 2px; padding: 0 6px 0 27px; border: 1px solid var(--_border); border-radius: 8px;
  font-size: 13px; background: var(--_surface) url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%2388889a' stroke-width='2.2' stroke-linecap='round'%3E%3Ccircle cx='11' cy='11' r='6'/%3E%3Cpath d='M20 20l-4.5-4.5'/%3E%3C/svg%3E") no-repeat 8px center / 14px; }
.top:has(.search:focus, .search:not(:placeholder-shown)) :is(.title, .badge) { display: none; }
.search::placeholder { color: var(--_faint); }
.search:hover { border-color: var(--_border-strong); }
.search:focus { outline: none; border-color: var(--_accent); box-shadow: 0 0 0 3px var(--_accent-soft); background-color: var(--_bg); }
.me { padding: 0; border: 0; border-radius: 50%; background: none; }
.me:empty { display: none; }
.me-inner { display: flex; }
.conn { font-size: 12px; color: var(--_muted); }
.conn:empty { display: none; }
.btn-icon { display: inline-grid; place-items: center; width: 30px; height: 30px; padding: 0; border: 0; border-radius: 7px;
  background: transparent; color: var(--_muted); }
.btn-icon:hover { background: var(--_hover); color: var(--_text); }
.btn-icon.danger:hover { color: var(--_danger); }
.toolbar { display: flex; align-items: center; gap: 8px; padding: 0 12px 0 16px; border-bottom: 1px solid var(--_border); }
.tabs { display: flex; gap: 18px; flex: 1; }
.tab { position: relative; padding: 8px 0 11px; border: 0; background: none; color: var(--_muted); font-weight: 550; }
.tab:hover { color: var(--_text); }
.tab[aria-selected=true] { color: var(--_text); }
.tab[aria-selected=true]::after { content: ""; position: absolute; left: 0; right: 0; bottom: -1px; height: 2px; border-radius: 2px; background: var(--_accent); }
.sort { appearance: none; padding: 4px 24px 4px 9px; border: 1px solid var(--_border); border-radius: 7px; font-size: 12.5px;
  color: var(--_muted); cursor: pointer;
  background: var(--_bg) url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%2388889a' stroke-width='2.4' stroke-linecap='round'%3E%3Cpath d='M7 10l5 5 5-5'/%3E%3C/svg%3E") no-repeat right 6px center / 12px; }
.sort:hover { border-color: var(--_border-strong); color: var(--_text); }
.sort option { color: #1b1b1f; background: #fff; }

`,
// scroll area
String.raw`
.scroll { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; padding: 14px 12px 24px; background: var(--_surface);
  scrollbar-width: thin; scrollbar-color: var(--_border-strong) transparent; }
.main { display: flex; flex-direction: column; gap: 12px; }

`,
// composer
String.raw`
.composer { display: flex; flex-direction: column; gap: 6px; padding: 10px 10px 8px; border: 1px solid var(--_border);
  border-radius: var(--_radius); background: var(--_raised); transition: border-color .15s, box-shadow .15s; }
.composer:focus-within { border-color: color-mix(in srgb, var(--_accent) 55%, var(--_border)); box-shadow: 0 0 0 3px var(--_accent-soft); }
.field { display: block; width: 100%; min-height: 40px; max-height: 240px; field-sizing: content; resize: none; padding: 2px 4px; border: 0;
  outline: none; background: transparent; line-height: 1.5; }
.field::placeholder { color: var(--_faint); }
.composer-bar { display: flex; align-items: center; gap: 8px; min-height: 28px; }
.composer:not(:focus-within):not(.has-text) .composer-bar .hint { visibility: hidden; }
.hint { font-size: 11.5px; color: var(--_faint); }
.count { font-size: 12px; color: var(--_muted); font-variant-numeric: tabular-nums; }
.count.over { color: var(--_danger); font-weight: 600; }
.error { margin: 0; color: var(--_danger); font-size: 12.5px; }
.error:empty { display: none; }
.composer.compact { padding: 6px 8px 6px; border-radius: 8px; }
.composer.compact .field { min-height: 30px; font-size: 13.5px; }
.composer.compact .composer-bar { min-height: 24px; }
.composer.compact:not(:focus-within):not(.has-text) .composer-bar { display: none; }

`,
// buttons
String.raw`
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 6px; height: 30px; padding: 0 12px;
  border-radius: 7px; border: 1px solid transparent; font-size: 13px; font-weight: 550; white-space: nowrap; }
.btn.sm { height: 26px; padding: 0 9px; font-size: 12.5px; }
.btn.primary { background: var(--_accent); color: var(--_on-accent); box-shadow: 0 1px 2px rgba(0, 0, 0, .12); }
.btn.primary:hover:not(:disabled) { background: color-mix(in srgb, var(--_accent) 88%, #000); }
.btn.primary:disabled { opacity: .45; cursor: default; box-shadow: none; }
.btn.secondary { background: var(--_raised); border-color: var(--_border); color: var(--_text); }
.btn.secondary:hover { border-color: var(--_border-strong); background: var(--_surface); }
.btn.ghost { background: transparent; color: var(--_muted); }
.btn.ghost:hover { background: var(--_hover); color: var(--_text); }
.btn.danger { background: var(--_danger-fill, var(--_danger)); color: #fff; }
.btn.link { height: auto; padding: 2px 0; border: 0; background: none; color: var(--_accent-text); font-weight: 550; justify-content: flex-start; }
.btn.link:hover { text-decoration: underline; }
.more { align-self: center; }

`,
// promoted strip: two whole cards across (three in a wide pane), snapping; the list's 4px padding
// keeps focus rings inside its scroll box
String.raw`
.promoted { container-type: inline-size; }
.section-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 0 0 6px 2px; }
.section-title { display: flex; align-items: center; gap: 6px; margin: 0; font-size: 11.5px; font-weight: 650;
  letter-spacing: .05em; text-transform: uppercase; color: var(--_promote); }
.section-title .icon { width: 13px; height: 13px; stroke-width: 2.4; }
.see-all { font-size: 12.5px; }
.promo-list { display: grid; grid-auto-flow: column; grid-auto-columns: calc((100% - 8px) / 2); gap: 8px; margin: -4px -4px 0;
  padding: 4px 4px 8px; list-style: none; overflow-x: auto; scroll-snap-type: x mandatory; scroll-padding: 4px; scrollbar-width: thin; }
.promo-list:has(> li:only-child) { grid-auto-columns: 100%; }
@container (min-width: 560px) { .promo-list { grid-auto-columns: calc((100% - 16px) / 3); } }
.promo-list > li { display: flex; min-width: 0; scroll-snap-align: start; }
.promo { display: flex; flex-direction: column; justify-content: space-between; gap: 8px; width: 100%; padding: 10px 12px;
  border: 1px solid var(--_border); border-radius: var(--_radius); text-align: left; font-size: 13px; line-height: 1.4;
  background: linear-gradient(180deg, var(--_promote-soft), transparent 70%), var(--_raised); }
.promo:hover { border-color: var(--_border-strong); }
.promo-text { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; }
.promo-meta { display: flex; justify-content: space-between; gap: 6px; font-size: 12px; color: var(--_muted); }
.promo-count { color: var(--_promote); font-weight: 650; }
.promo:focus-visible { border-radius: var(--_radius); }
.main:has(> .view-head:not([hidden])) > .promoted { display: none; }
.view-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.view-title { margin: 0; font-size: 13px; font-weight: 650; }

`,
// where a post goes
String.raw`
.where { margin: 0 4px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; color: var(--_muted); }
.where strong { color: var(--_text); font-weight: 600; }

`,
// cards; a byline is one line (cut names and titles have a tooltip): edit and delete float over its
// end, so hidden they take no width, and the delete question gets a line of its own under it
String.raw`
.feed { display: flex; flex-direction: column; gap: 10px; }
.pill-bar { position: sticky; top: 30px; z-index: 2; height: 0; margin-bottom: -12px; display: flex; justify-content: center; }
.pill { display: flex; align-items: center; gap: 6px; height: 30px; margin-top: -21px; padding: 0 14px 0 10px; border: 0; border-radius: 15px;
  background: var(--_accent); color: var(--_on-accent); font: 600 13px var(--_font); box-shadow: 0 4px 14px rgba(15, 15, 40, .22); cursor: pointer; }
.card { position: relative; padding: 14px 14px 8px; border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--_raised); transition: border-color .15s; }
.card:hover { border-color: var(--_border-strong); }
.head { position: relative; display: flex; flex-wrap: wrap; align-items: flex-start; gap: 6px; }
.byline { display: flex; gap: 10px; flex: 1; min-width: 0; }
.who { flex: 1; min-width: 0; }
.name-row { display: flex; align-items: baseline; gap: 6px; }
.name { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 620; }
.name, .mention { padding: 0; border: 0; background: none; }
.name:hover, .mention:hover { text-decoration: underline; }
[data-person] { cursor: pointer; }
.mention { color: var(--_accent-text); font-weight: 550; }
.when { flex: none; white-space: nowrap; }
.when, .meta { font-size: 12.5px; color: var(--_muted); }
.meta { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; line-height: 1.35; }
.edited { padding: 0; border: 0; background: none; font: italic 12.5px var(--_font); color: inherit; }
.edited:hover { text-decoration: underline; }
.veil:not(.notice) ~ * { display: none !important; }
.flag[aria-pressed=true] { color: var(--_promote); }
.own { position: absolute; top: -4px; right: -6px; display: flex; align-items: center; gap: 2px; border-radius: 8px;
  background: var(--_raised); box-shadow: 0 0 0 1px var(--_border); opacity: 0; transition: opacity .12s; }
.card:hover > .head .own, .comment-main:hover > .head .own, .own:focus-within { opacity: 1; }
@media (hover: none) { .own { position: static; margin: -4px -6px 0 0; box-shadow: none; opacity: 1; } }
.own.asking { position: static; flex: 1 0 100%; justify-content: flex-end; margin: 4px 0 0; box-shadow: none; opacity: 1; }
.own:empty { display: none; }
.own .btn-icon { width: 28px; height: 28px; }
.confirm { display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end; gap: 6px; font-size: 12.5px; color: var(--_muted); }
.avatar { display: inline-grid; place-items: center; flex: none; border-radius: 50%; object-fit: cover; font-weight: 650;
  color: #fff; user-select: none; }
.avatar.md { width: 36px; height: 36px; font-size: 13px; }
.avatar.sm { width: 28px; height: 28px; font-size: 11px; }
.hue-0 { background: #4f46e5; } .hue-1 { background: #0f766e; } .hue-2 { background: #c2410c; } .hue-3 { background: #7c3aed; }
.hue-4 { background: #1d4ed8; } .hue-5 { background: #be185d; } .hue-6 { background: #4d7c0f; } .hue-7 { background: #a16207; }
.context { display: flex; align-items: center; gap: 5px; margin: 8px 0 0 46px; font-size: 12.5px; color: var(--_muted); }
.context .icon { width: 13px; height: 13px; }
.context a { color: var(--_accent-text); font-weight: 550; text-decoration: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.context a:hover { text-decoration: underline; }
.body { margin: 6px 0 0 46px; overflow-wrap: anywhere; }
.card > .composer { margin: 8px 0 4px 46px; }
.body.clamp { max-height: 15em; overflow: hidden; }
.body.clamp.cut { mask-image: linear-gradient(#000 calc(100% - 3em), transparent); }
.show-more { margin: 4px 0 0 46px; font-size: 13px; }
.body > :first-child { margin-top: 0; }
.body > :last-child { margin-bottom: 0; }
.body p, .body ul, .body ol, .body pre, .body blockquote { margin: 0 0 8px; }
.body ul, .body ol { padding-left: 20px; }
.body h1, .body h2, .body h3, .body h4, .body h5, .body h6 { margin: 10px 0 4px; font-size: 14.5px; font-weight: 650; }
.body a { color: var(--_accent-text); text-decoration: underline; text-decoration-color: color-mix(in srgb, var(--_accent-text) 40%, transparent); text-underline-offset: 2px; }
.body a:hover { text-decoration-color: currentColor; }
.body code { padding: 1px 5px; border-radius: 5px; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--_surface); border: 1px solid var(--_border); }
.body pre { padding: 10px 12px; overflow-x: auto; border-radius: 8px; background: var(--_surface); border: 1px solid var(--_border); }
.body pre code { padding: 0; border: 0; background: none; }
.body blockquote { padding-left: 10px; border-left: 3px solid var(--_border-strong); color: var(--_muted); }
.body hr { border: 0; border-top: 1px solid var(--_border); }
.actions { display: flex; gap: 2px; margin: 6px 0 0 40px; }
.react { display: inline-flex; align-items: center; gap: 5px; height: 28px; min-width: 32px; padding: 0 8px; border: 0; border-radius: 7px;
  background: transparent; color: var(--_muted); font-size: 12.5px; font-weight: 550; font-variant-numeric: tabular-nums; }
.react:hover { background: var(--_hover); color: var(--_text); }
.react[aria-pressed=true].heart { color: var(--_like); background: var(--_like-soft); }
.react[aria-pressed=true].heart .icon { fill: currentColor; }
.react[aria-pressed=true].promote { color: var(--_promote); background: var(--_promote-soft); }
.react[aria-pressed=true].promote .icon { stroke-width: 2.6; }
.react[aria-pressed=true].bell, .react[aria-expanded=true] { color: var(--_accent-text); background: var(--_accent-soft); }
.react[aria-busy] { cursor: progress; }
.react.n { min-width: 0; margin-left: -4px; padding: 0 6px 0 4px; }
.promote[hidden] + .n::before { content: '\25b2\a0'; }

`,
// a narrow reply box keeps its hint whole (the thread's own CSS is widget/later/thread.js's)
String.raw`
.composer .hint { white-space: nowrap; }

`,
// pictures: the composer's drop state and button (the tray's CSS is widget/later/attachments.js's)
String.raw`
.composer { position: relative; }
.composer.dropping { border-color: var(--_accent); border-style: dashed; }
.composer.dropping::after { content: "Drop pictures to attach"; position: absolute; inset: 0; display: grid; place-items: center;
  border-radius: inherit; background: color-mix(in srgb, var(--_raised) 88%, var(--_accent)); color: var(--_accent-text);
  font-weight: 600; pointer-events: none; }
.attach { width: 28px; height: 28px; margin-left: -4px; }
.attach .icon { width: 18px; height: 18px; }

`,
// pictures: grid in cards and comments
String.raw`
.pics { display: grid; gap: 3px; max-width: 520px; margin: 10px 0 2px 46px; border-radius: 10px; overflow: hidden; }
.pics.n1 { justify-items: start; border-radius: 0; }
.pics.n2 { grid-template-columns: 1fr 1fr; aspect-ratio: 2 / 1; }
.pics.n3 { grid-template: 1fr 1fr / 2fr 1fr; aspect-ratio: 3 / 2; }
.pics.n3 .pic:first-child { grid-row: span 2; }
.pics.n4 { grid-template: 1fr 1fr / 1fr 1fr; aspect-ratio: 3 / 2; }
.pic { display: block; min-width: 0; min-height: 0; padding: 0; border: 0; background: var(--_skeleton); cursor: zoom-in; }
.pic img { display: block; width: 100%; height: 100%; object-fit: cover; }
.n1 .pic { max-width: 100%; border-radius: 10px; overflow: hidden; }
.n1 .pic img { width: auto; height: auto; max-width: 100%; max-height: 360px; }
.pic:hover img { filter: brightness(.93); }
.pic:focus-visible { outline-offset: -3px; border-radius: 0; }

`,
// states
String.raw`
.state-box:empty { display: none; }
.state { display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 36px 20px; text-align: center; color: var(--_muted); }
.state-icon { display: grid; place-items: center; width: 44px; height: 44px; border-radius: 50%; background: var(--_accent-soft); color: var(--_accent-text); margin-bottom: 4px; }
.state-icon .icon { width: 20px; height: 20px; }
.state-title { margin: 0; font-weight: 620; color: var(--_text); }
.state-text { margin: 0 0 8px; max-width: 34ch; font-size: 13px; }
.state-actions { display: flex; flex-wrap: wrap; justify-content: center; gap: 8px; }
.state-detail { max-width: 100%; margin: 10px 0 0; font-size: 11.5px; overflow-wrap: anywhere; }
.skeleton { display: flex; gap: 10px; padding: 14px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); }
.sk-avatar { width: 36px; height: 36px; border-radius: 50%; background: var(--_skeleton); flex: none; }
.sk-lines { display: flex; flex-direction: column; gap: 8px; flex: 1; padding-top: 4px; }
.sk-lines span { height: 10px; border-radius: 5px; background: var(--_skeleton); }
.sk-lines span:nth-child(1) { width: 40%; } .sk-lines span:nth-child(3) { width: 70%; }
@media (prefers-reduced-motion: no-preference) {
  .skeleton { animation: pulse 1.2s ease-in-out infinite alternate; }
  @keyframes pulse { to { opacity: .5; } }
}
.toast { position: absolute; left: 50%; bottom: 16px; max-width: calc(100% - 32px); padding: 8px 14px; border-radius: 8px;
  font-size: 13px; color: #fff; background: #1f1f24; box-shadow: 0 6px 20px rgba(0, 0, 0, .2);
  transform: translate(-50%, 12px); opacity: 0; pointer-events: none; transition: opacity .18s, transform .18s; }
.toast.show { opacity: 1; transform: translate(-50%, 0); }
.toast.error { background: var(--_danger-fill, var(--_danger)); }
.pane { position: relative; }

`,
// collapsed handle
String.raw`
.handle { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 12px 8px; border: 1px solid var(--_border);
  border-right: 0; border-radius: 10px 0 0 10px; color: var(--_on-accent); font: 600 12.5px/1 var(--_font);
  background: var(--_accent); box-shadow: -4px 4px 18px rgba(15, 15, 40, .18); }
.handle:hover { background: color-mix(in srgb, var(--_accent) 88%, #000); }
.handle-text { writing-mode: vertical-rl; transform: rotate(180deg); letter-spacing: .02em; }
`,
// the composer's question toggle, the Everyone tab's filters
String.raw`
.ask { display: flex; align-items: center; gap: 5px; font-size: 12.5px; color: var(--_muted); }
.main > .sort { align-self: flex-end; }
`,
// something new since the pane was last looked at
String.raw`
.handle { position: relative; }
.dot { position: absolute; top: -8px; left: -8px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #c4262e; color: #fff; font: 700 11px/20px var(--_font); text-align: center; box-shadow: 0 0 0 2px var(--_bg); }
.dot:empty { display: none; }
.inbox { position: relative; }
.inbox .dot { top: -4px; left: auto; right: -6px; scale: .8; }
`].join('');

const DARK = `
  --_accent: var(--chatter-accent, #6363dc); --_accent-text: var(--chatter-accent-text, #a8a8ff); --_on-accent: #fff;
  --_bg: var(--chatter-bg, #151518); --_surface: var(--chatter-surface, #101013); --_raised: #1c1c21;
  --_text: var(--chatter-text, #ececf1); --_muted: var(--chatter-muted, #a0a0ab); --_faint: #8a8a95;
  --_border: var(--chatter-border, #2a2a31); --_border-strong: #3a3a43; --_hover: rgba(255, 255, 255, .06);
  --_like: #ff6369; --_like-soft: rgba(255, 99, 105, .14); --_promote: #f5a524; --_promote-soft: rgba(245, 165, 36, .14);
  --_danger: #ff5a5f; --_danger-fill: #c42b31; --_skeleton: #26262c; --_shadow: 0 0 0 1px rgba(0, 0, 0, .4), -12px 0 32px rgba(0, 0, 0, .35);
  color-scheme: dark;`;

export const sheet = new CSSStyleSheet();
sheet.replaceSync(css.replaceAll('DARK', DARK));
