// metrics.test.mjs: GET /metrics through nginx, parsed by a real
// Prometheus text parser (Debian's python3-prometheus-client): the counts
// of every worker process summed whichever worker answers, moving with
// this test's own traffic; kept when a worker is replaced; reachable
// only from [metrics] allow or with [metrics] token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, SQL, ROOT, run, fresh } from './lib.mjs';

const PYTHON = '/usr/bin/python3';
const PARSE = path.join(ROOT, 'tests/e2e/promparse.py');
const TOKEN = 'scrape-token-0123456789';

let s;
let hookDir;
let open;
let closed;
let held;

// Parse a scrape with the real parser.
function parse(text) {
  const r = spawnSync(PYTHON, [PARSE], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `the Prometheus parser refused the scrape:\n${r.stderr}\n${text}`);
  return JSON.parse(r.stdout);
}

async function scrape(headers = {}) {
  const r = await s.fetch('/metrics', { headers });
  const body = await r.text();
  assert.equal(r.status, 200, body);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  return parse(body);
}

// The value of one sample (0 when the series is not there yet).
function value(m, name, labels = {}) {
  const hit = m.samples.filter(([n, l]) => n === name &&
    Object.entries(labels).every(([k, v]) => l[k] === v));
  assert.ok(hit.length <= 1, `${name} ${JSON.stringify(labels)}: ${hit.length} series`);
  return hit.length ? hit[0][2] : 0;
}

const PAGE = { route: '/articles/{id}', method: 'GET', code: '200' };

