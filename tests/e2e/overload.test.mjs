// overload.test.mjs: more than palaver can take at once.  400 connections
// on one article while a reader polls; palaver stalled while requests pile
// up; one address asking too much.  Readers get 200, or 503 (overload) or
// 429 (their address) with Retry-After; never a 502, and palaver's listen
// queue never overflows.  The limits are conf/dev/nginx.conf.in's, the
// same as conf/nginx.conf's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ROOT } from './lib.mjs';

// conf/dev/nginx.conf.in: requests at palaver at once (max_conns), and
// what one address may have in progress and send in a burst.
const MAX_CONNS = 1024;
const ADDR_CONNS = 64;
const READ_BURST = 100;
const POST_BURST = 30;
const LOGIN_BURST = 5;

let s;
let art;

before(async () => {
  s = await new Server().start();
  art = Number(s.cli(['article', 'add', '--uri', '/o/1/', '--title', 'Busy']).stdout);
  assert.ok(art > 0);
});
after(async () => {
  resume();
  await s.stop();
});

// One request from a given local address (loopback answers on all of
// 127/8; nginx exempts only 127.0.0.1 from the per-address limits).
function req(from, p, { method = 'GET', body = null, headers = {} } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const r = http.request({ host: '127.0.0.1', port: s.port, path: p, method, localAddress: from,
      agent: false, timeout: 20000, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text, ms: Date.now() - t0 }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ status: 0, error: e.message, ms: Date.now() - t0 }));
    if (body !== null) r.write(body);
    r.end();
  });
}

function tally(rs) {
  const t = {};
  for (const r of rs) t[r.status] = (t[r.status] || 0) + 1;
  return t;
}

// nginx's own refusals: the status, a Retry-After and a sentence.
function assertRefusal(r, status, retryAfter, words) {
  assert.equal(r.status, status, JSON.stringify(r).slice(0, 300));
  assert.equal(r.headers['retry-after'], retryAfter);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.match(r.headers['content-type'], /^text\/plain; charset=utf-8/);
  assert.match(r.body, words);
}

// palaver (supervisor and workers) stopped and resumed: requests wait in
// its listen queue meanwhile, as when every thread is busy.
let stopped = [];
function pause() {
  stopped = [s.proc.pid, ...s.workers()];
  for (const pid of stopped) process.kill(pid, 'SIGSTOP');
}
function resume() {
  for (const pid of stopped) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
  stopped = [];
}

// Wait until n of the promises have settled.
async function settled(promises, n, ms = 10000) {
  let done = 0;
  for (const p of promises) p.then(() => { done++; });
  const t0 = Date.now();
  while (done < n && Date.now() - t0 < ms) await sleep(20);
  return done;
}

function nginxErrors() {
  try { return fs.readFileSync(path.join(s.dir, 'nginx-error.log'), 'utf8'); } catch { return ''; }
}

test('the listen queue is net.core.somaxconn, at most 4096, and [server] backlog when set', async () => {
  const queue = () => {
    const out = spawnSync('ss', ['-xlnH'], { encoding: 'utf8' }).stdout;
    const line = out.split('\n').find((l) => l.includes(` ${s.sock} `));
    assert.ok(line, `no listening socket ${s.sock} in:\n${out}`);
    return Number(line.trim().split(/\s+/)[3]);	// Send-Q: the queue's limit
  };
  const somax = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  assert.equal(queue(), Math.min(somax, 4096));
  assert.ok(queue() > MAX_CONNS, 'nginx may pass more requests than the queue holds');
  await s.reconfigure({ server: { backlog: 300 } });
  assert.equal(queue(), Math.min(somax, 300));
  assert.match(s.log(), /a queue of 300\b/);
  await s.reconfigure({ server: { backlog: 0 } });
  assert.equal(queue(), Math.min(somax, 4096));
});

// wrk counts answers by status in each thread and prints the sums, and
// how many 503s came without Retry-After.
const WRK_LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} bare = 0 end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil then bare = bare + 1 end
end
function done(summary, latency, requests)
  local total, bare = {}, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
    bare = bare + t:get("bare")
  end
  for k, v in pairs(total) do io.write(string.format("STATUS %d %d\\n", k, v)) end
  io.write(string.format("BARE503 %d\\n", bare))
