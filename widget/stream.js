// Live events: a WebSocket, else server-sent events, else long polling. Each connection resumes
// after the last event id seen, so every event arrives once and in order across reconnects.
const NEXT = { ws: 'sse', sse: 'poll' };

/** on = {event(frame), reset(), status(up)}; `force` pins the transport ('ws' | 'sse' | 'poll'). */
export function stream(api, origin, on, force) {
  let mode = force || 'ws';
  // the last event id handled
  let last = null;
  // bumped per connection: callbacks of an older one are ignored
  let gen = 0;
  // reconnects since the last good connection (backoff)
  let fails = 0;
  // connections in this mode that never opened (fallback)
  let misses = 0;
  let timer = 0;
  let warn = 0;
  let end = null;

  const ok = () => {
    fails = misses = 0;
    clearTimeout(warn);
    warn = 0;
    on.status(true);
  };
  const frame = (f) => {
    if (f.type === 'ready' || f.type === 'reset') {
      if (f.type === 'reset') on.reset();
      last = f.last_id;
      ok();
    } else if (f.id > last) {
      last = f.id;
      on.event(f);
    }
  };
  // A connection ended: fall back after two that never opened, then retry with backoff and jitter.
  const retry = (g, opened, renew) => {
    if (g !== gen) return;
    gen++;
    end = null;
    if (!opened && !force && ++misses > 1 && NEXT[mode]) {
      mode = NEXT[mode];
      misses = 0;
    }
    warn ||= setTimeout(() => on.status(false), 3000);
    timer = setTimeout(async () => {
      timer = 0;
      if (renew) await api.signIn().catch(() => {});
      open();
    }, Math.min(15000, 500 * 2 ** fails++) * (0.5 + Math.random() / 2));
  };

  const transports = {
    ws(g, token) {
      const sock = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/v1/stream`);
      let opened = false;
      let seen = Date.now();
      let ping = 0;
      // 1008: the session lapsed (renew it), unless there were too many sockets or frames
      const close = (e) => {
        clearInterval(ping);
        sock.close();
        retry(g, opened, e?.code === 1008 && !/many/.test(e.reason));
      };
      sock.onopen = () => {
        opened = true;
        sock.send(JSON.stringify({ type: 'auth', token, after: last }));
        // a keep-alive for proxies; a socket silent for a minute (a sleeping laptop) is replaced
        ping = setInterval(() => (Date.now() - seen > 6e4 ? close() : sock.send('{"type":"ping"}')), 25000);
      };
      sock.onmessage = (m) => {
        seen = Date.now();
        if (g === gen) frame(JSON.parse(m.data));
      };
      sock.onclose = close;
      end = () => close();
    },
    async sse(g, token) {
      const abort = new AbortController();
      let opened = false;
      let renew = false;
      end = () => abort.abort();
      try {
        const response = await fetch(`${origin}/api/v1/stream/sse${last == null ? '' : `?after=${last}`}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: abort.signal, credentials: 'omit', cache: 'no-store' });
        renew = response.status === 401;
        opened = response.ok;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (let read; opened && !(read = await reader.read()).done && g === gen;) {
          const lines = (buffer + read.value).split('\n');
          buffer = lines.pop();
          for (const line of lines) {
            if (!line.startsWith('data:')) continue;
            const f = JSON.parse(line.slice(5));
            if (f.type === 'close') renew = f.code === 1008;
            else frame(f);
          }
        }
      } catch {
        // offline or aborted: retried below
      }
      retry(g, opened, renew);
    },
    async poll(g) {
      end = () => {};
      let opened = false;
      try {
        while (g === gen) {
          const batch = await api.get('/events', { after: last, wait: 20 });
          if (g !== gen) return;
          opened = true;
          if (batch.reset) on.reset();
          if (last == null || batch.reset) last = batch.last_id;
          for (const f of batch.events) frame(f);
          last = Math.max(last, batch.last_id);
          ok();
        }
      } catch {
        retry(g, opened);
      }
    },
  };

  async function open() {
    const g = ++gen;
    try {
      if (!api.session) await api.signIn();
    } catch {
      return retry(g, true);
    }
    if (g === gen) transports[mode](g, api.session.token);
  }
  const now = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = 0;
    open();
  };

  const stop = () => {
    removeEventListener('online', now);
    clearTimeout(timer);
    clearTimeout(warn);
    timer = warn = 0;
    const close = end;
    gen++;
    close?.();
    on.status(true);
  };
  return {
    stop,
    start(after) {
      stop();
      last = after ?? last;
      addEventListener('online', now);
      open();
    },
  };
}
