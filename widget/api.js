// The Chatter API client: session from an identity token, bearer auth, one renewal on 401.
class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || (problem && problem.title) || 'Something went wrong.');
    this.status = status;
    this.code = problem && problem.code;
    this.errors = (problem && problem.errors) || {};
  }
}

const OFFLINE = { detail: 'Chatter cannot be reached right now. Check your connection and try again.' };

export class Api {
  #origin;
  #identityToken;
  #session = null;
  #pending = null;
  #early;

  /** Talk to `origin`; `identityToken()` gives a fresh identity token; `early`: a session the loader opened. */
  connect(origin, identityToken, early) {
    this.#origin = origin;
    this.#identityToken = identityToken;
    this.#early = early;
  }

  get session() {
    return this.#session;
  }

  /** What the server enforces ({post_body, comment_body, images_per_item, …}), once signed in. */
  get limits() {
    return this.#session?.limits;
  }

  get origin() {
    return this.#origin;
  }

  /** Whether the reader muted person `id` (the server's `muted_people`): their live posts and comments are left out. */
  muted(id) {
    return !!this.#session?.user.muted_people?.includes(id);
  }

  /** Sign in (once at a time): exchange a fresh identity token for a session. */
  signIn() {
    this.#pending ||= (async () => {
      try {
        if (this.#early) {
          const early = this.#early;
          this.#early = null;
          try {
            this.#session = await early;
            return this.#session;
          } catch {
            // fall through to a normal sign-in with a fresh token
          }
        }
        let token;
        try {
          token = await this.#identityToken();
        } catch (error) {
          // the page's own failure (e.g. its token URL's status) stays readable as `cause`
          throw Object.assign(new ApiError(401, { detail: error.message, code: 'no_identity' }), { cause: error });
        }
        this.#session = await this.#fetch('POST', '/session', { identity_token: token });
        return this.#session;
      } finally {
        this.#pending = null;
      }
    })();
    return this.#pending;
  }

  async signOut() {
    if (!this.#session) return;
    try {
      await this.#fetch('DELETE', '/session', undefined, undefined, this.#session.token);
    } finally {
      this.#session = null;
    }
  }

  /** Call the API as the signed-in user; a lapsed session is renewed once and the call retried. */
  call(method, path, body, key, signal) {
    return this.#authed((token) => this.#fetch(method, path, body, key, token, signal));
  }

  /** Upload a picture (FormData field `file`) by XHR, for its progress events: `progress(0…1)`. */
  upload(file, key, progress, signal) {
    return this.#authed((token) => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const fail = (status, problem) => reject(new ApiError(status, problem));
      xhr.open('POST', `${this.#origin}/api/v1/uploads`);
      xhr.responseType = 'json';
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Idempotency-Key', key);
      xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
      xhr.onload = () => (xhr.status < 300 ? resolve(xhr.response)
        : fail(xhr.status, xhr.response || { detail: `Chatter answered ${xhr.status}.` }));
      xhr.onerror = () => fail(0, OFFLINE);
      xhr.onabort = () => fail(0, { detail: 'Cancelled.' });
      signal?.addEventListener('abort', () => xhr.abort());
      const form = new FormData();
      form.append('file', file);
      xhr.send(form);
    }));
  }

  async #authed(send) {
    if (!this.#session) await this.signIn();
    try {
      return await send(this.#session.token);
    } catch (error) {
      if (error.status !== 401) throw error;
      await this.signIn();
      return send(this.#session.token);
    }
  }

  /** GET `path` with `query`'s set values; `signal` aborts it (it then fails as offline). */
  get(path, query, signal) {
    const params = new URLSearchParams(Object.entries(query || {}).filter(([, v]) => v != null && v !== ''));
    const qs = params.toString();
    return this.call('GET', qs ? `${path}?${qs}` : path, undefined, undefined, signal);
  }

  async #fetch(method, path, body, key, token, signal) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    if (key) headers['Idempotency-Key'] = key;
    let response;
    try {
      response = await fetch(`${this.#origin}/api/v1${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit', cache: 'no-store', referrerPolicy: 'strict-origin', signal,
      });
    } catch {
      throw new ApiError(0, OFFLINE);
    }
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch {
      // a proxy's HTML error page: fall through with no problem details
    }
    if (!response.ok) {
      throw new ApiError(response.status, data || { detail: `Chatter answered ${response.status}.` });
    }
    return data;
  }
}
