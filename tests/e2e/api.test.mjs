// api.test.mjs: the JSON API through real nginx: threads as trees, paging,
// posting, refusals, author edits and deletes, counts, caching, escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, SQL, assertSecurityHeaders, fresh, freshArg, PUBLIC } from './lib.mjs';

const MAX_COMMENT = 300;
let s;	// post-moderation, page_size 3
let p;	// pre-moderation
let l;	// rate-limited, one-second edit window

before(async () => {
  s = await new Server({
    moderation: { page_size: 3, max_comment: MAX_COMMENT },
    spam: { posts_per_minute: 0 },
  }).start();
  p = await new Server({
    moderation: { mode: 'pre', page_size: 3 },
    spam: { posts_per_minute: 0 },
  }).start();
  l = await new Server({
    moderation: { edit_window: 1 },
    spam: { posts_per_minute: 2 },
  }).start();
});

after(async () => {
  for (const x of [s, p, l]) if (x) await x.stop();
});

let seq = 0;
// A fresh article on server srv; returns { id, uri }.
function article(srv, title = 'An article') {
  const uri = `/posts/${++seq}-${Date.now()}/`;
  const r = srv.cli(['article', 'add', '--uri', uri, '--title', title]);
  assert.equal(r.status, 0, r.stderr);
  const id = Number(r.stdout.trim());
  assert.ok(id > 0);
  return { id, uri };
}

const q = (uri) => encodeURIComponent(uri);

// One API request.  body: an object (sent as JSON) or a string (as is).
async function api(srv, method, path, body, headers = {}) {
  const h = { ...headers };
  const opts = { method, headers: h };
  if (body !== undefined) {
    opts.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  }
  const r = await srv.fetch(path, opts);
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, text, json };
}

// Every API answer: JSON with a charset, and the security headers.
function assertJson(r) {
  assertSecurityHeaders(assert, r.headers);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.notEqual(r.json, undefined, `not JSON: ${r.text}`);
}

function assertError(r, status, field, re) {
  assert.equal(r.status, status, r.text);
  assertJson(r);
  assert.equal(typeof r.json.error, 'string');
  assert.ok(r.json.error.length > 10, r.text);
  if (field === null) assert.ok(!('field' in r.json), r.text);
  else assert.equal(r.json.field, field, r.text);
  if (re) assert.match(r.json.error, re);
}

const post = (srv, uri, body, headers) => api(srv, 'POST', `/api/comments?uri=${q(uri)}`, body, headers);
const thread = (srv, uri, extra = '', headers) => api(srv, 'GET', `/api/comments?uri=${q(uri)}${extra}`, undefined, headers);
const ncomments = (srv) => srv.sql('SELECT count(*) AS n FROM comments')[0].n;

// Depth-first ids of a tree.
function flat(tree) {
  const out = [];
  const walk = (v) => { for (const c of v) { out.push(c.id); walk(c.replies); } };
  walk(tree);
  return out;
}

