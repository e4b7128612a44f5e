// mod.test.mjs: moderators log in, work the queue (alone and in bulk), edit,
// ban, close threads, manage accounts and read the audit log, through nginx.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertSecurityHeaders } from './lib.mjs';

const PW = 'a long password here';
// Argon2id at its cheapest: the tests log in often.
const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };

function form(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) p.append(k, v);
  return p.toString();
}

async function post(s, path, fields, cookie, extra = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...extra };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(path, { method: 'POST', body: form(fields), headers });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

// The value of cookie `name` among the response's Set-Cookie headers.
function setCookie(r, name) {
  return r.headers.getSetCookie().find((c) => c.startsWith(name + '='));
}

function csrfOf(body) {
  const m = body.match(/name="csrf" value="([^"]+)"/);
  assert.ok(m, 'a csrf field');
  return m[1];
}

function addUser(s, name, role, pw = PW) {
  const r = s.cli(['user', 'add', name, '--role', role], { input: pw + '\n' });
  assert.equal(r.status, 0, r.stderr);
  return s.sql(`SELECT id FROM moderators WHERE name = '${name}'`)[0].id;
}

async function loginPost(s, name, password) {
  const g = await s.get('/mod/login');
  assert.equal(g.status, 200);
  const ck = setCookie(g, 'palaver_login').split(';')[0];
  return post(s, '/mod/login', { name, password, csrf: csrfOf(g.body) }, ck);
}

// Log in and return { cookie, csrf } for the session.
async function login(s, name, password = PW) {
  const r = await loginPost(s, name, password);
  assert.equal(r.status, 303, r.body);
  assert.equal(r.headers.get('location'), '/mod/');
  const sc = setCookie(r, 'palaver_session');
  assert.ok(sc, 'session cookie set');
  const cookie = sc.split(';')[0];
  const q = await s.get('/mod/', { headers: { cookie } });
  assert.equal(q.status, 200);
  return { cookie, csrf: csrfOf(q.body), name };
}

// A moderator's POST with the session's token (and any overrides).
function act(s, who, path, fields = {}, extra = {}) {
  return post(s, path, { csrf: who.csrf, ...fields }, who.cookie, extra);
}

async function comment(s, article, fields) {
  const r = await post(s, `/articles/${article}/comments`, { parent: '', ...fields });
  assert.equal(r.status, 303, r.body);
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  assert.ok(m, `Location ${r.headers.get('location')}`);
  return Number(m[1]);
}

// Where an action returns: `back`, telling the page what was done
// (done=BATCH) or that nothing changed (note=unchanged).
function assertBack(r, back, what = 'done') {
  assert.equal(r.status, 303, r.body);
  const loc = r.headers.get('location');
  const sep = back.includes('?') ? '&' : '?';
  if (what === 'done') {
    assert.ok(loc.startsWith(back + sep), loc);
    assert.match(loc.slice(back.length + 1), /^done=\d+$/, loc);
  } else assert.equal(loc, `${back}${sep}note=unchanged`);
  return loc;
}

function status(s, id) {
  return s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status;
}

function articleRow(s, id) {
  return s.sql(`SELECT version, ncomments, closed FROM articles WHERE id = ${id}`)[0];
}

function audits(s, target) {
  return s.sql(`SELECT a.id, a.actor, a.action, a.target, a.before, a.after, m.name AS mod
    FROM audit a LEFT JOIN moderators m ON m.id = a.moderator
    WHERE a.target = '${target}' ORDER BY a.id`);
}

