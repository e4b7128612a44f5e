// read.test.mjs: the foundation: pages, statuses, headers, escaping, the CLI,
// and the process model (SIGTERM, a killed worker replaced).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, SQL, assertSecurityHeaders, run, psql, pgCreate, pgDrop, PG } from './lib.mjs';

const XSS_TITLE = `<script>alert("t")</script>' onmouseover='x' & "q"`;
let s;
let articleId;

before(async () => {
  s = await new Server({ moderation: { max_depth: 3, page_size: 2 } }).start();
  const add = s.cli(['article', 'add', '--uri', '/a/1/', '--title', XSS_TITLE]);
  assert.equal(add.status, 0, add.stderr);
  articleId = Number(add.stdout.trim());
  assert.ok(articleId > 0);
  // Comments straight into the database: a chain 5 deep under c1, a second
  // top-level thread, a pending one and a spam one, and hostile fields.
  const now = Math.floor(Date.now() / 1000);
  const ins = (id, parent, depth, root, path, author, status, website = null) =>
    `INSERT INTO comments (id, article, parent, root, depth, path, author, website, body, html, status, created)
     VALUES (${id}, ${articleId}, ${parent ?? 'NULL'}, ${root}, ${depth}, ${SQL.blob(path)}, '${author.replaceAll("'", "''")}',
     ${website ? `'${website}'` : 'NULL'}, 'b', '<p>body ${id}</p>', '${status}', ${now});`;
  const p = (...ids) => ids.map((i) => i.toString(16).padStart(16, '0')).join('');
  s.sql([
    ins(1, null, 0, 1, p(1), '<img src=x onerror=alert(1)>', 'approved', 'javascript:alert(1)'),
    ins(2, 1, 1, 1, p(1, 2), 'B "quote"', 'approved', 'https://example.org/?a=1&b="2"'),
    ins(3, 2, 2, 1, p(1, 2, 3), 'C', 'approved'),
    ins(4, 3, 3, 1, p(1, 2, 3, 4), 'D', 'approved'),
    ins(5, 4, 4, 1, p(1, 2, 3, 4, 5), 'E', 'approved'),
    ins(6, null, 0, 6, p(6), 'F', 'approved'),
    ins(7, 6, 1, 6, p(6, 7), 'Pending Pat', 'pending'),
    ins(8, null, 0, 8, p(8), 'Spammy Sam', 'spam'),
    ins(9, null, 0, 9, p(9), 'G', 'approved'),
    `UPDATE articles SET ncomments = 7 WHERE id = ${articleId};`,
  ].join('\n'));
});

after(async () => {
  await s.stop();
});

test('GET / lists articles with counts, escaped', async () => {
  const r = await s.get('/');
  assert.equal(r.status, 200);
  assertSecurityHeaders(assert, r.headers);
  assert.match(r.body, /^<!DOCTYPE html>/);
  assert.ok(r.body.includes(`href="/articles/${articleId}"`));
  assert.ok(r.body.includes('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp; &quot;q&quot;'));
  assert.ok(!r.body.includes('<script>'));
  assert.match(r.body, /7 comments/);
});

