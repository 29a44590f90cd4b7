/*! Chatter loader — finds its tag, inserts one <chatter-pane>, loads the widget. */
(() => {
  const fail = (message) => console.error('Chatter: ' + message);
  // Filled in by the server: the widget, one content-hashed module.
  const WIDGET = '%WIDGET%';
  try {
    // included twice: the first tag wins
    if (window.Chatter && window.Chatter.version) return;
    performance.mark('chatter:loader');
    const script = document.currentScript || document.querySelector('script[src*="embed.js"]');
    if (!script) return fail('cannot find its own <script> tag.');
    const data = script.dataset;
    const origin = new URL(script.src, location.href).origin;
    // a host may set window.Chatter = {getIdentityToken} first
    const preset = window.Chatter || {};
    let getToken = typeof preset.getIdentityToken === 'function' ? preset.getIdentityToken : null;
    let inline = data.token;
    let tokenUrl;
    if (data.tokenUrl) {
      const url = new URL(data.tokenUrl, location.href);
      if (url.origin === location.origin) tokenUrl = url.href;
      else fail(`data-token-url must be on this page's own origin (${location.origin}), not ${url.origin}.`);
    }
    // A <chatter-pane> the host put in the page is used as it is; its own attributes win.
    const pane = document.querySelector('chatter-pane') || document.createElement('chatter-pane');
    const attr = (name, value) => pane.getAttribute(name) ?? (value != null && pane.setAttribute(name, value), value);
    let context = attr('context', data.context);
    if (context != null && (!context || context !== context.trim() || context.length > 200)) {
      fail('data-context must be 1–200 characters without surrounding spaces; using this page\'s URL.');
      context = null;
    }
    context = context || (location.origin + location.pathname).replace(/(.)\/$/, '$1').slice(0, 200);
    pane.setAttribute('context', context);
    attr('context-title', (data.contextTitle || document.title || '').trim().slice(0, 200) || null);
    // view="insights": the Insights view as the whole pane (README)
    attr('view', data.view);
    pane.setAttribute('api', origin);

    const json = (url, init) => fetch(url, { cache: 'no-store', ...init,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' } })
      .then((response) => {
        if (response.ok) return response.json();
        // the status is kept for the pane's words ("the intranet answered 500")
        throw Object.assign(new Error(`${url} answered ${response.status}.`), { status: response.status });
      });
    async function identityToken() {
      if (tokenUrl) {
        const token = (await json(tokenUrl)).identity_token;
        if (!token) throw new Error(`${tokenUrl} gave no identity_token.`);
        return token;
      }
      if (getToken) return getToken();
      if (inline) {
        // single use: a second sign-in needs a fresh token
        const token = inline;
        inline = null;
        return token;
      }
      throw new Error('this page gives Chatter no identity token (data-token-url or Chatter.configure).');
    }
    // The first session, with the first page of conversations riding along, is fetched while the
    // widget modules load: it, not the modules, is the critical path to a rendered pane.
    const early = (tokenUrl || getToken) && identityToken().then((token) => json(`${origin}/api/v1/session`,
      { method: 'POST', credentials: 'omit', body: JSON.stringify({ identity_token: token, feed: { context } }) }));
    const first = early && early.then((session) => session.feed);
    // unhandled here: the widget falls back to its own sign-in
    if (first) first.catch(() => {});

    const choose = (name, allowed, value = pane.getAttribute(name) || data[name] || allowed[0]) => {
      if (!allowed.includes(value)) fail(`data-${name} must be one of ${allowed}, not "${value}"; using ${value = allowed[0]}.`);
      pane.setAttribute(name, value);
    };
    choose('theme', ['auto', 'light', 'dark']);
    // overlay: an open docked pane floats over the page instead of making room beside it
    choose('dock', ['beside', 'overlay']);
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
      if (pane.isConnected) return choose('mode', ['inline', 'docked']);
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

    // The pane enters the page in a task of its own once the widget has run: building it must not
    // hold up the early requests' next step (token -> session -> first page).
    import(`${origin}/${WIDGET}`).then(() => setTimeout(() => {
      if (data.target && document.readyState === 'loading') addEventListener('DOMContentLoaded', mount, { once: true });
      else mount();
      customElements.upgrade(pane);
      call('configure', { identityToken, early, first, transport: data.transport || preset.transport });
    }),
      () => fail(`could not load the widget from ${origin}. If this page is on another origin, ` +
        `add ${location.origin} to CHATTER_ALLOWED_ORIGINS.`));
  } catch (error) {
    // never throw into the host page
    fail(error.message);
  }
})();
