// votes.test.mjs: readers' votes (API and form), "best first" with keyset
// pages and permalinks, the page cache under votes, the limits, and a
// moderator resetting votes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, modLogin, modPost, assertSecurityHeaders } from './lib.mjs';

let s;
let art;
const ids = [];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSONH = { 'content-type': 'application/json' };

async function post(body, fields = {}) {
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST', headers: FORM,
    body: new URLSearchParams({ body, ...fields }).toString() });
  await r.text();
  return Number((r.headers.get('location') || '').match(/#c(\d+)$/)[1]);
}

// A vote through the API from one reader (address and voter token).
async function vote(id, v, { addr, voter, raw } = {}) {
  const headers = { ...JSONH };
  if (addr) headers['x-forwarded-for'] = addr;
  const r = await s.fetch(`/api/comments/${id}/vote`, { method: 'POST', headers,
    body: raw ?? JSON.stringify(voter ? { vote: v, voter } : { vote: v }) });
  return { status: r.status, headers: r.headers, j: await r.json() };
}

before(async () => {
  s = await new Server({ moderation: { page_size: 3 }, spam: { posts_per_minute: 0 },
    votes: { down: 'yes', per_minute: 0 }, site: { allowed_origins: 'http://blog.example' } }).start();
  s.users = 0;
  art = Number(s.cli(['article', 'add', '--uri', '/votes/', '--title', 'Votes']).stdout);
  for (let i = 0; i < 9; i++) {
    const id = await post(`top ${i}`);
    ids.push(id);
    await post(`reply to ${i}`, { parent: String(id) });
  }
});
after(async () => { await s.stop(); });

test('a vote counts once a reader, a change of mind replaces it, 0 takes it back', async () => {
  const id = ids[4];
  let r = await vote(id, 1);
  assert.equal(r.status, 200);
  assertSecurityHeaders(assert, r.headers);
  assert.deepEqual({ up: r.j.up, down: r.j.down }, { up: 1, down: 0 });
  // A new reader is given a voter token to keep (the widget's), and a
  // cookie (palaver's own pages).
  assert.match(r.j.voter, /^[A-Za-z0-9_-]{43}$/);
  assert.match(r.headers.get('set-cookie'), /^palaver_voter=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
  const voter = r.j.voter;
  r = await vote(id, 1, { voter });
  assert.deepEqual([r.j.up, r.j.down, r.j.voter], [1, 0, undefined]);
  r = await vote(id, -1, { voter });
  assert.deepEqual([r.j.up, r.j.down], [0, 1]);
  // The same address with another token (cookies cleared) replaces it too.
  r = await vote(id, 1);
  assert.deepEqual([r.j.up, r.j.down], [1, 0]);
  r = await vote(id, 0, { voter });
  assert.deepEqual([r.j.up, r.j.down], [0, 0]);
  assert.deepEqual(s.sql(`SELECT count(*) AS n FROM votes WHERE comment = ${id}`), [{ n: 0 }]);
  assert.deepEqual(s.sql(`SELECT up, down, best FROM comments WHERE id = ${id}`), [{ up: 0, down: 0, best: 0 }]);
  // The thread in the API carries the counts.
  await vote(id, 1, { voter });
  const t = await (await s.fetch(`/api/comments?uri=/votes/&after=${ids[2]}`)).json();
  assert.deepEqual(t.votes, { up: true, down: true });
  const c = t.comments.find((x) => x.id === id);
  assert.deepEqual([c.up, c.down], [1, 0]);
});

test('bad votes are refused with the right status and a sentence', async () => {
  for (const [body, status, field] of [[JSON.stringify({ vote: 2 }), 422, 'vote'],
    [JSON.stringify({ vote: '1' }), 200, null], [JSON.stringify({ vote: true }), 400, 'vote'],
    [JSON.stringify({}), 422, 'vote'], ['{"vote": 1', 400, null], [JSON.stringify({ vote: 1, voter: 'x'.repeat(65) }), 422, 'voter'],
    [JSON.stringify([1]), 400, null]]) {
    const r = await vote(ids[0], 0, { raw: body });
    assert.equal(r.status, status, body);
    if (status !== 200) {
      assert.ok(r.j.error.length > 10, body);
      if (field) assert.equal(r.j.field, field, body);
    }
  }
  assert.equal((await vote(99999999, 1)).status, 404);
  assert.equal((await s.fetch(`/api/comments/${ids[0]}/vote`, { method: 'POST', body: '{"vote":1}',
    headers: { 'content-type': 'text/plain' } })).status, 415);
  // A held comment cannot be voted on.
  s.sql(`UPDATE comments SET status = 'pending' WHERE id = ${ids[8]}`);
  assert.equal((await vote(ids[8], 1)).status, 404);
  s.sql(`UPDATE comments SET status = 'approved' WHERE id = ${ids[8]}`);
});

test('best first ranks by the Wilson lower bound, with keyset pages and permalinks', async () => {
  // ids[7]: 3 up; ids[2]: 5 up 1 down; ids[5]: 1 up; the rest none.
  const plan = [[ids[7], [1, 1, 1]], [ids[2], [1, 1, 1, 1, 1, -1]], [ids[5], [1]]];
  let n = 10;
  for (const [id, vs] of plan) for (const v of vs) assert.equal((await vote(id, v, { addr: `127.0.1.${n++}` })).status, 200);
  const wilson = (u, d) => { const z = 1.959964, m = u + d, p = u / m;
    return m === 0 ? 0 : (p + z * z / (2 * m) - z * Math.sqrt((p * (1 - p) + z * z / (4 * m)) / m)) / (1 + z * z / m); };
  // The order an independent reckoning of the counts gives: rank, then
  // oldest first.  3 up (0.4386) ranks above 5 up and 1 down (0.4366).
  const counts = s.sql(`SELECT id, up, down FROM comments WHERE article = ${art} AND parent IS NULL`);
  const want = counts.map((c) => [c.id, wilson(c.up, c.down)])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((x) => x[0]);
  assert.deepEqual(want.slice(0, 2), [ids[7], ids[2]]);
  const best = s.sql(`SELECT id, best FROM comments WHERE id = ${ids[2]}`)[0].best;
  assert.ok(Math.abs(best - wilson(5, 1)) < 1e-9, `${best}`);
  // API pages, 3 roots each, follow `next`.
  const seen = [];
  let after = 0;
  for (let page = 0; page < 5; page++) {
    const j = await (await s.fetch(`/api/comments?uri=/votes/&order=best${after ? `&after=${after}` : ''}`)).json();
    seen.push(...j.comments.map((c) => c.id));
    for (const c of j.comments) assert.equal(c.replies.length, 1, 'each root with its reply');
    if (!j.next) break;
    after = j.next;
  }
  assert.deepEqual(seen, want);
  // The HTML page marks the order and pages the same way.
  const p1 = await s.get(`/articles/${art}?order=best`);
  assert.match(p1.body, /<a href="\/articles\/\d+\?order=best#comments" aria-current="true">best first<\/a>/);
  const shown = [...p1.body.matchAll(/<li class="comment[^"]*" id="c(\d+)"/g)].map((m) => Number(m[1]))
    .filter((x) => ids.includes(x));
  assert.deepEqual(shown, want.slice(0, 3));
  assert.match(p1.body, new RegExp(`href="/articles/${art}\\?after=${want[2]}&amp;order=best#comments"`));
  // /c/{id} lands on the page that holds it, best first too: the last
  // root is on the third page.
  for (const id of [want[8], want[4], want[0]]) {
    const r = await s.get(`/c/${id}?order=best`);
    assert.equal(r.status, 303);
    const loc = r.headers.get('location');
    assert.match(loc, /order=best/);
    const page = await s.get(loc.replace(/#.*/, ''));
    assert.match(page.body, new RegExp(`id="c${id}"`), loc);
  }
});

test('votes do not empty the page cache: counts show within CACHE_VOTES_STALE', async () => {
  const url = `/articles/${art}`;
  await s.get(url);
  const v0 = s.sql(`SELECT version, votes FROM articles WHERE id = ${art}`)[0];
  const first = await s.get(url);
  const etag = first.headers.get('etag');
  const r = await vote(ids[0], 1, { addr: '127.0.2.1' });
  assert.equal(r.status, 200);
  const v1 = s.sql(`SELECT version, votes FROM articles WHERE id = ${art}`)[0];
  assert.equal(v1.version, v0.version, 'a vote does not move the version');
  assert.equal(v1.votes, v0.votes + 1);
  // Right after the vote, a kept page may still be served (same ETag); a
  // reader who just voted without script sees it at once (voted=).
  const again = await s.get(url);
  assert.equal(again.status, 200);
  const mine = await s.get(`${url}?voted=${ids[0]}`);
  assert.equal(mine.headers.get('cache-control'), 'private, no-cache');
  assert.match(mine.body, new RegExp(`id="c${ids[0]}"[^]*?<span class="n">${r.j.up}</span>`));
  assert.match(mine.body, /Your vote is counted/);
  // Within the window, and one render after it, everyone sees it.
  let got = '';
  for (let i = 0; i < 60 && !got.includes(`n${v1.votes}-`); i++) {
    const x = await s.get(url);
    got = x.headers.get('etag');
    if (!got.includes(`n${v1.votes}-`)) await new Promise((res) => setTimeout(res, 250));
  }
  assert.notEqual(got, etag);
  assert.match(got, new RegExp(`-n${v1.votes}-`));
});

test('without script, the vote form counts and comes back to the comment', async () => {
  const r = await s.fetch(`/articles/${art}/comments/${ids[1]}/vote`, { method: 'POST', headers: FORM,
    body: 'vote=1&order=best' });
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, new RegExp(`order=best.*voted=${ids[1]}#c${ids[1]}$`));
  const ck = r.headers.get('set-cookie').split(';')[0];
  assert.match(ck, /^palaver_voter=/);
  // The same reader again (cookie): replaced, not added.
  const before = s.sql(`SELECT up FROM comments WHERE id = ${ids[1]}`)[0].up;
  const r2 = await s.fetch(`/articles/${art}/comments/${ids[1]}/vote`, { method: 'POST',
    headers: { ...FORM, cookie: ck, 'x-forwarded-for': '127.0.3.3' }, body: 'vote=1' });
  assert.equal(r2.status, 303);
  assert.equal(r2.headers.get('set-cookie'), null, 'the cookie is kept, not set again');
  assert.equal(s.sql(`SELECT up FROM comments WHERE id = ${ids[1]}`)[0].up, before);
  // A vote on a comment of another article, or a bad value.
  const other = Number(s.cli(['article', 'add', '--uri', '/votes2/', '--title', 'Other']).stdout);
  assert.equal((await s.fetch(`/articles/${other}/comments/${ids[1]}/vote`, { method: 'POST', headers: FORM,
    body: 'vote=1' })).status, 404);
  const bad = await s.fetch(`/articles/${art}/comments/${ids[1]}/vote`, { method: 'POST', headers: FORM, body: 'vote=5' });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /The vote is 1 \(up\), -1 \(down\) or 0/);
  // From an embedding site's fragment (an allowed origin): taken.
  const emb = await s.fetch(`/articles/${art}/comments/${ids[1]}/vote`, { method: 'POST',
    headers: { ...FORM, origin: 'http://blog.example', 'x-forwarded-for': '127.0.3.9' }, body: 'vote=1' });
  assert.equal(emb.status, 303);
  // Cross-site forms are refused.
  const xs = await s.fetch(`/articles/${art}/comments/${ids[1]}/vote`, { method: 'POST',
    headers: { ...FORM, origin: 'https://evil.example' }, body: 'vote=1' });
  assert.equal(xs.status, 403);
});

test('the per-address limit, down votes turned off, votes turned off', async () => {
  await s.reconfigure({ votes: { per_minute: 3, down: 'no' } });
  let last;
  for (let i = 0; i < 4; i++) last = await vote(ids[i], 1, { addr: '127.0.4.4' });
  assert.equal(last.status, 429);
  assert.match(last.j.error, /voted 3 times in the last minute/);
  assert.equal(last.headers.get('retry-after'), '60');
  const down = await vote(ids[6], -1, { addr: '127.0.4.5' });
  assert.equal(down.status, 422);
  assert.equal(down.j.field, 'vote');
  // Down votes given before still show, their button disabled.
  const page = await s.get(`/articles/${art}?order=best`);
  assert.match(page.body, new RegExp(`id="c${ids[2]}"[^]*?value="-1" class="down" disabled`));
  await s.reconfigure({ votes: { enabled: 'no' } });
  const off = await vote(ids[6], 1, { addr: '127.0.4.6' });
  assert.equal(off.status, 403);
  assert.match(off.j.error, /Votes are turned off/);
  const p = await s.get(`/articles/${art}`);
  assert.doesNotMatch(p.body, /class="vote"/);
  assert.doesNotMatch(p.body, /best first/);
  await s.reconfigure({ votes: { enabled: 'yes', down: 'yes', per_minute: 0 } });
});

test('a moderator resets a comment\'s votes, audited', async () => {
  const pw = 'a long enough password';
  assert.equal(s.cli(['user', 'add', 'mia'], { input: `${pw}\n` }).status, 0);
  const who = await modLogin(s, 'mia', pw);
  assert.ok(s.sql(`SELECT up FROM comments WHERE id = ${ids[2]}`)[0].up > 0);
  const q = await s.get('/mod/?status=approved', { headers: { cookie: who.cookie } });
  assert.match(q.body, new RegExp(`/mod/comments/${ids[2]}/unvote`));
  const r = await modPost(s, who, `/mod/comments/${ids[2]}/unvote`);
  assert.equal(r.status, 303);
  assert.deepEqual(s.sql(`SELECT up, down, best FROM comments WHERE id = ${ids[2]}`), [{ up: 0, down: 0, best: 0 }]);
  assert.deepEqual(s.sql(`SELECT count(*) AS n FROM votes WHERE comment = ${ids[2]}`), [{ n: 0 }]);
  assert.equal(s.sql(`SELECT actor, action, target FROM audit WHERE action = 'votes-reset'`)[0].target, `comment:${ids[2]}`);
  // Without a session, or without the CSRF token: refused.
  const anon = await s.fetch(`/mod/comments/${ids[2]}/unvote`, { method: 'POST', headers: FORM, body: '' });
  assert.ok([303, 403].includes(anon.status));
  assert.equal((await modPost(s, { ...who, csrf: 'x' }, `/mod/comments/${ids[2]}/unvote`)).status, 403);
  assert.equal((await modPost(s, who, '/mod/comments/99999999/unvote')).status, 404);
});
