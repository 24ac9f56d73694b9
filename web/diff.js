// diff.js — a line-based diff of two texts: the longest common subsequence of their lines,
// after setting aside the lines both share at the start and the end. No DOM: it runs in the
// browser and under node for its tests.

// Above this many cells (lines × lines in the part that differs) the table would take too
// much memory; the differing part is then shown as removed and added as a whole.
const MAX_CELLS = 4_000_000;

export function splitLines(text) {
  const s = String(text ?? '').replace(/\r\n?/g, '\n');
  if (s === '') return [];
  return (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
}

// diffLines('a\nb', 'a\nc') -> [{op: ' ', text: 'a', a: 1, b: 1}, {op: '-', text: 'b', a: 2},
// {op: '+', text: 'c', b: 2}]: ' ' unchanged, '-' only in the old text, '+' only in the new;
// a and b are 1-based line numbers in the old and new text.
export function diffLines(oldText, newText) {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }

  const out = [];
  for (let i = 0; i < start; i++) out.push({op: ' ', text: a[i], a: i + 1, b: i + 1});
  middle(a, b, start, endA, start, endB, out);
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({op: ' ', text: a[i], a: i + 1, b: j + 1});
  return out;
}

// The differing middle a[a0..a1) against b[b0..b1), by dynamic programming: len[i][j] is the
// length of the LCS of a[i..a1) and b[j..b1), walked from the top left to emit the script.
function middle(a, b, a0, a1, b0, b1, out) {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n * m > MAX_CELLS) {
    for (let i = a0; i < a1; i++) out.push({op: '-', text: a[i], a: i + 1});
    for (let j = b0; j < b1; j++) out.push({op: '+', text: b[j], b: j + 1});
    return;
  }
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = a[a0 + i] === b[b0 + j]
        ? len[(i + 1) * w + j + 1] + 1
        : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push({op: ' ', text: a[a0 + i], a: a0 + i + 1, b: b0 + j + 1});
      i++; j++;
    } else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) {
      out.push({op: '-', text: a[a0 + i], a: a0 + i + 1});
      i++;
    } else {
      out.push({op: '+', text: b[b0 + j], b: b0 + j + 1});
      j++;
    }
  }
  for (; i < n; i++) out.push({op: '-', text: a[a0 + i], a: a0 + i + 1});
  for (; j < m; j++) out.push({op: '+', text: b[b0 + j], b: b0 + j + 1});
}

// Groups a diff into hunks with `context` unchanged lines around each change; the unchanged
// runs between hunks are counted ({skip: n}) so a long document shows only what moved.
export function hunks(lines, context = 3) {
  const keep = new Array(lines.length).fill(false);
  lines.forEach((l, k) => {
    if (l.op === ' ') return;
    for (let x = Math.max(0, k - context); x <= Math.min(lines.length - 1, k + context); x++) keep[x] = true;
  });
  const out = [];
  let skipped = 0;
  lines.forEach((l, k) => {
    if (keep[k]) {
      if (skipped) out.push({skip: skipped});
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({skip: skipped});
  return out;
}