test('POST creates a comment: 201, the comment, token, cookie; the row matches', async () => {
  const a = article(s);
  const t0 = Math.floor(Date.now() / 1000);
  const r = await post(s, a.uri, {
    author: 'Ann', email: 'ann@example.org', website: 'https://ann.example/', body: 'Hello *world*',
  });
  assert.equal(r.status, 201, r.text);
  assertJson(r);
  const c = r.json;
  assert.ok(Number.isInteger(c.id) && c.id > 0);
  assert.equal(c.parent, null);
  assert.equal(c.author, 'Ann');
  assert.equal(c.website, 'https://ann.example/');
  assert.equal(c.html, '<p>Hello <em>world</em></p>\n');
  assert.equal(c.status, 'approved');
  assert.equal(c.edited, null);
  assert.deepEqual(c.replies, []);
  assert.ok(c.created >= t0 - 1 && c.created <= t0 + 5);
  assert.equal(c.edit_until, c.created + 900);
  assert.match(c.token, new RegExp(`^${c.id}\\.`));
  assert.ok(!('email' in c));
  assert.ok(!r.text.includes('ann@example.org'));
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const ck = r.headers.get('set-cookie');
  assert.match(ck, /^palaver_author=/);
  assert.ok(ck.includes(c.token));
  assert.match(ck, /HttpOnly/);
  const rows = s.sql(`SELECT article, parent, author, email, website, body, status, addr_hash, user_agent
    FROM comments WHERE id = ${c.id}`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].article, a.id);
  assert.equal(rows[0].parent, null);
  assert.equal(rows[0].email, 'ann@example.org');
  assert.equal(rows[0].body, 'Hello *world*');
  assert.equal(rows[0].status, 'approved');
  assert.ok(rows[0].addr_hash);
  assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${a.id}`)[0].ncomments, 1);

  // The thread shows it, without the e-mail, address hash or user agent.
  const g = await thread(s, a.uri);
  assert.equal(g.status, 200);
  assertJson(g);
  assert.deepEqual(g.json.article, { id: a.id, uri: a.uri, title: 'An article', closed: false,
    version: g.json.article.version, count: 1 });
  assert.ok(g.json.article.version >= 1);
  assert.equal(g.json.total, 1);
  assert.equal(g.json.next, null);
  assert.equal(g.json.comments.length, 1);
  const { id, parent, author, website, html, created, edited, status, replies } = g.json.comments[0];
  assert.deepEqual(Object.keys(g.json.comments[0]).sort(),
    ['author', 'created', 'down', 'edited', 'html', 'id', 'parent', 'replies', 'status', 'up', 'website']);
  assert.deepEqual({ id, parent, author, website, html, created, edited, status, replies },
    { id: c.id, parent: null, author: 'Ann', website: 'https://ann.example/', html: c.html,
      created: c.created, edited: null, status: 'approved', replies: [] });
  assert.ok(!g.text.includes('ann@example.org'));
  assert.ok(!g.text.includes(rows[0].addr_hash));
  assert.ok(!/email|addr|user_agent|agent/.test(g.text));
});

test('a reply chain 10 deep, posted through the API, comes back as a nested tree', async () => {
  const a = article(s);
  const root = await post(s, a.uri, { body: 'root' });
  assert.equal(root.status, 201);
  assert.equal(root.json.author, 'Anonymous');
  const ids = [root.json.id];
  for (let i = 1; i <= 10; i++) {
    // parent as an integer, or as a decimal string: both are accepted.
    const parent = i % 2 ? ids[i - 1] : String(ids[i - 1]);
    const r = await post(s, a.uri, { parent, author: `L${i}`, body: `level ${i}` });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.parent, ids[i - 1]);
    ids.push(r.json.id);
  }
  // A second root with one reply, to check siblings do not nest.
  const root2 = await post(s, a.uri, { body: 'second root', parent: null });
  const r2 = await post(s, a.uri, { body: 'reply to second', parent: root2.json.id });
  const g = await thread(s, a.uri);
  assert.equal(g.status, 200);
  assert.equal(g.json.total, 13);
  assert.equal(g.json.comments.length, 2);
  let node = g.json.comments[0];
  assert.equal(node.id, ids[0]);
  assert.equal(node.parent, null);
  for (let i = 1; i <= 10; i++) {
    assert.equal(node.replies.length, 1, `level ${i - 1} has one reply`);
    node = node.replies[0];
    assert.equal(node.id, ids[i]);
    assert.equal(node.parent, ids[i - 1]);
    assert.equal(node.author, `L${i}`);
    assert.equal(node.html, `<p>level ${i}</p>\n`);
  }
  assert.deepEqual(node.replies, []);
  assert.equal(g.json.comments[1].id, root2.json.id);
  assert.deepEqual(g.json.comments[1].replies.map((c) => c.id), [r2.json.id]);
  assert.deepEqual(g.json.comments[1].replies[0].replies, []);
  // The database agrees: depth and parent of each link.
  const rows = s.sql(`SELECT id, parent, depth, root FROM comments WHERE article = ${a.id} ORDER BY id`);
  for (let i = 0; i <= 10; i++) {
    const row = rows.find((x) => x.id === ids[i]);
    assert.equal(row.depth, i);
    assert.equal(row.parent, i ? ids[i - 1] : null);
    assert.equal(row.root, ids[0]);
  }
});

test('paging: page_size roots with their replies, a next cursor, newest order', async () => {
  const a = article(s);
  const roots = [];
  const replyOf = {};
  for (let i = 0; i < 7; i++) {
    const r = await post(s, a.uri, { body: `root ${i}` });
    assert.equal(r.status, 201);
    roots.push(r.json.id);
  }
  // Replies to the first and the last root come with them on their page.
  for (const i of [0, 6]) {
    const r = await post(s, a.uri, { body: `reply to ${i}`, parent: roots[i] });
    replyOf[i] = r.json.id;
  }
  let g = await thread(s, a.uri);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.comments.map((c) => c.id), roots.slice(0, 3));
  assert.deepEqual(g.json.comments[0].replies.map((c) => c.id), [replyOf[0]]);
  assert.equal(g.json.next, roots[2]);
  assert.equal(g.json.total, 9);
  assert.equal(g.json.article.count, 9);
  g = await thread(s, a.uri, `&after=${g.json.next}`);
  assert.deepEqual(g.json.comments.map((c) => c.id), roots.slice(3, 6));
  assert.equal(g.json.next, roots[5]);
  assert.equal(g.json.total, 9);
  g = await thread(s, a.uri, `&after=${g.json.next}`);
  assert.deepEqual(g.json.comments.map((c) => c.id), [roots[6]]);
  assert.deepEqual(g.json.comments[0].replies.map((c) => c.id), [replyOf[6]]);
  assert.equal(g.json.next, null);

  // Newest first: roots descending, replies still under their root.
  g = await thread(s, a.uri, '&order=newest');
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.comments.map((c) => c.id), [roots[6], roots[5], roots[4]]);
  assert.deepEqual(g.json.comments[0].replies.map((c) => c.id), [replyOf[6]]);
  assert.equal(g.json.next, roots[4]);
  g = await thread(s, a.uri, `&order=newest&after=${g.json.next}`);
  assert.deepEqual(g.json.comments.map((c) => c.id), [roots[3], roots[2], roots[1]]);
  g = await thread(s, a.uri, `&order=newest&after=${g.json.next}`);
  assert.deepEqual(flat(g.json.comments), [roots[0], replyOf[0]]);
  assert.equal(g.json.next, null);

  // Bad cursors and orders are refused by name.
  assertError(await thread(s, a.uri, '&after=abc'), 400, 'after');
  assertError(await thread(s, a.uri, '&after=0'), 400, 'after');
  assertError(await thread(s, a.uri, '&order=sideways'), 400, 'order');
});

test('GET: unknown uri 404, missing uri 400, both naming the field', async () => {
  assertError(await api(s, 'GET', '/api/comments?uri=%2Fno%2Fsuch%2F'), 404, 'uri',
    /^There is no thread for this address\.$/);
  assertError(await api(s, 'GET', '/api/comments'), 400, 'uri');
  assertError(await api(s, 'GET', '/api/comments?uri='), 400, 'uri');
  assertError(await api(s, 'GET', '/api/comments?uri=a%00b'), 400, 'uri');
  assertError(await api(s, 'GET', '/api/comments?uri=%ff%fe'), 400, 'uri');
  // Unknown API paths and methods answer JSON too.
  assertError(await api(s, 'GET', '/api/nothing'), 404, null);
  const m = await api(s, 'PATCH', '/api/comments');
  assert.equal(m.status, 405);
  assertJson(m);
  assert.match(m.headers.get('allow'), /GET, HEAD, POST/);
});

test('counts: repeated uri keys, unknown uris 0, limits', async () => {
  const a = article(s);
  const b = article(s);
  for (let i = 0; i < 3; i++) assert.equal((await post(s, a.uri, { body: `a${i}` })).status, 201);
  assert.equal((await post(s, b.uri, { body: 'b' })).status, 201);
  // A pending comment does not count.
  s.sql(`UPDATE comments SET status = 'pending' WHERE id = (SELECT max(id) FROM comments WHERE article = ${a.id})`);
  s.sql(`UPDATE articles SET ncomments = ncomments - 1 WHERE id = ${a.id}`);
  const r = await api(s, 'GET', `/api/counts?uri=${q(a.uri)}&uri=${q(b.uri)}&uri=%2Fnope%2F&uri=${q(a.uri)}`);
  assert.equal(r.status, 200, r.text);
  assertJson(r);
  assert.deepEqual(r.json, { [a.uri]: 2, [b.uri]: 1, '/nope/': 0 });
  // Exactly 100 is fine, 101 is not.
  const many = (n) => Array.from({ length: n }, (_, i) => `uri=%2Fx${i}`).join('&');
  const ok = await api(s, 'GET', `/api/counts?${many(100)}`);
  assert.equal(ok.status, 200);
  assert.equal(Object.keys(ok.json).length, 100);
  assert.ok(Object.values(ok.json).every((n) => n === 0));
  assertError(await api(s, 'GET', `/api/counts?${many(101)}`), 400, 'uri', /100/);
  assertError(await api(s, 'GET', '/api/counts'), 400, 'uri');
  assertError(await api(s, 'GET', '/api/counts?uri=%01'), 400, 'uri');
});

test('one key whatever names the page: addresses, dot segments, encodings; a query finds only its own thread', async () => {
  const a = article(s);
  assert.equal((await post(s, a.uri, { body: 'keyed' })).status, 201);
  const seg = a.uri.split('/').filter(Boolean);
  // The same thread by its address, with dots and a lower-case encoding.
  for (const u of [`https://blog.example.org${a.uri}?utm=x#c1`, `//blog.example.org${a.uri}`,
    `/${seg[0]}/./x/../${seg[1]}/`, `/%${'70'}osts/${seg[1]}/`]) {
    const r = await thread(s, u);
    assert.equal(r.status, 200, `${u}: ${r.text}`);
    assert.equal(r.json.comments[0].html, '<p>keyed</p>\n');
  }
  // Counts are looked up by key but answered by what was asked.
  const asked = `https://blog.example.org${a.uri}?utm=x`;
  const c = await api(s, 'GET', `/api/counts?uri=${q(asked)}&uri=${q('no-key')}`);
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.json, { [asked]: 1, 'no-key': 0 });
  // A thread keyed with its query (an import with --keep-query) is found
  // by it; another query falls back to the path's thread.
  const wp = s.cli(['article', 'add', '--keep-query', '--uri', '/?p=123', '--title', 'WP']);
  assert.equal(wp.status, 0, wp.stderr);
  assert.equal((await post(s, '/?p=123', { body: 'by query' })).status, 201);
  assert.equal(s.sql("SELECT count(*) AS n FROM comments c JOIN articles a ON a.id = c.article WHERE a.uri = '/?p=123'")[0].n, 1);
  assert.equal((await thread(s, '/?p=124')).status, 404);
  // What names no page is refused, naming the field.
  assertError(await api(s, 'GET', '/api/comments?uri=no-slash'), 400, 'uri');
  assert.equal((await api(s, 'GET', '/embed?uri=no-slash')).status, 400);
});