describe('moderation', () => {
  let s;
  let a;
  let admin;
  let adminId;
  before(async () => {
    s = await new Server({
      auth: { ...CHEAP, session_idle: 60 },
      moderation: { mode: 'pre' },
      spam: { posts_per_minute: 0, min_submit_seconds: 0 },
    }).start();
    a = Number(s.cli(['article', 'add', '--uri', '/m/1/', '--title', 'Moderated']).stdout);
    adminId = addUser(s, 'boss', 'admin');
    admin = await login(s, 'boss');
  });
  after(async () => { await s.stop(); });

  test('the queue needs a session: redirect to login, no-store', async () => {
    const r = await s.get('/mod/');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/mod/login');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    for (const p of ['/mod/bans', '/mod/articles', '/mod/audit', '/mod/users']) {
      const g = await s.get(p);
      assert.equal(g.status, 303, p);
      assert.equal(g.headers.get('location'), '/mod/login');
    }
    const w = await post(s, '/mod/comments/1/approve', { csrf: admin.csrf });
    assert.equal(w.status, 403);
  });

  test('login, the queue page, logout: session gone, cookie cleared, old cookie dead', async () => {
    addUser(s, 'leaver', 'moderator');
    const r = await loginPost(s, 'leaver', PW);
    assert.equal(r.status, 303);
    assertSecurityHeaders(assert, r.headers);
    const sc = setCookie(r, 'palaver_session');
    assert.match(sc, /^palaver_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const cookie = sc.split(';')[0];
    const mid = s.sql("SELECT id FROM moderators WHERE name = 'leaver'")[0].id;
    assert.equal(s.sql(`SELECT count(*) AS n FROM sessions WHERE moderator = ${mid}`)[0].n, 1);
    assert.ok(s.sql(`SELECT last_login FROM moderators WHERE id = ${mid}`)[0].last_login > 0);

    const q = await s.get('/mod/', { headers: { cookie } });
    assert.equal(q.status, 200);
    assertSecurityHeaders(assert, q.headers);
    assert.equal(q.headers.get('cache-control'), 'no-store');
    assert.match(q.body, /Logged in as <strong>leaver<\/strong> \(moderator\)/);
    assert.match(q.body, /href="\/mod\/bans"/);
    assert.match(q.body, /href="\/mod\/articles"/);
    assert.match(q.body, /href="\/mod\/audit"/);
    assert.ok(!q.body.includes('href="/mod/users"'), 'no Users link for moderators');
    assert.match(q.body, /<script src="\/static\/mod.js" defer><\/script>/);
    // Every form carries the token.
    const forms = q.body.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g);
    assert.ok(forms.length >= 1);
    for (const f of forms) assert.match(f, /name="csrf" value="[A-Za-z0-9_-]{43}"/);
    const csrf = csrfOf(q.body);

    const out = await post(s, '/mod/logout', { csrf }, cookie);
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/mod/login');
    assert.match(setCookie(out, 'palaver_session'), /^palaver_session=; Path=\/; Max-Age=0/);
    assert.equal(s.sql(`SELECT count(*) AS n FROM sessions WHERE moderator = ${mid}`)[0].n, 0);
    const again = await s.get('/mod/', { headers: { cookie } });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/mod/login');
    const acts = s.sql(`SELECT action FROM audit WHERE moderator = ${mid} ORDER BY id`).map((x) => x.action);
    assert.deepEqual(acts, ['login', 'logout']);
  });

  test('an idle session ends: the queue sends the moderator to login', async () => {
    addUser(s, 'sleepy', 'moderator');
    const who = await login(s, 'sleepy');
    s.sql("UPDATE sessions SET seen = seen - 120 WHERE moderator = (SELECT id FROM moderators WHERE name = 'sleepy')");
    const r = await s.get('/mod/', { headers: { cookie: who.cookie } });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/mod/login');
    const w = await act(s, who, '/mod/bans', { kind: 'email', value: 'x@example.org' });
    assert.equal(w.status, 403);
    assert.equal(s.sql("SELECT count(*) AS n FROM bans WHERE value = 'x@example.org'")[0].n, 0);
  });

  test('CSRF: missing, wrong, cross-site Origin and Sec-Fetch-Site are refused; nothing changes', async () => {
    const id = await comment(s, a, { author: 'Cee', body: 'csrf target' });
    assert.equal(status(s, id), 'pending');
    const v0 = articleRow(s, a).version;
    const path = `/mod/comments/${id}/approve`;
    const cases = [
      await post(s, path, {}, admin.cookie),
      await post(s, path, { csrf: 'A'.repeat(43) }, admin.cookie),
      await post(s, path, { csrf: admin.csrf.slice(0, 42) }, admin.cookie),
      await act(s, admin, path, {}, { origin: 'http://evil.example' }),
      await act(s, admin, path, {}, { origin: 'null' }),
      await act(s, admin, path, {}, { 'sec-fetch-site': 'cross-site' }),
      await act(s, admin, path, {}, { 'sec-fetch-site': 'same-site' }),
    ];
    for (const r of cases) {
      assert.equal(r.status, 403);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.match(r.body, /nothing was changed/);
    }
    // The bulk form, the ban form and the account form are guarded too.
    assert.equal((await post(s, '/mod/comments/bulk', { id: String(id), action: 'approve' }, admin.cookie)).status, 403);
    assert.equal((await post(s, '/mod/bans', { kind: 'email', value: 'c@example.org' }, admin.cookie)).status, 403);
    assert.equal((await post(s, '/mod/users', { name: 'sneaky', role: 'admin', password: PW }, admin.cookie)).status, 403);
    assert.equal(status(s, id), 'pending');
    assert.equal(articleRow(s, a).version, v0);
    assert.equal(audits(s, `comment:${id}`).length, 0);
    assert.equal(s.sql("SELECT count(*) AS n FROM moderators WHERE name = 'sneaky'")[0].n, 0);
    assert.equal(s.sql("SELECT count(*) AS n FROM bans WHERE value = 'c@example.org'")[0].n, 0);
    // The browser saying "same-origin" is fine.
    const ok = await act(s, admin, path, {}, { 'sec-fetch-site': 'same-origin' });
    assert.equal(ok.status, 303);
    assert.equal(status(s, id), 'approved');
  });

  // Debian's fastcgi_params sends HTTP_HOST as $host, without the port:
  // the port nginx took the request on (SERVER_PORT) must stand in for it.
  test('CSRF: our own Origin on a non-default port is accepted, another port is not', async () => {
    const id = await comment(s, a, { body: 'own origin' });
    const bad = await act(s, admin, `/mod/comments/${id}/approve`, {}, { origin: `http://127.0.0.1:${s.port + 1}` });
    assert.equal(bad.status, 403);
    assert.equal(status(s, id), 'pending');
    const r = await act(s, admin, `/mod/comments/${id}/approve`, {}, { origin: s.base });
    assert.equal(r.status, 303);
    assert.equal(status(s, id), 'approved');
  });

  test('approve, spam and delete one comment: status, counts, version, audit, back', async () => {
    const id = await comment(s, a, { author: 'Solo', body: 'one at a time' });
    const start = articleRow(s, a);
    const back = '/mod/?status=pending&article=' + a + '&q=one%20at';
    let r = await act(s, admin, `/mod/comments/${id}/approve`, { back });
    assertBack(r, back);
    assert.equal(status(s, id), 'approved');
    let row = articleRow(s, a);
    assert.equal(row.ncomments, start.ncomments + 1);
    assert.ok(row.version > start.version);

    r = await act(s, admin, `/mod/comments/${id}/spam`, { back: '/mod/?status=spam' });
    assertBack(r, '/mod/?status=spam');
    assert.equal(status(s, id), 'spam');
    assert.equal(articleRow(s, a).ncomments, start.ncomments);

    // Delete asks first: without confirm=yes, a page that asks.
    r = await act(s, admin, `/mod/comments/${id}/delete`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Delete this comment\?/);
    assert.match(r.body, /name="confirm" value="yes"/);
    assert.equal(status(s, id), 'spam');
    r = await act(s, admin, `/mod/comments/${id}/delete`, { confirm: 'yes' });
    assertBack(r, '/mod/');
    assert.equal(status(s, id), 'deleted');
    // Kept for the record.
    assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${id}`)[0].body, 'one at a time');
    row = articleRow(s, a);
    assert.equal(row.ncomments, start.ncomments);

    const log = audits(s, `comment:${id}`);
    assert.deepEqual(log.map((x) => [x.action, x.before, x.after, x.actor, x.mod]), [
      ['approve', 'pending', 'approved', 'boss', 'boss'],
      ['spam', 'approved', 'spam', 'boss', 'boss'],
      ['delete', 'spam', 'deleted', 'boss', 'boss'],
    ]);
    // Doing it again changes nothing, records nothing, and says so.
    r = await act(s, admin, `/mod/comments/${id}/delete`, { confirm: 'yes' });
    assertBack(r, '/mod/', 'unchanged');
    assert.equal(audits(s, `comment:${id}`).length, 3);
  });

  test('unknown actions and comments are 404; GET on an action is 405', async () => {
    const id = await comment(s, a, { body: 'not touched' });
    let r = await act(s, admin, `/mod/comments/${id}/publish`);
    assert.equal(r.status, 404);
    r = await act(s, admin, '/mod/comments/999999/approve');
    assert.equal(r.status, 404);
    r = await act(s, admin, '/mod/comments/999999/edit', { body: 'x' });
    assert.equal(r.status, 404);
    r = await s.get(`/mod/comments/${id}/approve`, { headers: { cookie: admin.cookie } });
    assert.equal(r.status, 405);
    assert.equal(status(s, id), 'pending');
    assert.equal(audits(s, 'comment:999999').length, 0);
  });

  test('back must be our own /mod/ path, else the queue', async () => {
    const id = await comment(s, a, { body: 'bounce' });
    const bad = ['//evil.example/', 'https://evil.example/mod/', '/mod//evil.example', '/mod/\\\\evil.example',
      '/mod/\r\nSet-Cookie: x=1', '/mod/../articles/1', '/other', 'mod/', '/mod/ x'];
    for (const back of bad) {
      await act(s, admin, `/mod/comments/${id}/spam`, { back });
      const r = await act(s, admin, `/mod/comments/${id}/approve`, { back });
      assert.equal(r.status, 303);
      assert.match(r.headers.get('location'), /^\/mod\/\?done=\d+$/, JSON.stringify(back));
      assert.equal(r.headers.get('set-cookie'), null);
    }
  });

  test('bulk: many comments in one go, each audited, gone ones skipped', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await comment(s, a, { author: `Bulk${i}`, body: `bulk ${i}` }));
    const start = articleRow(s, a);
    const fields = ids.map((id) => ['id', String(id)]);
    let r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...fields, ['id', '999998'],
      ['action', 'approve'], ['back', '/mod/?status=pending']], admin.cookie);
    assertBack(r, '/mod/?status=pending');
    for (const id of ids) assert.equal(status(s, id), 'approved');
    const row = articleRow(s, a);
    assert.equal(row.ncomments, start.ncomments + 3);
    assert.ok(row.version > start.version);
    for (const id of ids) {
      const log = audits(s, `comment:${id}`);
      assert.equal(log.length, 1);
      assert.equal(log[0].action, 'approve');
      assert.equal(log[0].actor, 'boss');
    }

    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...fields.slice(0, 2), ['action', 'spam']], admin.cookie);
    assert.equal(r.status, 303);
    assert.deepEqual(ids.map((id) => status(s, id)), ['spam', 'spam', 'approved']);
    assert.equal(articleRow(s, a).ncomments, start.ncomments + 1);
    // Deleting asks first, listing what it would delete; "yes" sends
    // the same ids again.
    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...fields, ['action', 'delete']], admin.cookie);
    assert.equal(r.status, 200);
    assert.match(r.body, /Delete 3 comments\?/);
    for (const id of ids) assert.ok(r.body.includes(`<input type="hidden" name="id" value="${id}">`));
    assert.deepEqual(ids.map((id) => status(s, id)), ['spam', 'spam', 'approved']);
    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...fields, ['action', 'delete'],
      ['confirm', 'yes']], admin.cookie);
    assert.equal(r.status, 303);
    assert.deepEqual(ids.map((id) => status(s, id)), ['deleted', 'deleted', 'deleted']);
    assert.equal(articleRow(s, a).ncomments, start.ncomments);

    // Refused: no selection, an unknown action, a malformed id.
    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ['action', 'approve']], admin.cookie);
    assert.equal(r.status, 422);
    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...fields, ['action', 'edit']], admin.cookie);
    assert.equal(r.status, 422);
    r = await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ['id', '1x'], ['action', 'approve']], admin.cookie);
    assert.equal(r.status, 400);
    assert.deepEqual(ids.map((id) => status(s, id)), ['deleted', 'deleted', 'deleted']);
  });

  test('a moderator edit: re-rendered, edited_by set, audited before and after', async () => {
    const id = await comment(s, a, { author: 'Ed', body: 'teh *typo*' });
    const v0 = articleRow(s, a).version;
    const r = await act(s, admin, `/mod/comments/${id}/edit`, {
      body: 'the **fixed** text\r\n\r\n<script>alert(1)</script>', back: '/mod/?status=pending' });
    assertBack(r, '/mod/?status=pending');
    const row = s.sql(`SELECT body, html, edited, edited_by, status FROM comments WHERE id = ${id}`)[0];
    assert.equal(row.body, 'the **fixed** text\n\n<script>alert(1)</script>');
    assert.match(row.html, /<strong>fixed<\/strong>/);
    assert.ok(!/<script/i.test(row.html), 'raw HTML dropped');
    assert.ok(row.edited > 0);
    assert.equal(row.edited_by, adminId);
    assert.equal(row.status, 'pending', 'an edit does not publish');
    assert.ok(articleRow(s, a).version > v0);
    const log = audits(s, `comment:${id}`);
    assert.equal(log.length, 1);
    assert.equal(log[0].action, 'edit');
    assert.equal(log[0].before, 'teh *typo*');
    assert.equal(log[0].after, 'the **fixed** text\n\n<script>alert(1)</script>');
    // The queue shows the new text, and the source in the edit form.
    const q = await s.get('/mod/', { headers: { cookie: admin.cookie } });
    assert.match(q.body, /<strong>fixed<\/strong>/);
    assert.ok(q.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>'));
    // An empty edit is refused and changes nothing.
    const e = await act(s, admin, `/mod/comments/${id}/edit`, { body: '  \r\n ' });
    assert.equal(e.status, 422);
    assert.equal(audits(s, `comment:${id}`).length, 1);
  });

  test('bans: validated and normalised, listed, removed; all audited', async () => {
    const cases = [
      [{ kind: 'email', value: ' Spammer@Example.ORG ', reason: 'floods' }, 'email', 'spammer@example.org'],
      [{ kind: 'addr_hash', value: 'ABCDEF0123456789abcdef0123456789' }, 'addr_hash', 'abcdef0123456789abcdef0123456789'],
      [{ kind: 'prefix', value: '192.0.2.77' }, 'prefix', '192.0.2.0/24'],
      [{ kind: 'prefix', value: '198.51.100.0/24', days: '7' }, 'prefix', '198.51.100.0/24'],
      [{ kind: 'prefix', value: '2001:DB8:1:2::5' }, 'prefix', '2001:db8:1::/48'],
      [{ kind: 'prefix', value: '2001:db8:2::/48' }, 'prefix', '2001:db8:2::/48'],
    ];
    for (const [fields, kind, value] of cases) {
      const r = await act(s, admin, '/mod/bans', fields);
      assertBack(r, '/mod/bans');
      const row = s.sql(`SELECT * FROM bans WHERE kind = '${kind}' AND value = '${value}'`)[0];
      assert.ok(row, `${kind} ${value} stored`);
      assert.equal(row.moderator, adminId);
      if (fields.days) assert.ok(Math.abs(row.expires - row.created - 7 * 86400) <= 1);
      else assert.equal(row.expires, null);
      const log = audits(s, `ban:${row.id}`);
      assert.deepEqual(log.map((x) => [x.action, x.before]), [['ban', null]]);
      assert.ok(log[0].after.startsWith(`${kind}:${value}; ${fields.days ? 'until ' : 'no end'}`), log[0].after);
      assert.ok(log[0].after.endsWith(`reason: ${fields.reason || '(none given)'}`), log[0].after);
    }
    assert.equal(s.sql("SELECT reason FROM bans WHERE value = 'spammer@example.org'")[0].reason, 'floods');

    const n0 = s.sql('SELECT count(*) AS n FROM bans')[0].n;
    const bad = [
      { kind: 'email', value: 'no-at-sign' },
      { kind: 'email', value: '' },
      { kind: 'addr_hash', value: 'abc' },
      { kind: 'addr_hash', value: 'g'.repeat(32) },
      { kind: 'prefix', value: '10.0.0.0/8' },
      { kind: 'prefix', value: 'example.org' },
      { kind: 'prefix', value: '2001:db8::/32' },
      { kind: 'asn', value: '64496' },
      { kind: 'email', value: 'x@example.org', days: '0' },
      { kind: 'email', value: 'x@example.org', days: 'soon' },
      { kind: 'email', value: 'x@example.org', reason: 'two\nlines' },
    ];
    for (const fields of bad) {
      const r = await act(s, admin, '/mod/bans', fields);
      assert.equal(r.status, 422, JSON.stringify(fields));
      assert.match(r.body, /class="form-error"/);
    }
    // What was typed comes back, escaped.
    const echo = await act(s, admin, '/mod/bans', { kind: 'prefix', value: '"><b>x</b>' });
    assert.equal(echo.status, 422);
    assert.ok(echo.body.includes('value="&quot;&gt;&lt;b&gt;x&lt;/b&gt;"'));
    assert.equal(s.sql('SELECT count(*) AS n FROM bans')[0].n, n0);

    const list = await s.get('/mod/bans', { headers: { cookie: admin.cookie } });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('cache-control'), 'no-store');
    assert.ok(list.body.includes('spammer@example.org'));
    assert.ok(list.body.includes('2001:db8:1::/48'));
    const id = s.sql("SELECT id FROM bans WHERE value = '192.0.2.0/24'")[0].id;
    assert.ok(list.body.includes(`action="/mod/bans/${id}/delete"`));
    // Removing asks first, in place (the form's disclosure sends
    // confirm=yes), or on a page of its own when asked without it.
    assert.match(list.body, new RegExp(`<tr id="ban-${id}">[\\s\\S]*?<summary>Remove\u2026</summary>[\\s\\S]*?name="confirm" value="yes"`));
    let del = await act(s, admin, `/mod/bans/${id}/delete`);
    assert.equal(del.status, 200);
    assert.match(del.body, /Remove this ban\?/);
    assert.ok(del.body.includes('prefix:192.0.2.0/24; no end'));
    assert.equal(s.sql(`SELECT count(*) AS n FROM bans WHERE id = ${id}`)[0].n, 1);
    del = await act(s, admin, `/mod/bans/${id}/delete`, { confirm: 'yes' });
    assertBack(del, '/mod/bans');
    assert.equal(s.sql(`SELECT count(*) AS n FROM bans WHERE id = ${id}`)[0].n, 0);
    const trail = audits(s, `ban:${id}`);
    assert.deepEqual(trail.map((x) => x.action), ['ban', 'unban']);
    assert.equal(trail[1].before, trail[0].after, 'the ban lifted, as it was');
    assert.equal(trail[1].after, null);
    assert.equal((await act(s, admin, `/mod/bans/${id}/delete`, { confirm: 'yes' })).status, 404);
    assert.equal((await act(s, admin, `/mod/bans/${id}/delete`)).status, 404);
  });

  test('a banned e-mail posts silently into spam', async () => {
    // The ban from the bans test: spammer@example.org.
    const id = await comment(s, a, { author: 'Sp', email: 'SPAMMER@example.org', body: 'buy now' });
    assert.equal(status(s, id), 'spam');
  });

  test('close and open an article: posting is refused while closed', async () => {
    const b = Number(s.cli(['article', 'add', '--uri', '/m/closing/', '--title', 'Closing']).stdout);
    const list = await s.get('/mod/articles', { headers: { cookie: admin.cookie } });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('cache-control'), 'no-store');
    assert.ok(list.body.includes(`action="/mod/articles/${b}/close"`));
    const v0 = articleRow(s, b).version;
    let r = await act(s, admin, `/mod/articles/${b}/close`, { back: '/mod/articles' });
    assertBack(r, '/mod/articles');
    assert.equal(articleRow(s, b).closed, 1);
    assert.ok(articleRow(s, b).version > v0);
    const p = await post(s, `/articles/${b}/comments`, { parent: '', body: 'too late' });
    assert.equal(p.status, 403);
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE article = ${b}`)[0].n, 0);
    const l2 = await s.get('/mod/articles', { headers: { cookie: admin.cookie } });
    assert.ok(l2.body.includes(`action="/mod/articles/${b}/open"`));

    r = await act(s, admin, `/mod/articles/${b}/open`);
    assertBack(r, `/mod/articles/${b}`);
    assert.equal(articleRow(s, b).closed, 0);
    await comment(s, b, { body: 'open again' });
    assert.deepEqual(audits(s, `article:${b}`).map((x) => [x.action, x.actor, x.before, x.after]),
      [['article-add', 'cli', null, '/m/closing/ Closing'], ['close', 'boss', 'open', 'closed'],
        ['open', 'boss', 'closed', 'open']]);
    assert.equal((await act(s, admin, `/mod/articles/${b}/lock`)).status, 404);
    assert.equal((await act(s, admin, '/mod/articles/999999/close')).status, 404);
  });

  test('roles: moderators get 403 on accounts; admins add, reset and delete them', async () => {
    addUser(s, 'helper', 'moderator');
    const mod = await login(s, 'helper');
    let r = await s.get('/mod/users', { headers: { cookie: mod.cookie } });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    r = await act(s, mod, '/mod/users', { name: 'mine', role: 'admin', password: PW + '!' });
    assert.equal(r.status, 403);
    r = await act(s, mod, `/mod/users/${adminId}/delete`);
    assert.equal(r.status, 403);
    r = await act(s, mod, `/mod/users/${adminId}/password`, { password: 'taken over by helper' });
    assert.equal(r.status, 403);
    assert.equal(s.sql("SELECT count(*) AS n FROM moderators WHERE name = 'mine'")[0].n, 0);
    assert.equal(s.sql(`SELECT count(*) AS n FROM sessions WHERE moderator = ${adminId}`)[0].n >= 1, true);
    // But a moderator works the queue.
    const id = await comment(s, a, { body: 'for the helper' });
    assert.equal((await act(s, mod, `/mod/comments/${id}/approve`)).status, 303);
    assert.equal(audits(s, `comment:${id}`)[0].actor, 'helper');

    const page = await s.get('/mod/users', { headers: { cookie: admin.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<td data-label="Name">helper<\/td><td data-label="Role">moderator<\/td>/);
    assert.ok(!page.body.includes('$argon2'), 'never the hash');
    assert.ok(page.body.includes('href="/mod/users"'));

    const refused = [
      [{ name: 'newbie', role: 'moderator', password: 'short' }, 422],
      [{ name: 'newbie', role: 'moderator', password: 'NEWBIE' }, 422],
      [{ name: 'newbienewbie', role: 'moderator', password: 'NewbieNewbie' }, 422],
      [{ name: 'new bie', role: 'moderator', password: PW }, 422],
      [{ name: 'newbie', role: 'owner', password: PW }, 422],
      [{ name: '', role: 'moderator', password: PW }, 422],
      [{ name: 'helper', role: 'moderator', password: PW }, 409],
    ];
    for (const [fields, code] of refused) {
      r = await act(s, admin, '/mod/users', fields);
      assert.equal(r.status, code, JSON.stringify(fields));
      assert.match(r.body, /class="form-error"/);
    }
    r = await act(s, admin, '/mod/users', { name: 'newbie', role: 'moderator', password: 'newbie password 1' });
    const told = assertBack(r, '/mod/users');
    const note = await s.get(told, { headers: { cookie: admin.cookie } });
    assert.match(note.body, /id="mod-notice">\n<p>Added the account <a href="\/mod\/users#user-newbie">user:newbie<\/a>\.<\/p>/);
    assert.ok(!note.body.includes('class="mod-undo"'), 'an account is not undone');
    const nb = s.sql("SELECT id, role, hash FROM moderators WHERE name = 'newbie'")[0];
    assert.equal(nb.role, 'moderator');
    assert.match(nb.hash, /^\$argon2id\$/);
    assert.deepEqual(audits(s, 'user:newbie').map((x) => [x.action, x.actor, x.after]),
      [['user-add', 'boss', 'moderator']]);
    const newbie = await login(s, 'newbie', 'newbie password 1');

    // Reset: their sessions end; the new password works.
    r = await act(s, admin, `/mod/users/${nb.id}/password`, { password: 'short' });
    assert.equal(r.status, 422);
    r = await act(s, admin, `/mod/users/${nb.id}/password`, { password: 'another long password' });
    assert.equal(r.status, 303);
    assert.equal(s.sql(`SELECT count(*) AS n FROM sessions WHERE moderator = ${nb.id}`)[0].n, 0);
    assert.equal((await s.get('/mod/', { headers: { cookie: newbie.cookie } })).status, 303);
    assert.equal((await loginPost(s, 'newbie', 'newbie password 1')).status, 403);
    await login(s, 'newbie', 'another long password');

    // Delete: not yourself; others go with their sessions.
    r = await act(s, admin, `/mod/users/${adminId}/delete`, { confirm: 'yes' });
    assert.equal(r.status, 403);
    assert.match(r.body, /your own account/);
    // Deleting asks first: a page, nothing deleted.
    r = await act(s, admin, `/mod/users/${nb.id}/delete`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Delete this account\?/);
    assert.ok(r.body.includes('<li>newbie (moderator)</li>'));
    assert.equal(s.sql(`SELECT count(*) AS n FROM moderators WHERE id = ${nb.id}`)[0].n, 1);
    r = await act(s, admin, `/mod/users/${nb.id}/delete`, { confirm: 'yes' });
    assertBack(r, '/mod/users');
    assert.equal(s.sql(`SELECT count(*) AS n FROM moderators WHERE id = ${nb.id}`)[0].n, 0);
    assert.equal(s.sql(`SELECT count(*) AS n FROM sessions WHERE moderator = ${nb.id}`)[0].n, 0);
    assert.deepEqual(audits(s, 'user:newbie').map((x) => x.action), ['user-add', 'user-passwd', 'user-del']);
    assert.equal((await act(s, admin, `/mod/users/${nb.id}/delete`, { confirm: 'yes' })).status, 404);
    assert.equal((await act(s, admin, `/mod/users/${nb.id}/rename`)).status, 404);
    assert.equal(s.sql("SELECT count(*) AS n FROM moderators WHERE role = 'admin'")[0].n, 1);
  });

  test('the audit page: newest first, escaped before and after, paged', async () => {
    const id = await comment(s, a, { body: 'before <b>&</b>' });
    await act(s, admin, `/mod/comments/${id}/edit`, { body: 'after <i>"\'</i>' });
    await act(s, admin, `/mod/comments/${id}/approve`);
    const r = await s.get('/mod/audit', { headers: { cookie: admin.cookie } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const rows = [...r.body.matchAll(/<tr id="a(\d+)">/g)].map((m) => Number(m[1]));
    assert.ok(rows.length > 10);
    assert.deepEqual(rows, [...rows].sort((x, y) => y - x), 'newest first');
    const newest = s.sql('SELECT id, action, target FROM audit ORDER BY id DESC LIMIT 1')[0];
    assert.equal(rows[0], newest.id);
    assert.equal(newest.action, 'approve');
    assert.ok(r.body.includes(`<td data-label="Who">boss</td><td data-label="Action">approve</td>` +
      `<td data-label="Target"><a href="/mod/comments/${id}">comment:${id}</a> ` +
      `<a class="mod-context" href="/c/${id}">in context</a></td>`));
    assert.ok(r.body.includes('<del class="mod-before">before &lt;b&gt;&amp;&lt;/b&gt;</del>'));
    assert.ok(r.body.includes('<ins class="mod-after">after &lt;i&gt;&quot;&#39;&lt;/i&gt;</ins>'));
    // Keyset paging: 50 a page, then older ones.
    const total = s.sql('SELECT count(*) AS n FROM audit')[0].n;
    if (total > 50) {
      assert.equal(rows.length, 50);
      const m = r.body.match(/href="\/mod\/audit\?before=(\d+)"/);
      assert.ok(m);
      const p2 = await s.get(`/mod/audit?before=${m[1]}`, { headers: { cookie: admin.cookie } });
      const rows2 = [...p2.body.matchAll(/<tr id="a(\d+)">/g)].map((x) => Number(x[1]));
      assert.ok(rows2.length > 0 && Math.max(...rows2) < Math.min(...rows));
    }
  });

  test('pending comments are invisible on every public path until approved', async () => {
    const b = Number(s.cli(['article', 'add', '--uri', '/m/hidden/', '--title', 'Hidden']).stdout);
    const id = await comment(s, b, { author: 'Waiting', body: 'secretpendingtext' });
    assert.equal(status(s, id), 'pending');
    const paths = ['/', `/articles/${b}`, '/api/comments?uri=' + encodeURIComponent('/m/hidden/'),
      '/api/counts?uri=' + encodeURIComponent('/m/hidden/')];
    for (const p of paths) {
      const r = await s.get(p);
      assert.equal(r.status, 200, p);
      assert.ok(!r.body.includes('secretpendingtext'), p);
      assert.ok(!r.body.includes(`c${id}"`), p);
    }
    assert.deepEqual(JSON.parse((await s.get(paths[3])).body), { '/m/hidden/': 0 });
    const thread = JSON.parse((await s.get(paths[2])).body);
    assert.deepEqual(thread.comments, []);
    assert.equal(thread.article.count, 0);
    assert.match((await s.get('/')).body, /Hidden<\/a> <span class="meta">.*0 comments/);

    assert.equal((await act(s, admin, `/mod/comments/${id}/approve`)).status, 303);
    assert.ok((await s.get(`/articles/${b}`)).body.includes('secretpendingtext'));
    assert.deepEqual(JSON.parse((await s.get(paths[2])).body).comments.map((c) => c.id), [id]);
    assert.deepEqual(JSON.parse((await s.get(paths[3])).body), { '/m/hidden/': 1 });
    assert.match((await s.get('/')).body, /Hidden<\/a> <span class="meta">.*1 comment</);
    // Spam and deleted are hidden again.
    for (const to of ['spam', 'delete']) {
      assert.equal((await act(s, admin, `/mod/comments/${id}/${to}`, { confirm: 'yes' })).status, 303);
      assert.ok(!(await s.get(`/articles/${b}`)).body.includes('secretpendingtext'), to);
      assert.ok(!(await s.get(paths[2])).body.includes('secretpendingtext'), to);
    }
  });

  test('the queue: tabs with counts, article filter, search, keyset pages', async () => {
    const b = Number(s.cli(['article', 'add', '--uri', '/m/many/', '--title', 'Many']).stdout);
    const ids = [];
    for (let i = 0; i < 53; i++) ids.push(await comment(s, b, { author: `P${i}`, body: `bulk post number ${i}` }));
    const marked = await comment(s, b, { author: 'Zed', body: 'a zebrafish swims by' });
    const cookie = admin.cookie;

    let r = await s.get(`/mod/?article=${b}`, { headers: { cookie } });
    assert.equal(r.status, 200);
    let shown = [...r.body.matchAll(/<li class="mod-item" id="c(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(shown.length, 50);
    assert.deepEqual(shown, ids.slice(0, 50), 'pending: oldest first');
    assert.match(r.body, /aria-current="page">Pending <span class="mod-count">\(54\)<\/span>/);
    const next = r.body.match(/<a rel="next" href="([^"]+)">/);
    assert.ok(next);
    assert.equal(next[1], `/mod/?status=pending&amp;article=${b}&amp;cursor=${ids[49]}`);
    r = await s.get(next[1].replaceAll('&amp;', '&'), { headers: { cookie } });
    shown = [...r.body.matchAll(/<li class="mod-item" id="c(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(shown, [...ids.slice(50), marked]);
    assert.ok(!/rel="next"/.test(r.body));
    // Each item's forms come back here.
    assert.ok(r.body.includes(`name="back" value="/mod/?status=pending&amp;article=${b}&amp;cursor=${ids[49]}"`));

    r = await s.get(`/mod/?article=${b}&q=zebrafish`, { headers: { cookie } });
    shown = [...r.body.matchAll(/<li class="mod-item" id="c(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(shown, [marked]);
    assert.ok(r.body.includes('value="zebrafish"'));
    r = await s.get('/mod/?q=%22%29%20OR%20*', { headers: { cookie } });
    assert.equal(r.status, 200, 'FTS syntax in the search is just words');

    // Spam tab: newest first.
    const spam = ids.slice(0, 3);
    await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...spam.map((x) => ['id', String(x)]),
      ['action', 'spam']], cookie);
    r = await s.get(`/mod/?status=spam&article=${b}`, { headers: { cookie } });
    shown = [...r.body.matchAll(/<li class="mod-item" id="c(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(shown, [...spam].reverse());
    assert.match(r.body, /aria-current="page">Spam <span class="mod-count">\(3\)<\/span>/);
    assert.match(r.body, /Pending <span class="mod-count">\(51\)<\/span>/);
    // The spam tab offers approve, not spam.
    assert.ok(r.body.includes(`formaction="/mod/comments/${spam[0]}/approve"`));
    assert.ok(!r.body.includes(`formaction="/mod/comments/${spam[0]}/spam"`));

    assert.equal((await s.get('/mod/?status=published', { headers: { cookie } })).status, 400);
    // Tidy up for the tests after: approve the rest.
    await post(s, '/mod/comments/bulk', [['csrf', admin.csrf], ...ids.slice(3).map((x) => ['id', String(x)]),
      ['id', String(marked)], ['action', 'approve']], cookie);
    assert.equal(articleRow(s, b).ncomments, 51);
  });

  test('the queue shows what a moderator needs, and reader text is inert', async () => {
    const XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>\'';
    const parent = await comment(s, a, { author: 'Parent <b>', body: 'the parent <svg onload=alert(1)>' });
    await act(s, admin, `/mod/comments/${parent}/approve`);
    const id = await comment(s, a, { parent: String(parent), author: XSS.slice(0, 60), email: 'x@example.org',
      website: 'https://evil.example/"><script>', body: XSS + '\n\n[x](javascript:alert(1)) <details open ontoggle=alert(1)>' });
    const st = status(s, id);
    const r = await s.get(`/mod/?status=${st}`, { headers: { cookie: admin.cookie } });
    assert.equal(r.status, 200);
    const item = r.body.match(new RegExp(`<li class="mod-item" id="c${id}"[\\s\\S]*?</article>\n</li>`))[0];
    assert.ok(item.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img'), 'author escaped');
    assert.ok(item.includes('x@example.org'));
    assert.match(item, /<code>[0-9a-f]{32}<\/code>/);
    assert.ok(item.includes('In reply to <strong>Parent &lt;b&gt;</strong>'));
    // The parent as readers see it: rendered, its raw HTML inert text.
    assert.ok(item.includes(`<blockquote class="body" tabindex="0" aria-labelledby="c${id}-p">` +
      '<p>the parent &lt;svg onload=alert(1)&gt;</p>'), item);
    assert.ok(item.includes(`<a class="mod-context" href="/articles/${a}#c${id}">View in context</a>`));
    assert.ok(item.includes('Moderated'));
    assert.match(item, /<time datetime="/);
    assert.ok(item.includes(`<input type="checkbox" form="bulk" name="id" value="${id}"`));
    assert.ok(item.includes(`action="/mod/comments/${id}/edit"`));
    assert.ok(item.includes(`href="/mod/comments/${id}/ban?kind=email&amp;back=%2Fmod%2F%3Fstatus%3D${st}">Ban e-mail\u2026</a>`));
    assert.ok(item.includes(`href="/mod/comments/${id}/ban?kind=addr_hash&amp;back=%2Fmod%2F%3Fstatus%3D${st}">Ban address\u2026</a>`));
    // Nothing the reader typed is live anywhere on the page.
    const page = r.body.replace('<script src="/static/mod.js" defer></script>', '');
    assert.ok(!/<script/i.test(page), 'no <script');
    assert.ok(!/<img/i.test(page), 'no <img');
    assert.ok(!/<svg/i.test(page), 'no <svg');
    assert.equal(page.match(/<details/g).length, page.match(/<details class="mod-(edit|confirm)"/g).length);
    for (const m of page.matchAll(/<[a-z][^>]*>/gi)) {
      const bare = m[0].replace(/"[^"]*"/g, '""');
      assert.ok(!/\son\w+\s*=/i.test(bare), `event handler in ${m[0]}`);
      assert.ok(!/'/.test(bare), `unquoted or single-quoted attribute in ${m[0]}`);
      assert.ok(!/\sstyle\s*=/i.test(bare), `inline style in ${m[0]}`);
    }
    for (const m of page.matchAll(/href="([^"]*)"/g)) {
      assert.ok(/^(\/|#|https?:\/\/[^/]|mailto:)/.test(m[1]), `safe href ${m[1]}`);
    }
    assert.ok(!page.includes('href="https://evil.example'), 'websites are shown, not linked');
  });

  test('mod.js and the stylesheet are served', async () => {
    const js = await s.get('/static/mod.js');
    assert.equal(js.status, 200);
    assert.match(js.body, /keydown/);
    const css = await s.get('/static/palaver.css');
    assert.match(css.body, /Moderators' pages/);
  });
});

describe('login', () => {
  let s;
  before(async () => {
    s = await new Server({ auth: { ...CHEAP, login_attempts: 3 } }).start();
    addUser(s, 'alice', 'admin');
  });
  after(async () => { await s.stop(); });

  test('a wrong name and a wrong password look the same', async () => {
    const n = await loginPost(s, 'nobody', PW);
    const p = await loginPost(s, 'alice', 'not the password at all');
    assert.equal(n.status, 403);
    assert.equal(p.status, 403);
    const msg = (b) => b.match(/id="login-error">([^<]*)</)[1];
    assert.equal(msg(n.body), msg(p.body));
    assert.equal(msg(n.body), 'Wrong name or password.');
    assert.equal(setCookie(n, 'palaver_session'), undefined);
    assert.equal(setCookie(p, 'palaver_session'), undefined);
    assert.deepEqual(s.sql("SELECT actor, action FROM audit WHERE action = 'login-failed' ORDER BY id"),
      [{ actor: 'nobody', action: 'login-failed' }, { actor: 'alice', action: 'login-failed' }]);
  });

  test('after login_attempts failures: 429 with Retry-After, before any hashing', async () => {
    // Throttled by the pair of name and network: alice failed once above.
    const second = await loginPost(s, 'alice', 'still not the password');
    assert.equal(second.status, 403);
    const third = await loginPost(s, 'alice', 'not it either');
    assert.equal(third.status, 403);
    const t0 = Date.now();
    const r = await loginPost(s, 'alice', PW);
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.equal(setCookie(r, 'palaver_session'), undefined);
    assert.match(r.body, /Too many failed logins/);
    assert.ok(Date.now() - t0 < 2000);
    // The failures stop counting once throttled: no row per refused try.
    assert.equal(s.sql('SELECT count(*) AS n FROM login_failures')[0].n, 4);
    assert.equal(s.sql("SELECT count(*) AS n FROM audit WHERE action = 'login-throttled'")[0].n, 1);
    assert.equal(s.sql('SELECT count(*) AS n FROM sessions')[0].n, 0);
  });
});