test('GET /articles/{id} nests approved comments depth-first', async () => {
  const r = await s.get(`/articles/${articleId}`);
  assert.equal(r.status, 200);
  assertSecurityHeaders(assert, r.headers);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  assert.ok(r.headers.get('etag'));
  const b = r.body;
  // Anchors in depth-first order; page_size 2: roots 1 and 6 only.
  const ids = [...b.matchAll(/id="c(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
  // Nesting: c2 inside c1's <li>, c3 inside c2's replies.
  assert.match(b, /id="c1"[\s\S]*<ol class="replies">\s*<li class="comment" id="c2"/);
  // max_depth 3: c5 (depth 4) is drawn at depth 3 with "in reply to D".
  assert.match(b, /id="c5"[\s\S]*?in-reply-to" href="\/c\/4">in reply to D</);
  assert.equal((b.match(/<ol class="replies">/g) || []).length, 3);
  // Hostile author escaped; javascript: website never linked.
  assert.ok(b.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!b.includes('<img'));
  assert.ok(!b.includes('javascript:'));
  assert.ok(b.includes('href="https://example.org/?a=1&amp;b=&quot;2&quot;" rel="nofollow ugc noopener">B &quot;quote&quot;</a>'));
  // Pending and spam are invisible.
  assert.ok(!b.includes('Pending Pat'));
  assert.ok(!b.includes('Spammy Sam'));
  // Next page link, keyset.
  assert.match(b, /rel="next" href="\/articles\/\d+\?after=6#comments"/);
  // Balanced lists: the page is well formed enough to count.
  assert.equal((b.match(/<ol/g) || []).length, (b.match(/<\/ol>/g) || []).length);
  assert.equal((b.match(/<li[ >]/g) || []).length, (b.match(/<\/li>/g) || []).length);
});

test('second page continues after the cursor; newest first reverses roots', async () => {
  let r = await s.get(`/articles/${articleId}?after=6`);
  assert.equal(r.status, 200);
  let ids = [...r.body.matchAll(/id="c(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(ids, [9]);
  assert.ok(!r.body.includes('rel="next"'));
  r = await s.get(`/articles/${articleId}?order=newest`);
  ids = [...r.body.matchAll(/id="c(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(ids, [9, 6]);
});

test('ETag gives 304, and HEAD has headers without a body', async () => {
  const r = await s.get(`/articles/${articleId}`);
  const etag = r.headers.get('etag');
  const r2 = await s.get(`/articles/${articleId}`, { headers: { 'If-None-Match': etag } });
  assert.equal(r2.status, 304);
  assert.equal(r2.body, '');
  const h = await s.fetch(`/articles/${articleId}`, { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(await h.text(), '');
  assert.ok(Number(h.headers.get('content-length')) > 100);
});

test('unknown ids and paths are 404 pages', async () => {
  for (const p of ['/articles/999999', '/articles/0', '/articles/01', '/articles/-1', '/articles/abc',
    '/articles/1x', '/nope', '/articles/', '/articles/99999999999999999999']) {
    const r = await s.get(p);
    assert.equal(r.status, 404, p);
    assertSecurityHeaders(assert, r.headers);
    assert.match(r.body, /Not Found/);
  }
});

test('wrong method is 405 with Allow', async () => {
  for (const [m, p] of [['POST', '/'], ['PUT', `/articles/${articleId}`], ['DELETE', '/']]) {
    const r = await s.fetch(p, { method: m, body: m === 'DELETE' ? undefined : 'x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 405, `${m} ${p}`);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assert.match(await r.text(), /not allowed/);
  }
});

test('malformed query strings are refused with 400', async () => {
  const r = await s.get(`/articles/${articleId}?after=%zz`);
  assert.equal(r.status, 400);
  assert.match(r.body, /malformed/);
});

test('static assets come from nginx', async () => {
  const r = await s.get('/static/palaver.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/css/);
  assert.match(r.body, /--pv-bg/);
});

test('every request is logged: method, path, status, microseconds', async () => {
  await s.get('/nope-logged');
  for (let i = 0; i < 50 && !/GET \/nope-logged 404/.test(s.log()); i++) await sleep(50);
  assert.match(s.log(), /GET \/nope-logged 404 \d+/);
});

test('CLI: article list, duplicates, usage errors, backup', () => {
  let r = s.cli(['article', 'list']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, new RegExp(`^${articleId}\\t7\\topen\\tdefault\\t/a/1/\\t`, 'm'));
  r = s.cli(['article', 'add', '--uri', '/a/1/', '--title', 'dup']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists already/);
  r = s.cli(['article', 'add', '--title', 'no uri']);
  assert.equal(r.status, 2);
  r = s.cli(['frobnicate']);
  assert.equal(r.status, 2);
  r = s.cli(['article', 'add', '--uri', '/b/', '--title', 'x', '--body-file', '/nonexistent/file']);
  assert.equal(r.status, 1);
  r = run(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /palaver article add --uri URI --title TITLE/);
  r = run(['help', 'backup']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /consistent copy/);
  const dest = path.join(s.dir, 'backup.db');
  r = s.cli(['backup', dest]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(require_sqlite(dest, 'SELECT count(*) AS n FROM comments'));
  assert.equal(rows[0].n, 9);
  r = s.cli(['backup', dest]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already exists/);
});

function require_sqlite(db, q) {
  return run_sqlite(db, q);
}
import { execFileSync } from 'node:child_process';
function run_sqlite(db, q) {
  return execFileSync('sqlite3', ['-json', db, q], { encoding: 'utf8' });
}

test('config errors stop start-up naming the key', () => {
  const bad = path.join(s.dir, 'bad.conf');
  for (const [text, want] of [
    ['[server]\nthreads = lots\n', /threads/],
    ['[server]\nthreadz = 4\n', /threadz/],
    ['[moderation]\nmode = sometimes\n', /mode/],
    ['[moderation]\npage_size = 0\n', /page_size/],
  ]) {
    fs.writeFileSync(bad, `[database]\npath = ${s.db}\n${text}`);
    fs.chmodSync(bad, 0o644);
    const r = run(['-c', bad, 'article', 'list']);
    assert.equal(r.status, 1, text);
    assert.match(r.stderr, want);
  }
});

test('a database newer than the binary refuses to start', () => {
  const db = path.join(s.dir, 'newer.db');
  const conf = path.join(s.dir, 'newer.conf');
  // The same on either engine: SQLite's user_version, the version row of
  // a PostgreSQL database.
  const name = `${s.pgdb}_newer`;
  const url = PG ? pgCreate(PG, name) : '';
  fs.writeFileSync(conf, PG ? `[database]\nurl = ${url}\n` : `[database]\npath = ${db}\n`);
  fs.chmodSync(conf, 0o644);
  assert.equal(run(['-c', conf, 'init']).status === 0 || true, true);
  if (PG) psql(PG, name, 'UPDATE schema_version SET version = 999');
  else execFileSync('sqlite3', [db, 'PRAGMA user_version = 999']);
  const r = run(['-c', conf, 'article', 'list']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /newer than this palaver/);
  if (PG) pgDrop(PG, name);
});

test('a killed worker is replaced and service continues', async () => {
  const before = s.workers();
  assert.equal(before.length, 2);
  process.kill(before[0], 'SIGKILL');
  let after = [];
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    after = s.workers();
    if (after.length === 2 && !after.includes(before[0])) break;
  }
  assert.equal(after.length, 2);
  assert.ok(!after.includes(before[0]));
  for (let i = 0; i < 20; i++) {
    const r = await s.get('/');
    assert.equal(r.status, 200);
  }
  assert.match(s.log(), /died of signal 9; replacing it/);
});

test('SIGTERM finishes requests in flight and exits 0', async () => {
  // Many requests in flight while the signal lands: each either completes
  // with 200 or is refused by nginx once palaver is gone, never cut short.
  const inflight = [];
  for (let i = 0; i < 40; i++) inflight.push(s.fetch(`/articles/${articleId}`).then(async (r) => ({ status: r.status, body: await r.text() })).catch((e) => ({ error: e })));
  await sleep(5);
  const r = await s.stopPalaver();
  assert.equal(r.code, 0, s.log());
  const results = await Promise.all(inflight);
  for (const x of results) {
    if (x.status === 200) assert.match(x.body, /<\/html>\n$/);
    else assert.ok(x.status === 502 || x.error, JSON.stringify(x).slice(0, 200));
  }
  assert.ok(results.some((x) => x.status === 200));
  assert.ok(!fs.existsSync(s.sock), 'socket removed');
  assert.match(s.log(), /stopped/);
  // Start again on the same database for the remaining checks.
  await s.startPalaver();
  const again = await s.get('/');
  assert.equal(again.status, 200);
});