function post(article, body, extra = {}) {
  return s.fetch(`/articles/${article}/comments`, { method: 'POST',
    body: new URLSearchParams({ parent: '', body, ...extra }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

before(async () => {
  // A spam hook that thinks a moment and calls everything fine.
  hookDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-hook-'));
  fs.chmodSync(hookDir, 0o755);
  const hook = path.join(hookDir, 'hook');
  fs.writeFileSync(hook, '#!/bin/sh\ncat >/dev/null\nsleep 0.02\necho 0.1 looks fine\n');
  fs.chmodSync(hook, 0o755);
  s = await new Server({ spam: { hook, posts_per_minute: 0 }, server: { workers: 2 } }).start();
  open = Number(s.cli(['article', 'add', '--uri', '/m/open/', '--title', 'Open']).stdout);
  closed = Number(s.cli(['article', 'add', '--uri', '/m/closed/', '--title', 'Closed']).stdout);
  held = Number(s.cli(['article', 'add', '--uri', '/m/held/', '--title', 'Held']).stdout);
  assert.equal(s.cli(['article', 'set', String(closed), '--close']).status, 0);
  assert.equal(s.cli(['article', 'set', String(held), '--mode', 'pre']).status, 0);
});

after(async () => {
  await s.stop();
  fs.rmSync(hookDir, { recursive: true, force: true });
});

test('a scrape parses, with every family typed as Prometheus expects', async () => {
  const m = await scrape();
  const want = {
    palaver_http_requests: 'counter',
    palaver_http_request_duration_seconds: 'histogram',
    palaver_posts: 'counter',
    palaver_posts_refused: 'counter',
    palaver_hook_calls: 'counter',
    palaver_hook_failures: 'counter',
    palaver_hook_duration_seconds: 'histogram',
    palaver_writer_batch_jobs: 'histogram',
    palaver_cache_hits: 'counter',
    palaver_cache_misses: 'counter',
    palaver_worker_restarts: 'counter',
    palaver_webhook_deliveries: 'counter',
    palaver_start_time_seconds: 'gauge',
    palaver_comments: 'gauge',
    palaver_database_bytes: 'gauge',
  };
  for (const [name, type] of Object.entries(want)) assert.equal(m.families[name], type, name);
  assert.equal(value(m, 'palaver_database_bytes'), s.sql(SQL.dbBytes)[0].b);
  assert.ok(Math.abs(value(m, 'palaver_start_time_seconds') - Date.now() / 1000) < 300);
  assert.equal(value(m, 'palaver_worker_restarts_total'), 0);
});

test('counters move with this test\'s traffic, the same whichever worker answers', async () => {
  const m0 = await scrape();
  // Posts: three published, one held (pre-moderated article), one on a
  // closed article, one with an empty body.
  for (let i = 0; i < 3; i++) assert.equal((await post(open, `published ${i}`)).status, 303);
  assert.equal((await post(held, 'held for a moderator')).status, 303);
  assert.equal((await post(closed, 'too late')).status, 403);
  assert.equal((await post(open, '   ')).status, 422);
  // Reads: twenty of one page, after the posts moved its version.
  // Each past nginx's microcache (fresh), so each reaches palaver.
  for (let i = 0; i < 20; i++) assert.equal((await s.get(fresh(`/articles/${open}`))).status, 200);

  // Scrape again and again: a scrape lands on either worker, and each
  // must see the sum of both.
  const seen = [];
  for (let i = 0; i < 8; i++) seen.push(await scrape());
  const d = (m, name, labels) => value(m, name, labels) - value(m0, name, labels);
  for (const m of seen) {
    assert.equal(d(m, 'palaver_http_requests_total', PAGE), 20);
    assert.equal(d(m, 'palaver_http_requests_total', { route: '/articles/{id}/comments', method: 'POST',
      code: '303' }), 4);
    assert.equal(d(m, 'palaver_posts_total', { outcome: 'accepted' }), 3);
    assert.equal(d(m, 'palaver_posts_total', { outcome: 'held' }), 1);
    assert.equal(d(m, 'palaver_posts_total', { outcome: 'spam' }), 0);
    assert.equal(d(m, 'palaver_posts_refused_total', { reason: 'closed' }), 1);
    assert.equal(d(m, 'palaver_posts_refused_total', { reason: 'field' }), 1);
    // Refused posts never reach the hook.
    assert.equal(d(m, 'palaver_hook_calls_total', { kind: 'check', outcome: 'ok' }), 4);
    assert.equal(d(m, 'palaver_hook_failures_total', { kind: 'check' }), 0);
    assert.equal(d(m, 'palaver_hook_duration_seconds_count', { kind: 'check' }), 4);
    assert.ok(d(m, 'palaver_hook_duration_seconds_sum', { kind: 'check' }) >= 4 * 0.02);
    // Each read is a hit or a miss; a worker misses a version once.
    const hits = d(m, 'palaver_cache_hits_total');
    const misses = d(m, 'palaver_cache_misses_total');
    assert.equal(hits + misses, 20);
    assert.ok(misses >= 1 && misses <= 2, `misses ${misses}`);
    // Every post's write went through a group commit.
    assert.ok(d(m, 'palaver_writer_batch_jobs_sum') >= 4);
    assert.ok(d(m, 'palaver_writer_batch_jobs_count') >= 1);
    // The latency histogram of the page: cumulative, +Inf is the count.
    const lab = { route: '/articles/{id}', method: 'GET' };
    assert.equal(d(m, 'palaver_http_request_duration_seconds_count', lab), 20);
    const buckets = m.samples.filter(([n, l]) => n === 'palaver_http_request_duration_seconds_bucket' &&
      l.route === lab.route && l.method === 'GET');
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i][2] >= buckets[i - 1][2]);
    assert.equal(buckets.at(-1)[1].le, '+Inf');
    assert.equal(buckets.at(-1)[2], value(m, 'palaver_http_request_duration_seconds_count', lab));
    assert.ok(value(m, 'palaver_http_request_duration_seconds_sum', lab) > 0);
  }
  // The comments, from the database.
  const m = seen.at(-1);
  const counts = Object.fromEntries(s.sql('SELECT status, count(*) AS n FROM comments GROUP BY status')
    .map((r) => [r.status, r.n]));
  for (const st of ['pending', 'approved', 'spam', 'deleted']) {
    assert.equal(value(m, 'palaver_comments', { status: st }), counts[st] || 0, st);
  }
  // The scrapes themselves are counted too.
  assert.ok(value(m, 'palaver_http_requests_total', { route: '/metrics', method: 'GET', code: '200' }) >= 9);
});

test('a worker that dies is replaced, and the counts it made are kept', async () => {
  const m0 = await scrape();
  const before = value(m0, 'palaver_http_requests_total', PAGE);
  assert.ok(before >= 20);
  const [victim] = s.workers();
  process.kill(victim, 'SIGKILL');
  for (let i = 0; i < 100 && (s.workers().includes(victim) || s.workers().length < 2); i++) await sleep(50);
  assert.equal(s.workers().length, 2);
  await sleep(200);
  for (let i = 0; i < 4; i++) {
    const m = await scrape();
    assert.equal(value(m, 'palaver_worker_restarts_total'), 1);
    assert.equal(value(m, 'palaver_http_requests_total', PAGE), before);
  }
  // The log says the worker died: that is expected here, not a failure.
  assert.match(s.log(), /died of signal 9; replacing it/);
});

test('only from [metrics] allow, or with the bearer token', async () => {
  // The default: loopback.  This test talks from 127.0.0.1.
  assert.equal((await s.fetch('/metrics')).status, 200);
  await s.reconfigure({ metrics: { allow: '192.0.2.0/24' } });
  let r = await s.fetch('/metrics');
  assert.equal(r.status, 403);
  assert.doesNotMatch(await r.text(), /palaver_/);
  r = await s.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 403, 'no token configured: none taken');

  await s.reconfigure({ metrics: { allow: '192.0.2.0/24 2001:db8::/32', token: TOKEN } });
  r = await s.fetch('/metrics');
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="palaver metrics"');
  for (const bad of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
    r = await s.fetch('/metrics', { headers: { authorization: bad } });
    assert.equal(r.status, 401, bad);
    assert.doesNotMatch(await r.text(), /palaver_http/);
  }
  await scrape({ authorization: `Bearer ${TOKEN}` });
  await scrape({ authorization: `bearer ${TOKEN}` });

  // A network that holds the address.
  await s.reconfigure({ metrics: { allow: '10.0.0.0/8, 127.0.0.0/8', token: '' } });
  await scrape();
  // A bad list stops palaver at start-up, naming the key.
  const bad = path.join(s.dir, 'bad-metrics.conf');
  fs.writeFileSync(bad, `[database]\npath = ${s.db}\n[metrics]\nallow = 127.0.0.1/40\n`);
  fs.chmodSync(bad, 0o644);
  const c = run(['-c', bad, 'article', 'list']);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /\[metrics\] allow/);
});
