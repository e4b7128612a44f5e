// permalink.test.mjs: /c/{id} lands on the page that holds the comment, in
// either order, whatever the thread's size; hidden comments are not there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib.mjs';

let s;
let art;
const ids = [];

async function post(fields, cookie) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    body: new URLSearchParams(fields).toString(), headers });
  await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0, cookie: (r.headers.get('set-cookie') || '').split(';')[0] };
}

before(async () => {
  s = await new Server({ moderation: { page_size: 4 }, spam: { posts_per_minute: 0 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/perma/', '--title', 'Permalinks']).stdout);
  for (let i = 0; i < 13; i++) {
    const top = await post({ body: `top ${i}` });
    assert.equal(top.status, 303);
    const reply = await post({ body: `reply to ${i}`, parent: String(top.id) });
    ids.push({ top: top.id, reply: reply.id });
  }
});
after(async () => { await s.stop(); });

async function land(p) {
  const r = await s.get(p);
  assert.equal(r.status, 303, p);
  const loc = r.headers.get('location');
  const page = await s.get(loc.replace(/#.*$/, ''));
  assert.equal(page.status, 200);
  return { loc, body: page.body };
}

test('every comment, top-level or reply, lands on its page, oldest and newest first', async () => {
  for (const { top, reply } of [ids[0], ids[5], ids[9], ids[12]]) {
    for (const id of [top, reply]) {
      for (const order of ['', '?order=newest']) {
        const { loc, body } = await land(`/c/${id}${order}`);
        assert.ok(loc.endsWith(`#c${id}`), loc);
        assert.match(body, new RegExp(`id="c${id}"`), `${id}${order}: ${loc}`);
        if (order) assert.match(loc, /order=newest/);
      }
    }
  }
  // The first page needs no cursor.
  assert.equal((await s.get(`/c/${ids[0].top}`)).headers.get('location'), `/articles/${art}#c${ids[0].top}`);
});

test('a comment readers cannot see is not there, but its author finds it', async () => {
  assert.equal((await s.get('/c/99999999')).status, 404);
  await s.reconfigure({ moderation: { mode: 'pre', page_size: 4 } });
  const held = await post({ body: 'waiting for a moderator' });
  assert.equal(held.status, 303);
  assert.equal((await s.get(`/c/${held.id}`)).status, 404);
  const mine = await s.get(`/c/${held.id}`, { headers: { cookie: held.cookie } });
  assert.equal(mine.status, 303);
  s.sql(`UPDATE comments SET status = 'deleted' WHERE id = ${ids[1].reply}`);
  assert.equal((await s.get(`/c/${ids[1].reply}`)).status, 404);
  assert.equal((await s.get('/c/0')).status, 404);
  assert.equal((await s.get('/c/abc')).status, 404);
});
