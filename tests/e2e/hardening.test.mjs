// hardening.test.mjs: what an adversarial test found (issue 9), each
// reproduced through real nginx and now held: limits by network, cheap
// checks before the hook, logins that cannot be flooded or used to lock a
// moderator out, Origin on every change, threads that cannot be named by
// a forged request, form tokens that survive shared pages, bodies that fit
// any comment, a full disk that loses nothing, keys outside the database,
// and a page cache that unknown parameters and SIGHUP leave alone.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, SQL, modLogin, modPost, fresh } from './lib.mjs';

const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };
const PW = 'a long password here';
const FORM = 'application/x-www-form-urlencoded';

// A reader at address `addr` (nginx takes it from X-Forwarded-For in the
// test configuration, as it would from a trusted proxy).
async function formPost(s, p, fields, { addr, headers = {} } = {}) {
  const h = { 'content-type': FORM, ...headers };
  if (addr) h['x-forwarded-for'] = addr;
  const r = await s.fetch(p, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: h });
  const body = await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0, headers: r.headers, body };
}

async function apiPost(s, uri, obj, headers = {}) {
  const r = await s.fetch(`/api/comments?uri=${encodeURIComponent(uri)}`, { method: 'POST',
    body: JSON.stringify(obj), headers: { 'content-type': 'application/json', ...headers } });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, json, text };
}

function article(s, uri, title = 'An article') {
  const r = s.cli(['article', 'add', '--uri', uri, '--title', title]);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout);
}