test('POST refuses bodies not declared as JSON with 415', async () => {
  const a = article(s);
  const n0 = ncomments(s);
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/jsonp', 'text/json']) {
    const r = await post(s, a.uri, JSON.stringify({ body: 'sneaky' }), { 'content-type': ct });
    assertError(r, 415, null, /application\/json/);
  }
  const none = await s.fetch(`/api/comments?uri=${q(a.uri)}`, { method: 'POST', body: new Uint8Array(Buffer.from('{"body":"x"}')) });
  assert.equal(none.status, 415);
  // With parameters and in another case it is still JSON.
  const r = await post(s, a.uri, { body: 'fine' }, { 'Content-Type': 'Application/JSON; charset=utf-8' });
  assert.equal(r.status, 201, r.text);
  assert.equal(ncomments(s), n0 + 1);
});

test('POST refuses malformed JSON and wrong types with 400, naming the field', async () => {
  const a = article(s);
  const n0 = ncomments(s);
  for (const bad of ['{"body": "x"', '{"body": "x"} trailing', '', '   ', 'nul', '{body: "x"}',
    '{"body": "x", "body": "y"}', '{"body": "\\ud800"}', '{"body": "\\udc00x"}', '{"body": "a\\qb"}',
    Buffer.concat([Buffer.from('{"body": "'), Buffer.from([0xff]), Buffer.from('"}')]), '{"parent": 123456789012345678901234567890, "body": "x"}', '[' .repeat(5000)]) {
    const r = await post(s, a.uri, bad);
    assertError(r, 400, null, /JSON/);
  }
  for (const notobj of ['[]', '"body"', '42', 'null', '[{"body": "x"}]']) {
    assertError(await post(s, a.uri, notobj), 400, null, /object/);
  }
  for (const [body, field] of [
    [{ parent: { id: 1 }, body: 'x' }, 'parent'],
    [{ parent: 1.5, body: 'x' }, 'parent'],
    [{ parent: true, body: 'x' }, 'parent'],
    [{ parent: [1], body: 'x' }, 'parent'],
    [{ body: 42 }, 'body'],
    [{ body: ['x'] }, 'body'],
    [{ body: 'x', author: false }, 'author'],
    [{ body: 'x', email: 1 }, 'email'],
    [{ body: 'x', website: {} }, 'website'],
    [{ body: 'x', token: 7 }, 'token'],
  ]) {
    assertError(await post(s, a.uri, body), 400, field);
  }
  assert.equal(ncomments(s), n0);
});

