// router.js — hash addresses: parsing, matching against the route table (routes.js),
// building, navigating, and one-shot flash messages.
import {banner} from './dom.js';

let handler = () => {};
export function setRouteHandler(fn) { handler = fn; }

// '#/t/assets?kind=hardware' -> {path: '/t/assets', parts: ['t', 'assets'], query}
export function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  const path = i < 0 ? raw : raw.slice(0, i);
  const qs = i < 0 ? '' : raw.slice(i + 1);
  const parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return {path, parts, query: new URLSearchParams(qs)};
}

// What a ':name' segment of a pattern accepts: ':id' whole numbers, any other one segment.
const PARAMS = {id: /^\d+$/};

// The first route whose pattern ('/t/:type/:id') fits the address's parts, with the values
// of its parameters ({type: 'assets', id: '3'}), or null.
export function matchRoute(routes, parts) {
  for (const route of routes) {
    const params = matchPattern(route.pattern, parts);
    if (params) return {route, params};
  }
  return null;
}

function matchPattern(pattern, parts) {
  const segs = pattern.split('/').filter(Boolean);
  if (segs.length !== parts.length) return null;
  const params = {};
  for (const [i, seg] of segs.entries()) {
    if (!seg.startsWith(':')) {
      if (seg !== parts[i]) return null;
      continue;
    }
    const name = seg.slice(1);
    if (PARAMS[name] && !PARAMS[name].test(parts[i])) return null;
    params[name] = parts[i];
  }
  return params;
}

// A pattern with its parameters filled in: ('/t/:type', {type: 'risks'}) -> '/t/risks'.
export function fillPattern(pattern, params) {
  return pattern.replace(/:(\w+)/g, (m, name) => params[name] ?? m);
}

export function hashFor(path, params) {
  const q = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params || {});
  for (const [k, v] of entries)
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  const s = q.toString();
  return '#' + path + (s ? '?' + s : '');
}

export function go(hash, {replace = false} = {}) {
  if (location.hash === hash) { handler(); return; }
  if (replace) location.replace(hash);
  else location.hash = hash;
}

// A message shown once, at the top of the next page (e.g. "Asset created.").
let flash = null;
export function setFlash(text, kind = 'success') { flash = {text, kind}; }
export function takeFlash() {
  const f = flash;
  flash = null;
  return f ? banner(f.text, f.kind) : null;
}