function hookDir() {
  const dir = fs.mkdtempSync('/tmp/palaver-hard-');
  fs.chmodSync(dir, 0o777);
  const hook = path.join(dir, 'count.sh');
  fs.writeFileSync(hook, '#!/bin/sh\necho run >> "$HOOK_LOG"\ncat > /dev/null\nsleep 0.3\necho 0.1 fine\n');
  fs.chmodSync(hook, 0o755);
  const log = path.join(dir, 'hook.log');
  fs.writeFileSync(log, '');
  fs.chmodSync(log, 0o666);
  return { hook, log, runs: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

describe('limits count networks, and refused posts cost nothing', () => {
  let s;
  let art;
  let h;
  before(async () => {
    h = hookDir();
    s = await new Server({ spam: { posts_per_minute: 3, hook: h.hook, hook_env: 'HOOK_LOG',
      hook_timeout_ms: 5000 } }, { HOOK_LOG: h.log }).start();
    art = article(s, '/limits/');
  });
  after(async () => { await s.stop(); });

  test('twelve addresses of one IPv6 /64 are one reader', async () => {
    const got = [];
    for (let i = 1; i <= 12; i++) {
      got.push((await formPost(s, `/articles/${art}/comments`, { body: `from the same /64, ${i}` },
        { addr: `2001:db8:1:2::${i.toString(16)}` })).status);
    }
    assert.deepEqual(got.slice(0, 3), [303, 303, 303]);
    assert.deepEqual([...new Set(got.slice(3))], [429]);
    // Another /64 is another reader.
    assert.equal((await formPost(s, `/articles/${art}/comments`, { body: 'a neighbour network' },
      { addr: '2001:db8:1:3::1' })).status, 303);
  });

  test('a rate-limited post never runs the hook, and comes back with its text', async () => {
    const before = h.runs();
    const r = await formPost(s, `/articles/${art}/comments`, { body: 'one too many, kept', author: 'Keep' },
      { addr: '2001:db8:1:2::99' });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.match(r.body, /one too many, kept/);
    assert.equal(h.runs(), before, 'the hook ran for a refused post');
  });

  test('a banned poster is never scored by the hook', async () => {
    s.sql(`INSERT INTO bans (kind, value, reason, created) VALUES ('email', 'banned@example.org', 'test', ${Math.floor(Date.now() / 1000)})`);
    const before = h.runs();
    const r = await formPost(s, `/articles/${art}/comments`, { body: 'from the banned', email: 'banned@example.org' },
      { addr: '192.0.2.77' });
    assert.equal(r.status, 303);
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${r.id}`)[0].status, 'spam');
    assert.equal(h.runs(), before);
  });

  test('IPv4 counts by address unless [limits] ipv4_network says /24', async () => {
    for (let i = 1; i <= 5; i++) {
      assert.equal((await formPost(s, `/articles/${art}/comments`, { body: `v4 reader ${i}` },
        { addr: `198.51.100.${i}` })).status, 303);
    }
    await s.reconfigure({ limits: { ipv4_network: 24 } });
    const got = [];
    for (let i = 11; i <= 15; i++) {
      got.push((await formPost(s, `/articles/${art}/comments`, { body: `v4 /24 reader ${i}` },
        { addr: `203.0.113.${i}` })).status);
    }
    assert.deepEqual(got, [303, 303, 303, 429, 429]);
  });
});

describe('logins', () => {
  let s;
  before(async () => {
    s = await new Server({ auth: { ...CHEAP, login_attempts: 5 } }).start();
    const r = s.cli(['user', 'add', 'carol', '--role', 'admin'], { input: `${PW}\n` });
    assert.equal(r.status, 0, r.stderr);
  });
  after(async () => { await s.stop(); });

  async function login(name, password, addr) {
    const g = await s.fetch('/mod/login', { headers: { 'x-forwarded-for': addr } });
    const ck = (g.headers.get('set-cookie') || '').split(';')[0];
    const csrf = (await g.text()).match(/name="csrf" value="([^"]+)"/)[1];
    const r = await s.fetch('/mod/login', { method: 'POST',
      body: new URLSearchParams({ name, password, csrf }).toString(),
      headers: { 'content-type': FORM, cookie: ck, 'x-forwarded-for': addr } });
    return { status: r.status, retry: r.headers.get('retry-after'), body: await r.text() };
  }

  test('parallel attempts cannot slip past the limit together', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, () => login('carol', 'wrong wrong wrong', '192.0.2.10')));
    for (const r of rs) assert.ok([403, 429, 503].includes(r.status), String(r.status));
    let rows = s.sql("SELECT count(*) AS n FROM login_failures WHERE name = 'carol'")[0].n;
    assert.ok(rows <= 5, `${rows} attempts counted past a limit of 5`);
    // Those turned away (503) did not count; the rest do, up to 5.
    let r;
    for (let i = 0; i < 10; i++) {
      r = await login('carol', 'wrong again', '192.0.2.10');
      if (r.status === 429) break;
    }
    assert.equal(r.status, 429);
    rows = s.sql("SELECT count(*) AS n FROM login_failures WHERE name = 'carol'")[0].n;
    assert.equal(rows, 5);
  });

  test('a locked-out pair does not lock the moderator out elsewhere', async () => {
    const r = await login('carol', PW, '192.0.2.11');
    assert.equal(r.status, 303, r.body);
    // From the failing network, even the right password waits.
    assert.equal((await login('carol', PW, '192.0.2.10')).status, 429);
  });

  test('a flood of logins is turned away, never 500, and readers are served', async () => {
    const art = article(s, '/flood/');
    const logins = Array.from({ length: 40 }, (_, i) => login(`nobody${i}`, 'wrong password here', `10.9.${i}.1`));
    const reads = (async () => {
      const out = [];
      for (let i = 0; i < 10; i++) out.push((await s.get(`/articles/${art}`)).status);
      return out;
    })();
    const rs = await Promise.all(logins);
    for (const r of rs) {
      assert.ok([403, 503].includes(r.status), String(r.status));
      if (r.status === 503) assert.ok(Number(r.retry) > 0);
    }
    assert.deepEqual([...new Set(await reads)], [200]);
  });
});

describe('Origin on every change, threads, shared tokens, sizes and trouble', () => {
  let s;
  let art;
  const SITE = 'https://blog.example.org';
  before(async () => {
    s = await new Server({
      site: { allowed_origins: SITE, base_url: 'http://comments.example' },
      spam: { min_submit_seconds: 1, posts_per_minute: 0 },
    }).start();
    art = article(s, '/origin/');
  });
  after(async () => { await s.stop(); });

  async function mine() {
    const g = await s.get(`/articles/${art}`);
    const ts = g.body.match(/name="ts" value="([^"]+)"/)[1];
    await sleep(1100);
    const p = await formPost(s, `/articles/${art}/comments`, { ts, body: 'the original text' });
    assert.equal(p.status, 303);
    return { id: p.id, cookie: p.headers.get('set-cookie').split(';')[0] };
  }

  test('an author edit or delete from another site, a sibling one too, is refused', async () => {
    const c = await mine();
    const edit = (headers) => formPost(s, `/articles/${art}/comments/${c.id}/edit`, { body: 'rewritten' },
      { headers: { cookie: c.cookie, ...headers } });
    for (const headers of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' }, { origin: `https://127.0.0.1:${s.port}` }, { origin: 'null' }]) {
      const r = await edit(headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
    }
    const del = await formPost(s, `/articles/${art}/comments/${c.id}/delete`, {},
      { headers: { cookie: c.cookie, origin: 'http://evil.example' } });
    assert.equal(del.status, 403);
    assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${c.id}`)[0].body, 'the original text');
    // From our own page (same origin, or no browser headers at all): fine.
    const ok = await edit({ origin: `http://127.0.0.1:${s.port}`, 'sec-fetch-site': 'same-origin' });
    assert.equal(ok.status, 303);
    assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${c.id}`)[0].body, 'rewritten');
  });

  test('anonymous posting by form: our own origin, or an allowed one for the fragment', async () => {
    const cross = await formPost(s, `/articles/${art}/comments`, { body: 'cross-site' },
      { headers: { origin: 'http://evil.example' } });
    assert.equal(cross.status, 403);
    const frag = await formPost(s, '/embed/comments?uri=%2Forigin%2F', { body: 'from a site not allowed' },
      { headers: { origin: 'http://evil.example' } });
    assert.equal(frag.status, 403);
    const ok = await formPost(s, '/embed/comments?uri=%2Forigin%2F', { body: 'from the blog' },
      { headers: { origin: SITE } });
    assert.equal(ok.status, 303);
  });

  test('a first comment cannot name its thread', async () => {
    const uri = '/2026/12/01/big-story/';
    const empty = await s.get(`/api/comments?uri=${encodeURIComponent(uri)}`, { headers: { origin: SITE } });
    const formToken = JSON.parse(empty.body).form_token;
    await sleep(1100);
    // Named by its address, with a query: keyed by its path alone.
    const r = await apiPost(s, `${SITE}${uri}?utm_source=feed#top`,
      { body: 'first!', title: 'SQUATTED: buy pills', form_token: formToken }, { origin: SITE });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'approved');
    const row = s.sql(`SELECT title, title_proposed, made_by FROM articles WHERE uri = '${uri}'`)[0];
    assert.deepEqual(row, { title: uri, title_proposed: 'SQUATTED: buy pills', made_by: 'reader' });
    // What palaver answers now (fresh: not a copy nginx kept from before).
    assert.doesNotMatch((await s.get(fresh('/'))).body, /SQUATTED/);
    assert.doesNotMatch((await s.get(fresh(`/embed?uri=${encodeURIComponent(uri)}`))).body, /SQUATTED/);
    const g = await s.get(fresh(`/api/comments?uri=${encodeURIComponent(uri)}`), { headers: { origin: SITE } });
    assert.equal(JSON.parse(g.body).article.title, uri);
    // A moderator gives it the title.
    const id = s.sql(`SELECT id FROM articles WHERE uri = '${uri}'`)[0].id;
    assert.equal(s.cli(['article', 'set', String(id), '--title', 'The big story']).status, 0);
    assert.match((await s.get(fresh('/'))).body, /The big story/);
  });

  test('a thread whose first comment waits is not listed', async () => {
    await s.reconfigure({ moderation: { mode: 'pre' } });
    const uri = '/2026/12/02/quiet/';
    const r = await apiPost(s, uri, { body: 'held first comment' }, { origin: SITE });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, 'pending');
    assert.doesNotMatch((await s.get(fresh('/'))).body, /quiet/);
    await s.reconfigure({ moderation: { mode: 'post' } });
  });

  test('ten readers post through one static copy of the fragment, and all ten are published', async () => {
    const uri = '/static/page/';
    // The first comment makes the thread; then the site builds its page.
    assert.equal((await apiPost(s, uri, { body: 'the thread begins' }, { origin: SITE })).status, 201);
    const frag = await s.get(`/embed?uri=${encodeURIComponent(uri)}`);
    const ts = frag.body.match(/name="ts" value="([^"]+)"/)[1];
    await sleep(1100);
    const ids = [];
    for (let i = 0; i < 10; i++) {
      const r = await formPost(s, `/embed/comments?uri=${encodeURIComponent(uri)}`,
        { ts, hp: '', body: `reader ${i} says something of their own` },
        { addr: `192.0.2.${100 + i}`, headers: { origin: SITE } });
      assert.equal(r.status, 303, r.body);
      ids.push(r.id);
    }
    const st = s.sql(`SELECT status FROM comments WHERE id IN (${ids.join(',')})`).map((x) => x.status);
    assert.deepEqual(st, Array(10).fill('approved'));
    // The same submission twice is still a replay.
    const again = await formPost(s, `/embed/comments?uri=${encodeURIComponent(uri)}`,
      { ts, hp: '', body: 'reader 3 says something of their own' }, { addr: '192.0.2.103', headers: { origin: SITE } });
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${again.id}`)[0].status, 'spam');
  });

  test('any comment within max_comment fits a form, and one over comes back whole', async () => {
    const g = await s.get(`/articles/${art}`);
    const ts = g.body.match(/name="ts" value="([^"]+)"/)[1];
    await sleep(1100);
    // 10,000 euro signs: 90 KB as a form sends them, over the 64 KB max_body.
    const r = await formPost(s, `/articles/${art}/comments`, { ts, body: '\u20ac'.repeat(10000) });
    assert.equal(r.status, 303, r.body.slice(0, 200));
    const over = await formPost(s, `/articles/${art}/comments`, { ts, body: '\u20ac'.repeat(10001), author: 'Kept' });
    assert.equal(over.status, 413);
    assert.match(over.body, /10001 characters long/);
    assert.ok(over.body.includes('\u20ac'.repeat(10001)), 'the text came back');
  });

  test('a database that cannot write (a full disk) keeps the text and says try again', async () => {
    s.sql(SQL.fullDisk('comments'));
    try {
      const g = await s.get(`/articles/${art}`);
      const ts = g.body.match(/name="ts" value="([^"]+)"/)[1];
      await sleep(1100);
      const r = await formPost(s, `/articles/${art}/comments`, { ts, body: 'words I typed carefully', author: 'Pat' });
      assert.equal(r.status, 503);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.match(r.body, /Nothing you wrote is lost/);
      assert.match(r.body, /words I typed carefully<\/textarea>/);
      assert.match(r.body, /value="Pat"/);
      const a = await apiPost(s, '/origin/', { body: 'by the API' });
      assert.equal(a.status, 503);
      assert.match(a.json.error, /try|again/i);
    } finally {
      s.sql(SQL.fullDiskUndo('comments'));
    }
    const g = await s.get(`/articles/${art}`);
    const ts = g.body.match(/name="ts" value="([^"]+)"/)[1];
    await sleep(1100);
    assert.equal((await formPost(s, `/articles/${art}/comments`, { ts, body: 'after the disk was freed' })).status, 303);
  });

  test('[spam] tell_spam: a binned poster hears so, not "awaiting moderation"', async () => {
    let r = await apiPost(s, '/origin/', { body: 'caught by the honeypot', hp: 'filled' });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, 'pending');
    await s.reconfigure({ spam: { tell_spam: 'yes' } });
    r = await apiPost(s, '/origin/', { body: 'caught again by the honeypot', hp: 'filled' });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, 'spam');
    await s.reconfigure({ spam: { tell_spam: 'no' } });
  });
});

describe('privacy at rest: keys outside the database, inputs that go', () => {
  let s;
  let art;
  let h;
  before(async () => {
    h = hookDir();
    fs.writeFileSync(h.hook, '#!/bin/sh\ncat > /dev/null\necho 0.1 fine\n');
    s = await new Server({ spam: { hook: h.hook, posts_per_minute: 2 }, auth: CHEAP }).start();
    art = article(s, '/privacy/');
  });
  after(async () => { await s.stop(); });

  const keyFile = () => path.join(s.dir, 'palaver.key');

  test('the address key is a file of its own, 0600, not in the database', () => {
    const st = fs.statSync(keyFile());
    assert.equal(st.mode & 0o777, 0o600);
    const lines = fs.readFileSync(keyFile(), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^\d+ [0-9a-f]{64}$/);
    // The site's id (007, for exports) is no key.
    const keys = s.sql("SELECT key FROM settings WHERE key != 'site_id'").map((x) => x.key);
    assert.deepEqual(keys, ['secret']);
  });

  test('a new key in its time keeps the old one, and limits carry over', async () => {
    assert.equal((await formPost(s, `/articles/${art}/comments`, { body: 'one' }, { addr: '192.0.2.50' })).status, 303);
    assert.equal((await formPost(s, `/articles/${art}/comments`, { body: 'two' }, { addr: '192.0.2.50' })).status, 303);
    assert.equal((await formPost(s, `/articles/${art}/comments`, { body: 'three' }, { addr: '192.0.2.50' })).status, 429);
    // Make the key look a period old: the next hash makes a new one.
    const [period, hex] = fs.readFileSync(keyFile(), 'utf8').trim().split(' ');
    fs.writeFileSync(keyFile(), `${Number(period) - 1} ${hex}\n`);
    await s.reconfigure({});
    assert.equal((await formPost(s, `/articles/${art}/comments`, { body: 'four' }, { addr: '192.0.2.50' })).status, 429);
    const lines = fs.readFileSync(keyFile(), 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], new RegExp(`^${period} [0-9a-f]{64}$`));
    assert.notEqual(lines[0].split(' ')[1], hex);
    assert.equal(lines[1], `${Number(period) - 1} ${hex}`);
    assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
  });

  test("the hook's input (the poster's address) goes once the comment is decided", async () => {
    const r = await formPost(s, `/articles/${art}/comments`, { body: 'decide me' }, { addr: '192.0.2.60' });
    assert.equal(r.status, 303);
    assert.equal(s.sql(`SELECT count(*) AS n FROM spam_checks WHERE comment = ${r.id}`)[0].n, 1);
    assert.match(s.sql(`SELECT input FROM spam_checks WHERE comment = ${r.id}`)[0].input, /192\.0\.2\.60/);
    assert.equal(s.cli(['user', 'add', 'mo'], { input: `${PW}\n` }).status, 0);
    const mo = await modLogin(s, 'mo', PW);
    assert.equal((await modPost(s, mo, `/mod/comments/${r.id}/delete`, { confirm: 'yes' })).status, 303);
    assert.equal(s.sql(`SELECT count(*) AS n FROM spam_checks WHERE comment = ${r.id}`)[0].n, 0);
  });
});

describe('the page cache', () => {
  let s;
  let art;
  before(async () => {
    // One worker: one cache, so what it keeps is what every request sees.
    s = await new Server({ server: { workers: 1 } }).start();
    art = article(s, '/cache/');
    const r = await formPost(s, `/articles/${art}/comments`, { body: 'cached words' });
    assert.equal(r.status, 303);
  });
  after(async () => { await s.stop(); });

  // The kept page shows; a change made behind palaver's back (no new
  // version) shows only once the page is rendered again.
  function sneak() {
    s.sql(`UPDATE comments SET html = '<p>changed behind its back</p>' WHERE article = ${art}`);
  }

  test('unknown query parameters are served from the cache, never a render each', async () => {
    assert.match((await s.get(`/articles/${art}`)).body, /cached words/);
    assert.match((await s.get(`/articles/${art}`)).body, /cached words/);
    sneak();
    for (const q of ['?junk=1', '?junk=2', '?x=y&junk=3', '?order=sideways']) {
      const b = (await s.get(`/articles/${art}${q}`)).body;
      assert.match(b, /cached words/, q);
    }
  });

  test('SIGHUP reloads the blocklist and keeps the page cache', async () => {
    for (const w of s.workers()) process.kill(w, 'SIGHUP');
    await sleep(300);
    assert.match((await s.get(`/articles/${art}`)).body, /cached words/);
  });
});
