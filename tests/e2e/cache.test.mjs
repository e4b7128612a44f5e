// cache.test.mjs: pages and API reads kept by article version are right:
// palaver fills in a fresh form token for each answer, the token of a
// copy nginx shares works for every reader who gets it, a change shows at
// once in palaver's answers, and readers with author tokens never get a
// shared copy.  (microcache.test.mjs: nginx's copies, and how long.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, fresh, inOneSecond } from './lib.mjs';

let s;
let art;

before(async () => {
  s = await new Server({ moderation: { mode: 'pre' }, spam: { min_submit_seconds: 1, posts_per_minute: 0 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/c/1/', '--title', 'Cached']).stdout);
});
after(async () => { await s.stop(); });

const tokenOf = (body) => body.match(/name="ts" value="([^"]+)"/)[1];

async function post(fields, cookie) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST', body: new URLSearchParams(fields).toString(), headers });
  await r.text();
  return { status: r.status, id: Number((r.headers.get('location') || '#c0').match(/#c(\d+)/)[1]), cookie: (r.headers.get('set-cookie') || '').split(';')[0] };
}

test('readers of the copy nginx shares share its form token, and each may post with it', async () => {
  await s.get(fresh(`/articles/${art}`));	// palaver's own copy, warm
  const [a, b] = await inOneSecond(async () => [await s.get(`/articles/${art}`), await s.get(`/articles/${art}`)]);
  assert.equal(a.status, 200);
  assert.equal(b.headers.get('x-cache-status'), 'HIT');
  assert.equal(tokenOf(b.body), tokenOf(a.body));
  assert.ok(!a.body.includes('\u0001'), 'no marker left in the page');
  await sleep(1100);	// not faster than a person types (min_submit_seconds)
  // Both are accepted: neither is taken for a replay of the other.
  const pa = await post({ ts: tokenOf(a.body), body: 'reader a' });
  const pb = await post({ ts: tokenOf(b.body), body: 'reader b' });
  for (const p of [pa, pb]) {
    const row = s.sql(`SELECT status, reasons FROM comments WHERE id = ${p.id}`)[0];
    assert.equal(row.status, 'pending');	// pre-moderation, not spam
    assert.doesNotMatch(row.reasons, /replay|form token/);
  }
  // The same submission again is a replay (the token and the text).
  const again = await post({ ts: tokenOf(a.body), body: 'reader a' });
  assert.match(s.sql(`SELECT reasons FROM comments WHERE id = ${again.id}`)[0].reasons, /replay/);
});

test('palaver fills in a fresh form token for each answer, from its own cache too', async () => {
  const a = await s.get(fresh(`/articles/${art}`));
  await sleep(1100);	// tokens carry the second they were made
  const b = await s.get(fresh(`/articles/${art}`));
  assert.notEqual(tokenOf(a.body), tokenOf(b.body));
  assert.ok(!b.body.includes('\u0001'), 'no marker left in the page');
});

test('a change shows at once in palaver\'s answers; the author sees their own pending comment, others do not', async () => {
  const before = await s.get(`/articles/${art}`);
  await sleep(1100);
  const p = await post({ ts: tokenOf(before.body), body: 'a held comment' });
  const mine = await s.get(`/articles/${art}`, { headers: { cookie: p.cookie } });
  assert.match(mine.body, /a held comment/);
  const anon = await s.get(`/articles/${art}`);
  assert.doesNotMatch(anon.body, /a held comment/);
  // Approval moves the version: palaver keeps no stale copy (nginx's
  // last a second or two: microcache.test.mjs).
  s.sql(`UPDATE comments SET status = 'approved' WHERE id = ${p.id};
    UPDATE articles SET version = version + 1, ncomments = ncomments + 1 WHERE id = ${art}`);
  const after = await s.get(fresh(`/articles/${art}`));
  assert.match(after.body, /a held comment/);
  const api = await s.get(fresh(`/api/comments?uri=${encodeURIComponent('/c/1/')}`));
  const j = JSON.parse(api.body);
  assert.ok(j.comments.some((c) => c.id === p.id));
  assert.match(j.form_token, /^\d+\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
  const api2 = JSON.parse((await s.get(fresh(`/api/comments?uri=${encodeURIComponent('/c/1/')}`))).body);
  assert.deepEqual(api2.comments, j.comments);
});
