// Live events: a WebSocket, else server-sent events, else long polling. Each connection resumes
// after the last event id seen, so every event arrives once and in order across reconnects.
// Out of the first load: the pane imports it once the first page is shown (element.js).
const NEXT = { ws: 'sse', sse: 'poll' };

export class Stream {
  #api;
  #on;
  #force;
  #mode;
  // the last event id handled
  #last = null;
  // bumped per connection: callbacks of an older one are ignored
  #gen = 0;
  // reconnects since the last good connection (backoff)
  #fails = 0;
  // connections in this mode that never opened (fallback)
  #misses = 0;
  #timer = 0;
  #warn = 0;
  #end = null;

  /** From api.origin; on = {event(frame), reset(), status(up)}; `force` pins the transport ('ws' | 'sse' | 'poll'). */
  constructor(api, on, force) {
    this.#api = api;
    this.#on = on;
    this.#force = force;
    this.#mode = force || 'ws';
  }

  start(after) {
    this.stop();
    this.#last = after ?? this.#last;
    addEventListener('online', this.#now);
    this.#open();
  }

  stop() {
    removeEventListener('online', this.#now);
    clearTimeout(this.#timer);
    clearTimeout(this.#warn);
    this.#timer = this.#warn = 0;
    const close = this.#end;
    this.#gen++;
    close?.();
    this.#on.status(true);
  }

  // back online: reconnect now instead of after the backoff
  #now = () => {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#open();
  };

  #ok() {
    this.#fails = this.#misses = 0;
    clearTimeout(this.#warn);
    this.#warn = 0;
    this.#on.status(true);
  }

  #frame(f) {
    if (f.type === 'ready' || f.type === 'reset') {
      if (f.type === 'reset') this.#on.reset();
      this.#last = f.last_id;
      this.#ok();
    } else if (f.id > this.#last) {
      this.#last = f.id;
      this.#on.event(f);
    }
  }

  /** A connection ended: fall back after two that never opened, then retry with backoff and jitter. */
  #retry(g, opened, renew) {
    if (g !== this.#gen) return;
    this.#gen++;
    this.#end = null;
    if (!opened && !this.#force && ++this.#misses > 1 && NEXT[this.#mode]) {
      this.#mode = NEXT[this.#mode];
      this.#misses = 0;
    }
    this.#warn ||= setTimeout(() => this.#on.status(false), 3000);
    this.#timer = setTimeout(async () => {
      this.#timer = 0;
      if (renew) await this.#api.signIn().catch(() => {});
      this.#open();
    }, Math.min(15000, 500 * 2 ** this.#fails++) * (0.5 + Math.random() / 2));
  }

  async #open() {
    const g = ++this.#gen;
    const api = this.#api;
    try {
      if (!api.session) await api.signIn();
    } catch {
      return this.#retry(g, true);
    }
    const mode = this.#mode;
    if (g === this.#gen) (mode === 'ws' ? this.#ws : mode === 'sse' ? this.#sse : this.#poll).call(this, g, api.session.token);
  }

  #ws(g, token) {
    const sock = new WebSocket(`${this.#api.origin.replace(/^http/, 'ws')}/api/v1/stream`);
    let opened = false;
    let seen = Date.now();
    let ping = 0;
    // 1008: the session lapsed (renew it), unless there were too many sockets or frames
    const close = (e) => {
      clearInterval(ping);
      sock.close();
      this.#retry(g, opened, e?.code === 1008 && !/many/.test(e.reason));
    };
    sock.onopen = () => {
      opened = true;
      sock.send(JSON.stringify({ type: 'auth', token, after: this.#last }));
      // a keep-alive for proxies; a socket silent for a minute (a sleeping laptop) is replaced
      ping = setInterval(() => (Date.now() - seen > 6e4 ? close() : sock.send('{"type":"ping"}')), 25000);
    };
    sock.onmessage = (m) => {
      seen = Date.now();
      if (g === this.#gen) this.#frame(JSON.parse(m.data));
    };
    sock.onclose = close;
    this.#end = () => close();
  }

  async #sse(g, token) {
    const abort = new AbortController();
    let opened = false;
    let renew = false;
    this.#end = () => abort.abort();
    try {
      const response = await fetch(`${this.#api.origin}/api/v1/stream/sse${this.#last == null ? '' : `?after=${this.#last}`}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: abort.signal, credentials: 'omit', cache: 'no-store' });
      renew = response.status === 401;
      opened = response.ok;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (let read; opened && !(read = await reader.read()).done && g === this.#gen;) {
        const lines = (buffer + read.value).split('\n');
        buffer = lines.pop();
        for (const line of lines) {
          if (!line.startsWith('data:')) continue;
          const f = JSON.parse(line.slice(5));
          if (f.type === 'close') renew = f.code === 1008;
          else this.#frame(f);
        }
      }
    } catch {
      // offline or aborted: retried below
    }
    this.#retry(g, opened, renew);
  }

  async #poll(g) {
    this.#end = () => {};
    let opened = false;
    try {
      while (g === this.#gen) {
        const batch = await this.#api.get('/events', { after: this.#last, wait: 20 });
        if (g !== this.#gen) return;
        opened = true;
        if (batch.reset) this.#on.reset();
        if (this.#last == null || batch.reset) this.#last = batch.last_id;
        for (const f of batch.events) this.#frame(f);
        this.#last = Math.max(this.#last, batch.last_id);
        this.#ok();
      }
    } catch {
      this.#retry(g, opened);
    }
  }
}