end
`;

function wrk(args) {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, out }));
  });
}

test('400 connections on one article: a reader gets 200 or 503 with Retry-After, never 502', async () => {
  const lua = path.join(s.dir, 'count.lua');
  fs.writeFileSync(lua, WRK_LUA);
  const page = `/articles/${art}`;
  assert.equal((await req('127.0.0.2', page)).status, 200);
  const burst = wrk(['-t2', '-c400', '-d3s', '--timeout', '10s', '-s', lua, s.base + page]);
  await sleep(300);
  const seen = [];
  const t0 = Date.now();
  while (Date.now() - t0 < 2400) {
    seen.push(await req('127.0.0.2', page));
    await sleep(100);
  }
  const w = await burst;
  assert.equal(w.code, 0, w.out);
  const counts = {};
  for (const m of w.out.matchAll(/^STATUS (\d+) (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  const ms = seen.map((r) => r.ms).sort((a, b) => a - b);
  console.log(`burst ${JSON.stringify(counts)}; reader ${JSON.stringify(tally(seen))},`,
    `median ${ms[ms.length >> 1]} ms, slowest ${ms[ms.length - 1]} ms`);
  assert.ok(seen.length >= 3, `only ${seen.length} answers for the reader`);
  for (const r of seen) {
    if (r.status === 503) assertRefusal(r, 503, '5', /busy/);
    else assert.equal(r.status, 200, JSON.stringify(r).slice(0, 300));
  }
  assert.ok(seen.some((r) => r.status === 200), 'the reader got no page at all');
  for (const code of Object.keys(counts)) assert.ok(code === '200' || code === '503', w.out);
  assert.ok(counts['200'] > 400, w.out);
  assert.match(w.out, /^BARE503 0$/m);
  assert.doesNotMatch(nginxErrors(), /Resource temporarily unavailable|upstream timed out/);
});

// Wait until palaver has no queue: nothing left over from an earlier
// burst holds a place at it.
async function idle() {
  for (let fast = 0, i = 0; fast < 3 && i < 100; i++) {
    const r = await req('127.0.0.1', `/articles/${art}`);
    fast = r.status === 200 && r.ms < 100 ? fast + 1 : 0;
    await sleep(50);
  }
}

test('palaver stalled: the first max_conns requests wait for it, the rest get 503 at once', async () => {
  const extra = 60;
  const page = `/articles/${art}`;
  await idle();
  pause();
  let rs;
  try {
    const all = Array.from({ length: MAX_CONNS + extra }, () => req('127.0.0.1', page));
    // The refused answer at once; the others wait in palaver's queue.
    const done = await settled(all, extra);
    assert.equal(done, extra);
    await sleep(300);
    resume();
    rs = await Promise.all(all);
  } finally {
    resume();
  }
  const t = tally(rs);
  console.log(`stalled: ${JSON.stringify(t)}`);
  assert.deepEqual(Object.keys(t).sort(), ['200', '503']);
  assert.equal(t['503'], extra);
  for (const r of rs) {
    if (r.status === 503) {
      assertRefusal(r, 503, '5', /busy/);
      assert.ok(r.ms < 2000, `a refusal took ${r.ms} ms`);
    } else assert.match(r.body, /<\/html>\n$/);
  }
  assert.doesNotMatch(nginxErrors(), /Resource temporarily unavailable/);
});

// A limit_req zone lets burst + 1 requests through at once and then one
// every 1/rate seconds: what may pass in `ms`, with one for rounding.
const allowed = (burst, perSec, ms) => burst + 1 + Math.ceil(perSec * ms / 1000) + 1;

test('one address asking too much gets 429 with Retry-After; 127.0.0.1 is exempt', async () => {
  const page = `/articles/${art}`;
  // Reads: a burst, then 20 a second.
  const burst = async (from, n) => {
    const rs = [];
    const t0 = Date.now();
    for (let i = 0; i < n; i += 20) rs.push(...await Promise.all(Array.from({ length: 20 }, () => req(from, page))));
    return { rs, ms: Date.now() - t0 };
  };
  const reads = await burst('127.0.0.3', 2 * READ_BURST);
  const rt = JSON.stringify(tally(reads.rs));
  const ok = reads.rs.filter((r) => r.status === 200).length;
  assert.ok(reads.rs.every((r) => r.status === 200 || r.status === 429), rt);
  assert.ok(ok > READ_BURST && ok <= allowed(READ_BURST, 20, reads.ms), `${rt} in ${reads.ms} ms`);
  assertRefusal(reads.rs.find((r) => r.status === 429), 429, '10', /Too many requests/);
  const exempt = await burst('127.0.0.1', 2 * READ_BURST);
  assert.deepEqual(tally(exempt.rs), { 200: 2 * READ_BURST });

  // Posts: palaver's own limit (posts_per_minute: its 429 is a page that
  // keeps the text) first, nginx's past the burst (plain text).
  const form = { method: 'POST', body: 'body=flood', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  const posts = [];
  let t0 = Date.now();
  for (let i = 0; i < POST_BURST + 15; i++) posts.push(await req('127.0.0.4', `/articles/${art}/comments`, form));
  const postMs = Date.now() - t0;
  const byNginx = posts.filter((r) => r.status === 429 && /^text\/plain/.test(r.headers['content-type']));
  const pt = `${JSON.stringify(tally(posts))}, ${byNginx.length} by nginx, in ${postMs} ms`;
  assert.ok(posts.slice(0, POST_BURST + 1).every((r) => !byNginx.includes(r)), pt);
  assert.ok(posts.slice(0, POST_BURST).some((r) => r.status === 303), pt);
  assert.ok(byNginx.length > 0 && posts.length - byNginx.length <= allowed(POST_BURST, 1, postMs), pt);
  for (const r of byNginx) assertRefusal(r, 429, '10', /Too many requests/);

  // Login attempts: a few, then one every ten seconds.
  const logins = [];
  const login = { method: 'POST', body: 'name=admin&password=x&csrf=x', headers: form.headers };
  t0 = Date.now();
  for (let i = 0; i < LOGIN_BURST + 4; i++) logins.push(await req('127.0.0.5', '/mod/login', login));
  const lt = `${JSON.stringify(logins.map((r) => r.status))} in ${Date.now() - t0} ms`;
  assert.ok(logins.slice(0, LOGIN_BURST + 1).every((r) => r.status !== 429), lt);
  if (Date.now() - t0 < 9000) assert.ok(logins.slice(LOGIN_BURST + 1).every((r) => r.status === 429), lt);
  // The login form itself is a read.
  assert.equal((await req('127.0.0.5', '/mod/login')).status, 200);
});

test('one address holds at most 64 requests in progress', async () => {
  const page = `/articles/${art}`;
  await idle();
  pause();
  let rs;
  try {
    const all = Array.from({ length: ADDR_CONNS + 16 }, () => req('127.0.0.6', page));
    assert.equal(await settled(all, 16), 16);
    await sleep(200);
    resume();
    rs = await Promise.all(all);
  } finally {
    resume();
  }
  assert.deepEqual(tally(rs), { 200: ADDR_CONNS, 429: 16 });
  assertRefusal(rs.find((r) => r.status === 429), 429, '10', /Too many requests/);
});

test('conf/nginx.conf has the limits the tests run with', () => {
  const LIMITS = /^\s*(limit_\w+|client_header_timeout|client_body_timeout|send_timeout|keepalive_\w+|reset_timedout_connection|fastcgi_next_upstream|error_page|zone|server unix:|if \(\$upstream_addr|return (429|502|503)|add_header Retry-After)\b/;
  const limits = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
    .map((l) => l.replace(/#.*/, '').trim().replace(/unix:\S+/, 'unix:SOCKET'))
    .filter((l) => LIMITS.test(l)).sort();
  const dev = limits('conf/dev/nginx.conf.in');
  assert.ok(dev.some((l) => l.includes(`max_conns=${MAX_CONNS}`)), dev.join('\n'));
  assert.ok(dev.includes(`limit_conn palaver_addr ${ADDR_CONNS};`), dev.join('\n'));
  assert.deepEqual(limits('conf/nginx.conf'), dev);
});
