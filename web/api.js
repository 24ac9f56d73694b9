// api.js — talking to the isms JSON API: the session (user and CSRF token, kept in memory
// only), the type description from /api/v1/meta, and typed errors.

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || (status ? `The server answered ${status}.` : 'The server could not be reached.'));
    this.name = 'ApiError';
    this.status = status;
    this.code = e.code || (status ? 'http_' + status : 'network');
    this.field = e.field || null;
  }
}

export const session = {
  user: null,
  csrf: null,
  meta: null,
  types: [],
  byPlural: new Map(),
};

// Called when the server says we are no longer signed in (set by app.js).
let onSignedOut = () => {};
export function setSignedOutHandler(fn) { onSignedOut = fn; }

function setSession(data) {
  session.user = data.user;
  session.csrf = data.csrf_token;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// api('GET', 'assets', {query: {q: 'x'}}) -> parsed JSON. Throws ApiError.
// file: a File sent as the raw body, named by the X-Filename header (uploads).
export async function api(method, path, {body, version, signal, params, retried, file} = {}) {
  const headers = {Accept: 'application/json'};
  if (file) {
    headers['Content-Type'] = file.type || 'application/octet-stream';
    headers['X-Filename'] = encodeURIComponent(file.name);
  } else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (version !== undefined && version !== null) headers['If-Match'] = `"${version}"`;
  const url = '/api/v1/' + path + query(params);
  let res;
  try {
    res = await fetch(url, {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: file || (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {error: {code: 'network',
      message: 'The server could not be reached. Check the connection and try again.'}});
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch (e) {
    if (e.name === 'AbortError') throw e; // the page moved on while the body arrived
    data = null;
  }
  if (res.ok) return data;
  const err = new ApiError(res.status, data);
  // The CSRF token can go stale (a new session in another tab): fetch it again, retry once.
  if (err.code === 'csrf' && !retried) {
    try {
      setSession(await api('GET', 'session'));
      return api(method, path, {body, version, signal, params, retried: true, file});
    } catch { /* fall through to the original error */ }
  }
  if (res.status === 401 && !path.startsWith('session')) onSignedOut('Your session has ended. Sign in again to continue.');
  throw err;
}

export async function loadSession() {
  try {
    setSession(await api('GET', 'session'));
    return session.user;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(username, password) {
  setSession(await api('POST', 'session', {body: {username, password}}));
  return session.user;
}

export async function signOut() {
  try { await api('DELETE', 'session'); } finally { forget(); }
}

export function forget() {
  session.user = null;
  session.csrf = null;
  session.meta = null;
  session.types = [];
  session.byPlural = new Map();
}

export async function changePassword(current, next) {
  await api('POST', 'session/password', {body: {current_password: current, new_password: next}});
  session.user = {...session.user, must_change_password: false};
  // The server may rotate the session; pick up the current token.
  try { setSession(await api('GET', 'session')); } catch { /* keep the old one */ }
}

export async function loadMeta() {
  const meta = await api('GET', 'meta');
  session.meta = meta;
  session.types = meta.types;
  session.byPlural = new Map(meta.types.map((t) => [t.plural, t]));
  return meta;
}

export function typeOf(plural) { return session.byPlural.get(plural) || null; }

export function field(type, name) { return type.fields.find((f) => f.name === name) || null; }

// The display title of a record of `type`.
export function titleOf(type, rec) {
  if (!rec) return '';
  const v = rec[type.title_field];
  if (v === null || v === undefined || v === '') return `${type.label} #${rec.id}`;
  return String(v);
}

// Title of a referenced record, from a response's refs.
export function refTitle(refs, plural, id) {
  const t = refs && refs[plural] && refs[plural][String(id)];
  return t === undefined || t === null ? `#${id}` : String(t);
}

// Every page of a list (for the context page), up to `max` records.
export async function listAll(plural, params = {}, {signal, max = 2000} = {}) {
  const items = [];
  const refs = {};
  let total = 0;
  for (let offset = 0; offset < max;) {
    const page = await api('GET', plural, {params: {...params, limit: 500, offset}, signal});
    items.push(...page.items);
    for (const [p, m] of Object.entries(page.refs || {})) refs[p] = {...(refs[p] || {}), ...m};
    total = page.total;
    offset += page.items.length;
    if (!page.items.length || offset >= total) break;
  }
  return {items, refs, total};
}