test('POST validates fields: 422 or 413 with the field', async () => {
  const a = article(s);
  const n0 = ncomments(s);
  const cases = [
    [{}, 422, 'body'],
    [{ body: null }, 422, 'body'],
    [{ body: '' }, 422, 'body'],
    [{ body: ' \n\t ' }, 422, 'body'],
    [{ body: 'a\u0001b' }, 422, 'body'],
    [{ body: 'a\u0000b' }, 422, 'body'],
    [{ body: 'a\u0085b' }, 422, 'body'],
    [{ body: 'x'.repeat(MAX_COMMENT + 1) }, 413, 'body'],
    [{ body: '\u00e9'.repeat(MAX_COMMENT + 1) }, 413, 'body'],
    [{ body: 'x', email: 'not-an-address' }, 422, 'email'],
    [{ body: 'x', email: 'a@b' }, 422, 'email'],
    [{ body: 'x', email: 'a@b.c\u0000' }, 422, 'email'],
    [{ body: 'x', website: 'javascript:alert(1)' }, 422, 'website'],
    [{ body: 'x', website: 'ftp://example.org/' }, 422, 'website'],
    [{ body: 'x', author: 'two\nlines' }, 422, 'author'],
    [{ body: 'x', author: 'n'.repeat(65) }, 422, 'author'],
    [{ body: 'x', parent: 99999999 }, 422, 'parent'],
    [{ body: 'x', parent: 0 }, 422, 'parent'],
    [{ body: 'x', parent: -3 }, 422, 'parent'],
    [{ body: 'x', parent: '12abc' }, 422, 'parent'],
  ];
  for (const [body, status, field] of cases) {
    const r = await post(s, a.uri, body);
    assertError(r, status, field);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  // Exactly max_comment characters is accepted.
  const okr = await post(s, a.uri, { body: '\u00e9'.repeat(MAX_COMMENT) });
  assert.equal(okr.status, 201, okr.text);
  // A parent on another article is refused as unknown.
  const other = article(s);
  const elsewhere = await post(s, other.uri, { body: 'elsewhere' });
  assertError(await post(s, a.uri, { body: 'x', parent: elsewhere.json.id }), 422, 'parent');
  // Bigger than [server] max_body: 413 before the body is read.
  const huge = await post(s, a.uri, { body: 'y'.repeat(70000) });
  assertError(huge, 413, null);
  assert.equal(ncomments(s), n0 + 2);
});

test('POST: unknown uri 404, missing uri 400, closed article 403', async () => {
  const n0 = ncomments(s);
  assertError(await post(s, '/never/added/', { body: 'x' }), 404, 'uri');
  assertError(await api(s, 'POST', '/api/comments', { body: 'x' }), 400, 'uri');
  assert.equal(s.sql(`SELECT count(*) AS n FROM articles WHERE uri = '/never/added/'`)[0].n, 0);
  const a = article(s);
  s.sql(`UPDATE articles SET closed = 1 WHERE id = ${a.id}`);
  assertError(await post(s, a.uri, { body: 'too late' }), 403, null, /closed/);
  const g = await thread(s, a.uri);
  assert.equal(g.json.article.closed, true);
  assert.equal(ncomments(s), n0);
});

test('pre-moderation: pending, seen only by its author, placeholders keep the shape', async () => {
  const a = article(p);
  const r = await post(p, a.uri, { author: 'Pat', body: 'wait for me' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.equal(p.sql(`SELECT status FROM comments WHERE id = ${r.json.id}`)[0].status, 'pending');
  assert.equal(p.sql(`SELECT ncomments FROM articles WHERE id = ${a.id}`)[0].ncomments, 0);
  // Anonymous readers: nothing, and a shared-cacheable answer.
  let g = await thread(p, a.uri);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.comments, []);
  assert.equal(g.json.total, 0);
  assert.equal(g.headers.get('cache-control'), PUBLIC);
  assert.ok(g.headers.get('etag'));
  // With the token in the query: visible, marked pending, private.
  g = await thread(p, a.uri, `&token=${encodeURIComponent(r.json.token)}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.comments.map((c) => [c.id, c.status, c.author]), [[r.json.id, 'pending', 'Pat']]);
  assert.equal(g.json.total, 0);
  assert.equal(g.headers.get('cache-control'), 'private, no-cache');
  assert.equal(g.headers.get('etag'), null);
  // With the cookie the POST set: the same.
  const cookie = r.headers.get('set-cookie').split(';')[0];
  g = await thread(p, a.uri, '', { cookie });
  assert.deepEqual(g.json.comments.map((c) => c.status), ['pending']);
  assert.equal(g.headers.get('cache-control'), 'private, no-cache');
  // A forged token shows nothing.
  const forged = r.json.token.slice(0, -2) + (r.json.token.endsWith('AA') ? 'BB' : 'AA');
  g = await thread(p, a.uri, `&token=${encodeURIComponent(forged)}`);
  assert.deepEqual(g.json.comments, []);

  // The author may reply to their own pending comment (cookie).
  const rep = await post(p, a.uri, { body: 'my own follow-up', parent: r.json.id }, { cookie });
  assert.equal(rep.status, 201, rep.text);
  // Someone else may not.
  assertError(await post(p, a.uri, { body: 'nosy', parent: r.json.id }), 422, 'parent');

  // Approved root, pending middle, approved grandchild: the middle is a
  // placeholder for everyone else, with no author or text.
  const root = await post(p, a.uri, { body: 'root' });
  p.sql(`UPDATE comments SET status = 'approved' WHERE id = ${root.json.id}`);
  const mid = await post(p, a.uri, { author: 'Secret Sam', body: 'secret middle', parent: root.json.id });
  const ch = p.sql(`SELECT max(id) + 100 AS id FROM comments`)[0].id;
  // The grandchild straight into the database, approved (as a moderator
  // would leave it), under the pending middle.
  const path = p.sql(`SELECT ${SQL.hex('path')} AS h, depth FROM comments WHERE id = ${mid.json.id}`)[0];
  p.sql(`INSERT INTO comments (id, article, parent, root, depth, path, author, body, html, status, created)
    VALUES (${ch}, ${a.id}, ${mid.json.id}, ${root.json.id}, ${path.depth + 1}, ${SQL.blob(path.h + ch.toString(16).padStart(16, '0'))},
    'Gina', 'g', '<p>grandchild</p>', 'approved', ${SQL.now})`);
  p.sql(`UPDATE articles SET version = version + 1 WHERE id = ${a.id}`);
  // palaver's answer now, not nginx's copy of the one before (for a
  // second or two: microcache.test.mjs).
  g = await thread(p, a.uri, `&${freshArg()}`);
  assert.equal(g.json.comments.length, 1);
  const m = g.json.comments[0].replies[0];
  assert.deepEqual({ ...m, created: 0 }, { id: mid.json.id, parent: root.json.id, author: '', website: null,
    html: '', created: 0, edited: null, status: 'hidden', up: 0, down: 0,
    replies: [{ ...m.replies[0] }] });
  assert.equal(m.replies[0].id, ch);
  assert.equal(m.replies[0].author, 'Gina');
  assert.ok(!g.text.includes('Secret Sam'));
  assert.ok(!g.text.includes('secret middle'));
  // Its author sees it as their pending comment instead.
  g = await thread(p, a.uri, `&token=${encodeURIComponent(mid.json.token)}`);
  assert.equal(g.json.comments[0].replies[0].status, 'pending');
  assert.equal(g.json.comments[0].replies[0].author, 'Secret Sam');
});

test('ETag: 304 for an unchanged thread, a new one after a post', async () => {
  const a = article(s);
  await post(s, a.uri, { body: 'first' });
  const g = await thread(s, a.uri);
  const etag = g.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/);
  assert.equal(g.headers.get('cache-control'), PUBLIC);
  const c = await s.fetch(`/api/comments?uri=${q(a.uri)}`, { headers: { 'If-None-Match': etag } });
  assert.equal(c.status, 304);
  assert.equal(await c.text(), '');
  // Another page or order is another ETag.
  const g2 = await thread(s, a.uri, '&order=newest');
  assert.notEqual(g2.headers.get('etag'), etag);
  await post(s, a.uri, { body: 'second' });
  // palaver's answer now (nginx's copy of the first may last a second or
  // two more: microcache.test.mjs).
  const g3 = await s.fetch(fresh(`/api/comments?uri=${q(a.uri)}`), { headers: { 'If-None-Match': etag } });
  assert.equal(g3.status, 200);
  assert.notEqual(g3.headers.get('etag'), etag);
  assert.equal((await g3.json()).comments.length, 2);
  // HEAD: the headers without a body.
  const h = await s.fetch(`/api/comments?uri=${q(a.uri)}`, { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(await h.text(), '');
});

test('PUT edits with the author token; forged, foreign or missing tokens are 403', async () => {
  const a = article(s);
  const r = await post(s, a.uri, { body: 'first version' });
  const other = await post(s, a.uri, { body: 'someone else' });
  const id = r.json.id;
  const put = (body, path = `/api/comments/${id}`, headers) => api(s, 'PUT', path, body, headers);

  const forged = r.json.token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
  for (const token of [forged, other.json.token, undefined, '', `${id}.9999999999.xyz`]) {
    const x = await put({ body: 'hijacked', token });
    assertError(x, 403, 'token');
  }
  assertError(await put({ body: 'x', token: r.json.token }, '/api/comments/99999999'), 404, null);
  assertError(await put('{"body": "x"}', `/api/comments/${id}`, { 'content-type': 'text/plain' }), 415, null);
  assertError(await put({ body: '', token: r.json.token }), 422, 'body');
  assertError(await put({ body: 5, token: r.json.token }), 400, 'body');
  assert.equal(s.sql(`SELECT body, edited FROM comments WHERE id = ${id}`)[0].edited, null);

  const v0 = s.sql(`SELECT version FROM articles WHERE id = ${a.id}`)[0].version;
  const e = await put({ body: 'second **version**', token: r.json.token });
  assert.equal(e.status, 200, e.text);
  assertJson(e);
  assert.deepEqual(e.json, { id, html: '<p>second <strong>version</strong></p>\n', edited: true });
  const row = s.sql(`SELECT body, html, edited FROM comments WHERE id = ${id}`)[0];
  assert.equal(row.body, 'second **version**');
  assert.equal(row.html, e.json.html);
  assert.ok(row.edited > 0);
  assert.ok(s.sql(`SELECT version FROM articles WHERE id = ${a.id}`)[0].version > v0);
  const g = await thread(s, a.uri);
  const c = g.json.comments.find((x) => x.id === id);
  assert.equal(c.html, e.json.html);
  assert.equal(c.edited, row.edited);
  // The cookie alone works as well.
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const e2 = await put({ body: 'third' }, `/api/comments/${id}`, { cookie });
  assert.equal(e2.status, 200, e2.text);
  assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${id}`)[0].body, 'third');
});

test('DELETE: a leaf is removed, a comment with replies becomes a placeholder', async () => {
  const a = article(s);
  const leaf = await post(s, a.uri, { body: 'leaf' });
  const parent = await post(s, a.uri, { author: 'Parent Pete', website: 'https://pete.example/', body: 'has replies' });
  const child = await post(s, a.uri, { body: 'child', parent: parent.json.id });
  const del = (id, body, headers) => api(s, 'DELETE', `/api/comments/${id}`, body, headers);

  assertError(await del(leaf.json.id, { token: parent.json.token }), 403, 'token');
  assertError(await del(leaf.json.id), 403, 'token');
  assertError(await del(99999999, { token: leaf.json.token }), 404, null);
  assertError(await del(leaf.json.id, '{"token": "x"', {}), 400, null);
  assertError(await del(leaf.json.id, JSON.stringify({ token: leaf.json.token }), { 'content-type': 'text/plain' }), 415, null);
  assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE id = ${leaf.json.id}`)[0].n, 1);

  let r = await del(leaf.json.id, { token: leaf.json.token });
  assert.equal(r.status, 200, r.text);
  assertJson(r);
  assert.deepEqual(r.json, { id: leaf.json.id, deleted: true });
  assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE id = ${leaf.json.id}`)[0].n, 0);
  assertError(await del(leaf.json.id, { token: leaf.json.token }), 404, null);

  // By cookie, without a body.
  const cookie = parent.headers.get('set-cookie').split(';')[0];
  r = await del(parent.json.id, undefined, { cookie });
  assert.equal(r.status, 200, r.text);
  const row = s.sql(`SELECT status, body, html, website FROM comments WHERE id = ${parent.json.id}`)[0];
  assert.deepEqual(row, { status: 'deleted', body: '', html: '', website: null });
  assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${a.id}`)[0].ncomments, 1);
  const g = await thread(s, a.uri);
  assert.equal(g.json.total, 1);
  assert.equal(g.json.comments.length, 1);
  const ph = g.json.comments[0];
  assert.equal(ph.id, parent.json.id);
  assert.equal(ph.status, 'deleted');
  assert.equal(ph.author, '');
  assert.equal(ph.html, '');
  assert.equal(ph.website, null);
  assert.deepEqual(ph.replies.map((c) => c.id), [child.json.id]);
  assert.ok(!g.text.includes('Parent Pete'));
  // Deleted is final: no second delete, no edit.
  assertError(await del(parent.json.id, { token: parent.json.token }), 403, 'token');
  assertError(await api(s, 'PUT', `/api/comments/${parent.json.id}`, { body: 'back', token: parent.json.token }), 403, 'token');
});

// The tags an html field may hold (markup.c's tables), each checked for
// event handlers and script URLs.
const TAG_OK = /^<\/?(p|em|strong|del|code|pre|a|img|br|hr|blockquote|ul|ol|li)(\s[^>]*)?>$/;
function assertInertHtml(html) {
  assert.ok(!/<script/i.test(html), html);
  for (const tag of html.match(/<[^>]*>/g) || []) {
    assert.match(tag, TAG_OK, html);
    assert.ok(!/\son\w+\s*=/i.test(tag), tag);
    assert.ok(!/javascript:|data:|vbscript:/i.test(tag), tag);
  }
}

test('XSS payloads come back inert: escaped HTML, plain-text author', async () => {
  const a = article(s, '<script>alert("title")</script>');
  const author = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const website = 'https://ex.example/?a="><script>alert(9)</script>';
  // Raw HTML is text: it comes back escaped, never as tags.
  const raw = [
    '<script>alert(3)</script>',
    '<img src=x onerror=alert(4)>',
    '<a href="javascript:alert(6)">x</a>',
    '"><svg onload=alert(8)>',
    '<div\nonmouseover="alert(10)">y</div>',
    '[tab](java\tscript:alert(12))',
    '<javascript:alert(13)>',
    '[q](https://ok.example/" onerror="alert(15))',
  ].join('\n\n');
  const r = await post(s, a.uri, { author, website, body: raw });
  assert.equal(r.status, 201, r.text);
  // Markdown links and images with script URLs lose the URL entirely:
  // not a trace of it is left in the html.
  const md = [
    '[click](javascript:alert(5))',
    '![i](javascript:alert(7))',
    '[up](JAVASCRIPT:alert(11))',
    '[ent](jav&#x61;script:alert(14))',
    '[sp](  javascript:alert(16)  )',
  ].join('\n\n');
  const r2 = await post(s, a.uri, { body: md });
  assert.equal(r2.status, 201, r2.text);
  const g = await thread(s, a.uri);
  const [c1, c2] = g.json.comments;
  for (const html of [r.json.html, c1.html]) {
    assertInertHtml(html);
    assert.ok(html.includes('&lt;script&gt;alert(3)&lt;/script&gt;'), html);
    assert.ok(html.includes('&lt;img src=x onerror=alert(4)&gt;'), html);
    assert.ok(!html.includes('<img'), html);
    assert.ok(!html.includes('<svg'), html);
    assert.ok(!html.includes('<div'), html);
  }
  for (const html of [r2.json.html, c2.html]) {
    assertInertHtml(html);
    assert.ok(!/javascript:/i.test(html), html);
    assert.ok(!/onerror=/i.test(html), html);
    assert.ok(!/<script/i.test(html), html);
    assert.ok(html.includes('click'), html);
  }
  // The author, website and title are plain text: exactly what was sent,
  // never turned into markup, in a response no browser renders as HTML.
  assert.equal(r.json.author, author);
  assert.equal(c1.author, author);
  assert.equal(c1.website, website);
  assert.equal(g.json.article.title, '<script>alert("title")</script>');
  assert.equal(s.sql(`SELECT author FROM comments WHERE id = ${c1.id}`)[0].author, author);
  assert.equal(g.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(g.headers.get('x-content-type-options'), 'nosniff');
  assert.match(g.headers.get('content-security-policy'), /default-src 'none'/);
  // Script URLs as the website are refused outright.
  for (const w of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)', '//evil.example/']) {
    assertError(await post(s, a.uri, { body: 'x', website: w }), 422, 'website');
  }
});

test('rate limit 429 with Retry-After; an expired token is 403', async () => {
  const a = article(l);
  const first = await post(l, a.uri, { body: 'one' });
  assert.equal(first.status, 201);
  assert.equal(first.json.edit_until, first.json.created + 1);
  assert.equal((await post(l, a.uri, { body: 'two' })).status, 201);
  const r = await post(l, a.uri, { body: 'three' });
  assertError(r, 429, null, /minute/);
  assert.equal(r.headers.get('retry-after'), '60');
  assert.equal(l.sql(`SELECT count(*) AS n FROM comments WHERE article = ${a.id}`)[0].n, 2);
  await sleep(2100);
  assertError(await api(l, 'PUT', `/api/comments/${first.json.id}`, { body: 'late', token: first.json.token }), 403, 'token');
  assertError(await api(l, 'DELETE', `/api/comments/${first.json.id}`, { token: first.json.token }), 403, 'token');
  assert.equal(l.sql(`SELECT body FROM comments WHERE id = ${first.json.id}`)[0].body, 'one');
});

test('no sanitizer reports so far', () => {
  for (const x of [s, p, l]) x.assertClean();
});
