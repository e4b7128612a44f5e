// cache.test.mjs: pages and API reads kept by article version are right:
// each reader still gets their own form token, a change shows at once, and
// readers with author tokens never get a shared copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from './lib.mjs';

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

test('two readers of the same cached page get different, working form tokens', async () => {
  const a = await s.get(`/articles/${art}`);
  await sleep(1100);	// tokens carry the second they were made
  const b = await s.get(`/articles/${art}`);
  assert.equal(a.status, 200);
  const ta = tokenOf(a.body);
  const tb = tokenOf(b.body);
  assert.notEqual(ta, tb);
  assert.ok(!a.body.includes('\u0001'), 'no marker left in the page');
  // Both are accepted: neither is taken for a replay of the other.
  await sleep(1100);	// and neither is sent faster than a person types
  const pa = await post({ ts: ta, body: 'reader a' });
  const pb = await post({ ts: tb, body: 'reader b' });
  for (const p of [pa, pb]) {
    const row = s.sql(`SELECT status, reasons FROM comments WHERE id = ${p.id}`)[0];
    assert.equal(row.status, 'pending');	// pre-moderation, not spam
    assert.doesNotMatch(row.reasons, /replay|form token/);
  }
});

test('a change shows at once; the author sees their own pending comment, others do not', async () => {
  const before = await s.get(`/articles/${art}`);
  await sleep(1100);
  const p = await post({ ts: tokenOf(before.body), body: 'a held comment' });
  const mine = await s.get(`/articles/${art}`, { headers: { cookie: p.cookie } });
  assert.match(mine.body, /a held comment/);
  const anon = await s.get(`/articles/${art}`);
  assert.doesNotMatch(anon.body, /a held comment/);
  // Approval moves the version: everyone sees it, no stale copy.
  s.sql(`UPDATE comments SET status = 'approved' WHERE id = ${p.id};
    UPDATE articles SET version = version + 1, ncomments = ncomments + 1 WHERE id = ${art}`);
  const after = await s.get(`/articles/${art}`);
  assert.match(after.body, /a held comment/);
  const api = await s.get(`/api/comments?uri=${encodeURIComponent('/c/1/')}`);
  const j = JSON.parse(api.body);
  assert.ok(j.comments.some((c) => c.id === p.id));
  assert.match(j.form_token, /^\d+\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
  const api2 = JSON.parse((await s.get(`/api/comments?uri=${encodeURIComponent('/c/1/')}`)).body);
  assert.deepEqual(api2.comments, j.comments);
});
