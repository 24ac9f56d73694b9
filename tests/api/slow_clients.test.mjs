// slow_clients.test.mjs — a slowloris flood: hundreds of connections from one address that
// dribble a header line at a time. One address holds at most --max-connections-per-address
// connections, a silent connection is closed after --client-timeout seconds, and /healthz
// keeps answering other clients throughout. Bounded: well under 30 s.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { expectStatus, rawHttp, setup } from './lib.mjs';

// /healthz over a fresh connection each time: a pooled keep-alive socket may have been closed
// by the very idle timeout these tests wait out, and reusing it would fail the request.
const healthz = () => rawHttp(ctx.base, 'GET', '/healthz');

const CAP = 16;      // --max-connections-per-address for this server
const TIMEOUT = 3;   // --client-timeout (seconds)
const FLOOD = 300;   // connections the attacker opens

let ctx;
before(async () => {
  ctx = await setup({ users: {}, serverArgs: ['--max-connections-per-address', String(CAP),
    '--client-timeout', String(TIMEOUT)] });
});
after(async () => { if (ctx) await ctx.teardown(); });

// Resolves once cond() holds, checking every 50 ms; rejects after ms.
function waitFor(cond, ms, what) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error(`timed out after ${ms} ms: ${what()}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

// A slow client from localAddress: the request line, then one header line every
// `every` ms, never the blank line that ends the headers.
function dribbler(localAddress, every) {
  const sock = net.connect({ host: '127.0.0.1', port: ctx.server.port, localAddress });
  const c = { sock, closed: false, timer: null };
  sock.on('error', () => {});
  sock.on('close', () => { c.closed = true; clearInterval(c.timer); });
  sock.on('connect', () => {
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    c.timer = setInterval(() => { if (!c.closed) sock.write(`X-Slow-${n++}: y\r\n`); }, every);
  });
  return c;
}

const stopAll = (clients) => { for (const c of clients) { clearInterval(c.timer); c.sock.destroy(); } };

test(`a flood of ${FLOOD} slow connections from one address: at most ${CAP} are held, others are served`, async () => {
  const flood = Array.from({ length: FLOOD }, () => dribbler('127.0.0.2', 500));
  try {
    const open = () => flood.filter((c) => !c.closed).length;
    await waitFor(() => open() <= CAP, 15_000, () => `${open()} flood connections still open`);
    // Held connections keep dribbling within the timeout; the server still answers others.
    const other = await healthz();
    expectStatus(other, 200);
    assert.equal(other.json.status, 'ok');
    // ... and the flooding address gets its own share back once its connections go.
    assert.ok(open() > 0, 'the address keeps its share of connections');
  } finally { stopAll(flood); }
});

test(`a connection silent for more than ${TIMEOUT} s while sending its headers is closed`, async () => {
  const slow = dribbler('127.0.0.3', 60_000); // the request line, then nothing
  const steady = dribbler('127.0.0.3', 500);   // a line every half second: within the timeout
  try {
    await waitFor(() => slow.closed, (TIMEOUT + 10) * 1000, () => 'the silent connection is still open');
    assert.equal(steady.closed, false, 'a client that keeps sending is not cut off by the idle timeout');
    expectStatus(await healthz(), 200);
  } finally { stopAll([slow, steady]); }
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
