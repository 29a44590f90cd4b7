/*! Chatter loader — finds its tag, inserts one <chatter-pane>, loads the widget. */
(() => {
  const fail = (message) => console.error('Chatter: ' + message);
  // Filled in by the server: the content-hashed widget folder and its modules.
  const WIDGET = '%WIDGET_PATH%';
  const MODULES = '%WIDGET_MODULES%';
  try {
    if (window.Chatter && window.Chatter.version) return; // included twice: the first tag wins
    performance.mark('chatter:loader');
    const script = document.currentScript || document.querySelector(
      'script[src*="embed.js"][data-token-url],script[src*="embed.js"][data-token],script[src*="embed.js"]');
    if (!script) return fail('cannot find its own <script> tag.');
    const data = script.dataset;
    const origin = new URL(script.src, location.href).origin;
    const preset = window.Chatter || {}; // a host may set window.Chatter = {getIdentityToken} first
    let getToken = typeof preset.getIdentityToken === 'function' ? preset.getIdentityToken : null;
    let inline = data.token || null;
    let tokenUrl = null;
    if (data.tokenUrl) {
      const url = new URL(data.tokenUrl, location.href);
      if (url.origin === location.origin) tokenUrl = url.href;
      else fail(`data-token-url must be on this page's own origin (${location.origin}), not ${url.origin}.`);
    }
    let theme = data.theme || 'auto';
    if (!/^(light|dark|auto)$/.test(theme)) {
      fail(`data-theme must be light, dark or auto, not "${theme}".`);
      theme = 'auto';
    }
    let context = data.context;
    if (context != null && (!context || context !== context.trim() || context.length > 200)) {
      fail('data-context must be 1–200 characters without surrounding spaces; using this page\'s URL.');
      context = null;
    }
    const page = (location.origin + location.pathname).replace(/(.)\/$/, '$1');
    const title = (data.contextTitle || document.title || '').trim().slice(0, 200);

    async function fetchToken() {
      const response = await fetch(tokenUrl, { credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`${tokenUrl} answered ${response.status}.`);
      const token = (await response.json()).identity_token;
      if (!token) throw new Error(`${tokenUrl} gave no identity_token.`);
      return token;
    }
    // The first session is opened while the widget modules load, saving round trips at start.
    const early = tokenUrl && fetchToken().then((token) => fetch(`${origin}/api/v1/session`, {
      method: 'POST', credentials: 'omit', body: JSON.stringify({ identity_token: token }),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    })).then((response) => (response.ok ? response.json() : Promise.reject(response.status)));
    if (early) early.catch(() => {});
    async function identityToken() {
      if (tokenUrl) return fetchToken();
      if (getToken) return getToken();
      if (inline) {
        const token = inline; // single use: a second sign-in needs a fresh token
        inline = null;
        return token;
      }
      throw new Error('this page gives Chatter no identity token (data-token-url or Chatter.configure).');
    }

    const pane = document.createElement('chatter-pane');
    pane.setAttribute('theme', theme);
    const call = (name, ...args) => {
      try {
        return pane[name] && pane[name](...args);
      } catch (error) {
        fail(error.message);
      }
    };
    window.Chatter = Object.freeze({
      version: 1,
      configure(options) {
        if (options && typeof options.getIdentityToken === 'function') getToken = options.getIdentityToken;
        else fail('configure() expects {getIdentityToken: async () => token}.');
        call('retry');
      },
      logout: () => Promise.resolve(call('logout')).catch(() => {}),
      open: () => call('open'),
      close: () => call('close'),
    });

    const mount = () => {
      let target = null;
      if (data.target) {
        try {
          target = document.querySelector(data.target);
        } catch {
          // an invalid selector is reported below
        }
        if (!target) fail(`data-target "${data.target}" matches no element; docking the pane instead.`);
      }
      pane.setAttribute('mode', target ? 'inline' : 'docked');
      (target || document.body || document.documentElement).append(pane);
    };
    if (data.target && document.readyState === 'loading') addEventListener('DOMContentLoaded', mount, { once: true });
    else mount();

    const base = `${origin}/${WIDGET}`;
    Promise.all(MODULES.split(',').map((name) => import(base + name))).then(
      () => customElements.upgrade(pane) || call('configure', { origin, identityToken, early, context: context || page.slice(0, 200),
        contextTitle: title || null, contextUrl: /^https?:/.test(page) ? page.slice(0, 500) : null,
        transport: data.transport || preset.transport }),
      () => fail(`could not load the widget from ${origin}. If this page is on another origin, ` +
        `add ${location.origin} to CHATTER_ALLOWED_ORIGINS.`));
  } catch (error) {
    fail(error.message); // never throw into the host page
  }
})();
