// feeds.test.mjs: Atom feeds (RFC 4287) read by a real feed parser
// (python3-feedparser) and checked for what Atom requires: the site's and
// a thread's (by id and by uri), approved comments only, ETag and 304,
// linked from the pages.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Server, ROOT, assertSecurityHeaders, modLogin, modPost } from './lib.mjs';
import { PYTHON, post } from './maillib.mjs';

function parse(xml) {
  const r = spawnSync(PYTHON, [path.join(ROOT, 'tests/e2e/feedcheck.py')], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('Atom feeds', () => {
  let s, a1, a2, base;

  before(async () => {
    s = await new Server({ site: { base_url: 'auto', name: 'Feed & Co' }, spam: { posts_per_minute: 0 } }).start();
    base = s.base;
    a1 = Number(s.cli(['article', 'add', '--uri', '/f/1/', '--title', 'First <one>']).stdout);
    a2 = Number(s.cli(['article', 'add', '--uri', '/f/2/', '--title', 'Second']).stdout);
  });

  after(async () => {
    await s.stop();
  });

  test('an empty feed is valid Atom', async () => {
    const r = await s.get('/feed');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    assertSecurityHeaders(assert, r.headers);
    const f = parse(r.body);
    assert.equal(f.bozo, 0, f.bozo_exception);
    assert.equal(f.version, 'atom10');
    assert.deepEqual(f.problems, []);
    assert.equal(f.entries.length, 0);
    assert.equal(f.feed.title, 'Comments on Feed & Co');
  });

  let c1, c2, held;

  test('approved comments only, newest first, with author, permalink, times and the safe HTML', async () => {
    c1 = await post(s, a1, { author: 'Ann & <Bee>', website: 'https://ann.example/', body: 'Hi **there** <script>x</script>' });
    c2 = await post(s, a2, { author: 'Cy', body: 'On the second' });
    assert.equal(s.cli(['article', 'set', String(a1), '--mode', 'pre']).status, 0);
    held = await post(s, a1, { author: 'Held', body: 'Not yet' });
    await post(s, a1, { author: 'Bot', body: 'spam', hp: 'x' });
    const f = parse((await s.get('/feed')).body);
    assert.equal(f.bozo, 0, f.bozo_exception);
    assert.deepEqual(f.problems, []);
    assert.deepEqual(f.entries.map((e) => e.id), [`${base}/c/${c2}`, `${base}/c/${c1}`]);
    const e = f.entries[1];
    assert.equal(e.title, 'Ann & <Bee> on First <one>');
    assert.equal(e.author, 'Ann & <Bee>');
    assert.equal(e.author_href, 'https://ann.example/');
    assert.equal(e.link, `${base}/c/${c1}`);
    // The permalink leads to the comment on its page.
    const to = await s.fetch(`/c/${c1}`);
    assert.equal(to.status, 303);
    assert.match(to.headers.get('location'), new RegExp(`/articles/${a1}.*#c${c1}$`));
    assert.match(e.published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(e.content_type, ['text/html']);
    assert.match(e.content[0], /<strong>there<\/strong>/);
    assert.doesNotMatch(e.content[0], /<script>/);
    assert.deepEqual(f.feed.links.find((l) => l[0] === 'self'), ['self', 'application/atom+xml', `${base}/feed`]);
    const t = parse((await s.get(`/articles/${a1}/feed`)).body);
    assert.deepEqual(t.entries.map((x) => x.id), [`${base}/c/${c1}`]);
    assert.equal(t.feed.title, 'Comments on First <one>');
    const u = parse((await s.get('/feed?uri=/f/1/')).body);
    assert.deepEqual(u.entries.map((x) => x.id), t.entries.map((x) => x.id), 'by uri, the same thread');
    assert.equal((await s.get('/feed?uri=/nope/')).status, 404);
    assert.equal((await s.get('/articles/999/feed')).status, 404);
  });

  test('ETag and 304; the tag moves with a newly approved comment only', async () => {
    const r1 = await s.get(`/articles/${a1}/feed`);
    const tag = r1.headers.get('etag');
    assert.match(tag, /^"f[0-9a-f]{32}"$/);
    const n = await s.fetch(`/articles/${a1}/feed`, { headers: { 'if-none-match': tag } });
    assert.equal(n.status, 304);
    assert.equal((await n.text()).length, 0);
    // Another held comment: nothing a feed shows changed.
    await post(s, a1, { author: 'Held2', body: 'Still waiting' });
    assert.equal((await s.fetch(`/articles/${a1}/feed`, { headers: { 'if-none-match': tag } })).status, 304);
    s.cli(['user', 'add', 'fm'], { input: 'a long password 1\n' });
    const mo = await modLogin(s, 'fm', 'a long password 1');
    assert.equal((await modPost(s, mo, `/mod/comments/${held}/approve`)).status, 303);
    const r2 = await s.fetch(`/articles/${a1}/feed`, { headers: { 'if-none-match': tag } });
    assert.equal(r2.status, 200);
    assert.notEqual(r2.headers.get('etag'), tag);
    const f = parse(await r2.text());
    assert.deepEqual(f.entries.map((x) => x.id), [`${base}/c/${held}`, `${base}/c/${c1}`]);
  });

  test('pages link their feeds in <head>', async () => {
    const idx = await s.get('/');
    assert.match(idx.body, /<link rel="alternate" type="application\/atom\+xml" title="[^"]*" href="\/feed">/);
    const page = await s.get(`/articles/${a2}`);
    assert.match(page.body, new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="Second — comments" href="/articles/${a2}/feed">`));
    // Without [mail] transport, nobody is offered replies by e-mail.
    assert.doesNotMatch(page.body, /name="notify"/);
    assert.equal(JSON.parse((await s.get('/api/comments?uri=/f/2/')).body).notify, false);
  });
});
