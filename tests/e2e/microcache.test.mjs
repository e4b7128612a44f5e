// microcache.test.mjs: nginx's microcache, through conf/dev/nginx.conf.in
// (whose cache lines are conf/nginx.conf's, checked here).  Anonymous
// readers share one copy of each public read until the end of the second
// it was made in; a new comment reaches them within two seconds and its
// author at once; nothing that depends on a cookie or an author token is
// ever kept or handed to anyone else; a popular thread that changes costs
// one render; a POST is never cached.  palaver's log (one line a request)
// says what reached palaver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ROOT, PUBLIC, modLogin, inOneSecond, secondStart } from './lib.mjs';

const PW = 'a long password here';
let s;
let art;	// post-moderation: comments appear at once
let held;	// pre-moderation: a new comment waits, seen by its author only

before(async () => {
  s = await new Server({ spam: { posts_per_minute: 0 }, auth: { pwhash_mem: 8192, pwhash_ops: 1 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/mc/open/', '--title', 'Shared']).stdout);
  held = Number(s.cli(['article', 'add', '--uri', '/mc/held/', '--title', 'Held']).stdout);
  assert.equal(s.cli(['article', 'set', String(held), '--mode', 'pre']).status, 0);
  assert.equal(s.cli(['user', 'add', 'mod'], { input: `${PW}\n` }).status, 0);
});
after(async () => { await s.stop(); });

// What X-Cache-Status says when nginx had a copy: served (HIT), served
// while another request has it made anew (UPDATING), or expired, made
// anew for this request (EXPIRED); STALE when palaver failed.
const KEPT = /^(HIT|UPDATING|EXPIRED|STALE)$/;

// Requests for path (without its query) that reached palaver so far.
function served(p) {
  return s.log().split('\n').filter((l) => l.includes(` GET ${p} `)).length;
}

// palaver logs a request just after answering it: wait for n of them.
async function servedAtLeast(p, n) {
  for (let i = 0; i < 100 && served(p) < n; i++) await sleep(20);
  await sleep(100);	// and for any that should not be there
  return served(p);
}

// Into the first tenth of the next second: a copy made now lasts until
// that second ends (tests that need a HIT start here).
// A comment through the page's form: the 303, its id and the author cookie.
async function postForm(id, body, cookie) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(`/articles/${id}/comments`, { method: 'POST', body: new URLSearchParams({ body }).toString(), headers });
  await r.text();
  const loc = r.headers.get('location') || '';
  return {
    status: r.status, location: loc, id: Number((loc.match(/#c(\d+)$/) || [0, 0])[1]),
    cookie: (r.headers.get('set-cookie') || '').split(';')[0], cache: r.headers.get('x-cache-status'),
  };
}

test('an anonymous reader gets the copy nginx kept on the second request', async () => {
  const p = `/articles/${art}`;
  const { n0, a, b } = await inOneSecond(async () => {
    const n0 = served(p);
    return { n0, a: await s.get(p), b: await s.get(p) };
  });
  assert.equal(a.status, 200);
  assert.match(a.headers.get('x-cache-status'), /^(MISS|EXPIRED)$/);	// EXPIRED: a second try
  assert.equal(b.headers.get('x-cache-status'), 'HIT');
  assert.equal(b.body, a.body, 'the same bytes, form token and all');
  assert.equal(await servedAtLeast(p, n0 + 1), n0 + 1, 'palaver answered the first only');
  // HEAD is kept apart from GET, and answered the same way.
  const h1 = await s.fetch(p, { method: 'HEAD' });
  const h2 = await s.fetch(p, { method: 'HEAD' });
  assert.equal(h1.status, 200);
  assert.equal(await h2.text(), '');
  assert.match(h2.headers.get('x-cache-status'), KEPT);
});

test('palaver says who may share each answer, and nginx keeps only what it may share', async () => {
  const pub = ['/', `/articles/${art}`, '/embed?uri=%2Fmc%2Fopen%2F', '/api/comments?uri=%2Fmc%2Fopen%2F',
    '/api/counts?uri=%2Fmc%2Fopen%2F'];
  const mod = await modLogin(s, 'mod', PW);
  const who = [
    ['an author', { cookie: 'palaver_author=1.2.3' }],
    ['a moderator', { cookie: mod.cookie }],
    ['a moderator over HTTPS', { cookie: 'x=1; __Host-palaver_session=abc' }],
    ['someone logging in', { cookie: 'palaver_login=abc' }],
    ['the widget with author tokens', { 'x-palaver-token': '1.2.3' }],
  ];
  for (const p of pub) {
    const r = await s.get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), PUBLIC, p);
    assert.equal(r.headers.get('x-accel-expires'), null, `${p}: nginx keeps that to itself`);
    // Other people's cookies are no reason to pass the cache by.
    const other = await s.get(p, { headers: { cookie: 'theme=dark; palaver_authority=1' } });
    assert.match(other.headers.get('x-cache-status'), /^(HIT|UPDATING|EXPIRED|MISS)$/, p);
    for (const [name, headers] of who) {
      const n0 = served(p.split('?')[0]);
      const w = await s.get(p, { headers });
      assert.equal(w.status, 200, `${p}, ${name}`);
      assert.equal(w.headers.get('x-cache-status'), 'BYPASS', `${p}, ${name}`);
      assert.equal(w.headers.get('cache-control'), 'private, no-cache', `${p}, ${name}`);
      assert.equal(w.headers.get('etag'), null, `${p}, ${name}`);
      assert.ok(await servedAtLeast(p.split('?')[0], n0 + 1) > n0, `${p}, ${name}: palaver answered`);
    }
  }
  // The moderators' pages, the login form (with its cookie) and posts:
  // never public, never kept.
  const q = await s.get('/mod/', { headers: { cookie: mod.cookie } });
  assert.equal(q.headers.get('cache-control'), 'no-store');
  assert.equal(q.headers.get('x-cache-status'), 'BYPASS');
  const l1 = await s.get('/mod/login');
  const l2 = await s.get('/mod/login');
  assert.ok(l1.headers.get('set-cookie') && l2.headers.get('set-cookie'));
  assert.notEqual(l2.headers.get('x-cache-status'), 'HIT');
  assert.notEqual(l1.body.match(/name="csrf" value="([^"]+)"/)[1], l2.body.match(/name="csrf" value="([^"]+)"/)[1]);
});

test('a new comment reaches another anonymous reader within two seconds, and its author at once', async () => {
  const p = `/articles/${art}`;
  await s.get(p);
  await s.get('/api/comments?uri=%2Fmc%2Fopen%2F');
  const n = JSON.parse((await s.get('/api/counts?uri=%2Fmc%2Fopen%2F')).body)['/mc/open/'];
  assert.match((await s.get(p)).headers.get('x-cache-status'), KEPT, 'a copy is kept');
  const t0 = Date.now();
  const c = await postForm(art, 'news for everyone');
  assert.equal(c.status, 303);
  assert.ok(c.id > 0 && c.cookie);
  // The author: at once, where the post leads and on the page itself.
  const led = await s.get(c.location.replace(/#.*/, ''), { headers: { cookie: c.cookie } });
  assert.match(led.body, new RegExp(`id="c${c.id}"`));
  assert.match(led.body, /Your comment is published/);
  const mine = await s.get(p, { headers: { cookie: c.cookie } });
  assert.equal(mine.headers.get('x-cache-status'), 'BYPASS');
  assert.match(mine.body, new RegExp(`id="c${c.id}"`));
  // Another reader, asking again and again: within two seconds (the copy
  // lasts to the end of its second, then the next request has a new one
  // made, and the one after gets it).  The API's thread and the counts
  // too, each a copy of its own.
  const seen = {};
  const asks = {
    page: async () => (await s.get(p)).body.includes(`id="c${c.id}"`),
    api: async () => JSON.parse((await s.get('/api/comments?uri=%2Fmc%2Fopen%2F')).body).comments.some((x) => x.id === c.id),
    counts: async () => JSON.parse((await s.get('/api/counts?uri=%2Fmc%2Fopen%2F')).body)['/mc/open/'] >= n + 1,
  };
  while (Object.keys(seen).length < 3 && Date.now() - t0 < 6000) {
    for (const [k, ask] of Object.entries(asks)) if (!(k in seen) && await ask()) seen[k] = Date.now() - t0;
    await sleep(20);
  }
  console.log(`other readers saw it after ${JSON.stringify(seen)} ms`);
  for (const k of Object.keys(asks)) {
    assert.ok(k in seen, `${k}: never seen`);
    assert.ok(seen[k] <= 2000, `${k}: seen after ${seen[k]} ms`);
  }
});

test('an author\'s or a moderator\'s page never reaches anyone else, whoever reads first', async () => {
  const p = `/articles/${held}`;
  const reader = await s.get(p);	// an anonymous copy, kept
  assert.equal(reader.status, 200);
  const c = await postForm(held, 'my own words, waiting');
  assert.equal(c.status, 303);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${c.id}`)[0].status, 'pending');
  const tokenPost = await s.fetch('/api/comments?uri=%2Fmc%2Fheld%2F', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'api words, waiting' }) });
  const tp = await tokenPost.json();
  assert.equal(tp.status, 'pending');
  const mod = await modLogin(s, 'mod', PW);
  // What only the author may see: their pending comment, "awaiting
  // moderation", the edit form and links, the delete form; the notice
  // where the post led.  Only the moderator: the session's CSRF token.
  const private_ = [`id="c${c.id}"`, 'my own words', 'Awaiting moderation', `?edit=${c.id}`,
    `/comments/${c.id}/delete`, 'You can change this until', 'awaiting moderation, and will appear',
    mod.csrf, 'Logged in as'];
  const views = [p, `${p}?edit=${c.id}`, `${p}?posted=${c.id}`, `${p}?reply=${c.id}`, '/embed?uri=%2Fmc%2Fheld%2F'];
  for (let round = 0; round < 4; round++) {
    for (const v of views) {
      // In turns, each one first every other round.
      const order = round % 2 ? ['author', 'other'] : ['other', 'author'];
      for (const whom of order) {
        if (whom === 'author') {
          const a = await s.get(v, { headers: { cookie: c.cookie } });
          assert.equal(a.status, 200, v);
          assert.equal(a.headers.get('x-cache-status'), 'BYPASS', v);
          if (!v.startsWith('/embed')) assert.ok(a.body.includes(`id="c${c.id}"`), `${v}: the author sees their comment`);
        } else {
          const o = await s.get(v);
          assert.equal(o.status, 200, v);
          for (const x of private_) assert.ok(!o.body.includes(x), `${v}, round ${round}: "${x}" reached another reader`);
        }
      }
      // The moderator reads it too, and so does the other reader after.
      const m = await s.get(v, { headers: { cookie: mod.cookie } });
      assert.equal(m.headers.get('x-cache-status'), 'BYPASS', v);
      const o = await s.get(v);
      for (const x of private_) assert.ok(!o.body.includes(x), `${v} after the moderator: "${x}"`);
    }
    // The API: the author's tokens in the header show their comment;
    // the next anonymous reader of the same address gets none of it.
    const q = '/api/comments?uri=%2Fmc%2Fheld%2F';
    const a = await s.get(q, { headers: { 'x-palaver-token': tp.token } });
    assert.deepEqual(JSON.parse(a.body).comments.map((x) => x.id), [tp.id]);
    const o = await s.get(q);
    assert.deepEqual(JSON.parse(o.body).comments, []);
    assert.ok(!o.body.includes('api words'));
    // A moderator's queue is no one else's: the next reader of /mod/ is
    // sent to log in.
    const mq = await s.get('/mod/', { headers: { cookie: mod.cookie } });
    assert.match(mq.body, /my own words/);
    const anon = await s.get('/mod/');
    assert.equal(anon.status, 303);
    assert.ok(!anon.body.includes('my own words') && !anon.body.includes(mod.csrf));
  }
});

test('a POST is never cached: each reaches palaver, even at an address nginx keeps a GET of', async () => {
  const q = '/api/comments?uri=%2Fmc%2Fopen%2F';
  await s.get(q);
  assert.match((await s.get(q)).headers.get('x-cache-status'), KEPT);
  const before = s.sql('SELECT count(*) AS n FROM comments')[0].n;
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await s.fetch(q, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'posted twice, the same words' }) });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('x-cache-status'), null);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    ids.push((await r.json()).id);
  }
  assert.equal(new Set(ids).size, 3, 'three comments, not one answer three times');
  assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, before + 3);
  // The form's posts too: each its own 303 and cookie.
  const f1 = await postForm(art, 'form words');
  const f2 = await postForm(art, 'form words');
  assert.equal(f1.status, 303);
  assert.equal(f2.status, 303);
  assert.notEqual(f1.id, f2.id);
  assert.notEqual(f1.cookie, f2.cookie);
  assert.equal(f2.cache, null);
});

test('a popular thread that changes costs one render: the others get the old copy meanwhile', async () => {
  const p = `/articles/${art}`;
  // Popular: a reader asks for it every 50 ms; the copy it gets in the
  // last second before the change is the one the crowd finds expired.
  let reading = true;
  const steady = (async () => {
    while (reading) {
      await s.get(p);
      await sleep(50);
    }
  })();
  await secondStart();
  await sleep(Math.max(0, 800 - (Date.now() % 1000)));
  reading = false;
  await steady;
  const c = await postForm(art, 'a change everyone wants to read');
  assert.equal(c.status, 303);
  // Into the next second: the copy has expired.  100 readers at once.
  await secondStart();
  const n0 = served(p);
  const rs = await Promise.all(Array.from({ length: 100 }, () => s.get(p)));
  const n1 = await servedAtLeast(p, n0 + 1);
  const tally = {};
  for (const r of rs) tally[r.headers.get('x-cache-status')] = (tally[r.headers.get('x-cache-status')] || 0) + 1;
  const fresh = rs.filter((r) => r.body.includes(`id="c${c.id}"`)).length;
  console.log(`100 readers: ${JSON.stringify(tally)}, ${fresh} with the change; palaver asked ${n1 - n0} time(s)`);
  assert.ok(rs.every((r) => r.status === 200 && r.body.endsWith('</html>\n')));
  assert.equal(n1 - n0, 1, 'one render for everyone');
  // The one that found the copy expired waited for the new one; the
  // others got the old copy while it was made (UPDATING), or the new.
  assert.equal(tally.EXPIRED, 1, JSON.stringify(tally));
  assert.ok(rs.every((r) => /^(EXPIRED|UPDATING|HIT)$/.test(r.headers.get('x-cache-status'))), JSON.stringify(tally));
  assert.ok(rs.filter((r) => r.headers.get('x-cache-status') === 'UPDATING').every((r) => !r.body.includes(`id="c${c.id}"`)));
  assert.ok(rs.filter((r) => /^(EXPIRED|HIT)$/.test(r.headers.get('x-cache-status'))).every((r) => r.body.includes(`id="c${c.id}"`)));
  // And then everyone has the change.
  assert.match((await s.get(p)).body, new RegExp(`id="c${c.id}"`));

  // A page nobody has read yet, asked for by 50 at once: fetched once,
  // the others wait for it (the lock).
  const q = `/articles/${art}?order=newest`;
  await secondStart();	// the waiters look again after half a second
  const m0 = served(p);
  const first = await Promise.all(Array.from({ length: 50 }, () => s.get(q)));
  assert.ok(first.every((r) => r.status === 200));
  assert.equal(await servedAtLeast(p, m0 + 1), m0 + 1, 'one render for a new page');
});

test('conf/nginx.conf carries the microcache the tests run with', () => {
  const CACHE = /^\s*(fastcgi_cache\w*|fastcgi_no_cache|keys_zone|map \$http_cookie|map \$palaver_cookie|"~\(\^\||0GET|0HEAD|add_header X-Cache-Status)\b/;
  const lines = (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
      .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)
      .map((l) => l.replace(/^fastcgi_cache_path \S+/, 'fastcgi_cache_path PATH'));
    return text.filter((l) => CACHE.test(l) || /^(keys_zone|max_size|use_temp_path)/.test(l)).sort();
  };
  const dev = lines('conf/dev/nginx.conf.in');
  for (const want of ['fastcgi_cache palaver_cache;', 'fastcgi_cache_lock on;',
    'fastcgi_cache_key "$request_method $host $request_uri";', 'fastcgi_cache_valid 200 1s;',
    'fastcgi_cache_bypass $palaver_nocache;',
    'fastcgi_no_cache $palaver_nocache;']) {
    assert.ok(dev.includes(want), `${want} in:\n${dev.join('\n')}`);
  }
  assert.ok(dev.some((l) => /^fastcgi_cache_use_stale updating error timeout\b/.test(l)), dev.join('\n'));
  assert.deepEqual(lines('conf/nginx.conf'), dev);
});

test('conf/nginx.conf is a site nginx takes (nginx -t, with a throwaway certificate)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-ngxt-'));
  try {
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=comments.example.com', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
    assert.equal(cert.status, 0, String(cert.stderr));
    const site = fs.readFileSync(path.join(ROOT, 'conf/nginx.conf'), 'utf8')
      .replace(/\/etc\/letsencrypt\/live\/comments\.example\.com\/fullchain\.pem/, path.join(dir, 'cert.pem'))
      .replace(/\/etc\/letsencrypt\/live\/comments\.example\.com\/privkey\.pem/, path.join(dir, 'key.pem'))
      .replace(/\/run\/nginx-palaver-cache/, path.join(dir, 'cache'));
    fs.writeFileSync(path.join(dir, 'site.conf'), site);
    fs.copyFileSync('/etc/nginx/fastcgi_params', path.join(dir, 'fastcgi_params'));
    fs.writeFileSync(path.join(dir, 'main.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n` +
      `events {}\nhttp {\ninclude /etc/nginx/mime.types;\ninclude ${dir}/site.conf;\n}\n`);
    const t = spawnSync('nginx', ['-t', '-c', path.join(dir, 'main.conf'), '-p', dir], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /test is successful/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
