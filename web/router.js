// router.js — hash addresses: parsing, building, navigating, and one-shot flash messages.
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
