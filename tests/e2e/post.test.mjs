// post.test.mjs: readers post, reply, edit and delete through the HTML forms,
// with and without mistakes; nothing they type is lost.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertSecurityHeaders } from './lib.mjs';

function form(fields) {
  return new URLSearchParams(fields).toString();
}

async function post(s, path, fields, cookie, raw) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(path, { method: 'POST', body: raw ?? form(fields), headers });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

function cookieOf(r) {
  const sc = r.headers.get('set-cookie');
  assert.ok(sc, 'Set-Cookie present');
  return sc.split(';')[0];
}

function idFromLocation(r) {
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  assert.ok(m, `Location ${r.headers.get('location')}`);
  return Number(m[1]);
}

// Payloads that must come back inert wherever they are typed.
const XSS = [
  '<script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<svg onload=alert(1)>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](java&#x09;script:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](//evil.example/)',
  '<a href="javascript:alert(1)">x</a>',
  '</textarea><script>alert(1)</script>',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  '![x](javascript:alert(1))',
  '<javascript:alert(1)>',
  '<!-- --><script>alert(1)</script>',
  '`<script>` **<b>bold</b>** 😀 𝕏',
];

function assertInert(page) {
  // Our own markup set aside (reader text can never make it: its < is
  // escaped): the page's script and the folding of replies.
  const body = page.replace(/<script src="\/static\/embed\.js" data-min-submit="\d+" defer><\/script>/, '')
    .replaceAll('<details class="replies" open>', '');
  assert.ok(!/<script/i.test(body), 'no <script');
  assert.ok(!/<img/i.test(body), 'no <img');
  assert.ok(!/<svg/i.test(body), 'no <svg');
  assert.ok(!/<details/i.test(body), 'no <details');
  // Inside every tag, once its quoted values are set aside, no on* attribute.
  for (const m of body.matchAll(/<[a-z][^>]*>/gi)) {
    const bare = m[0].replace(/"[^"]*"/g, '""');
    assert.ok(!/\son\w+\s*=/i.test(bare), `event handler in ${m[0]}`);
    assert.ok(!/'/.test(bare), `unquoted or single-quoted attribute in ${m[0]}`);
  }
  for (const m of body.matchAll(/href="([^"]*)"/g)) {
    assert.ok(/^(\/|#|https?:\/\/[^/]|mailto:)/.test(m[1]), `safe href ${m[1]}`);
  }
}

describe('post mode', () => {
  let s;
  let a;
  let a2;
  before(async () => {
    s = await new Server({ moderation: { max_comment: 200 }, spam: { posts_per_minute: 0 } }).start();
    a = Number(s.cli(['article', 'add', '--uri', '/p/1/', '--title', 'Posting']).stdout);
    a2 = Number(s.cli(['article', 'add', '--uri', '/p/2/', '--title', 'Other']).stdout);
  });
  after(async () => { await s.stop(); });

  test('a top-level comment: 303 to its anchor, cookie, stored and shown', async () => {
    const before = s.sql(`SELECT version FROM articles WHERE id = ${a}`)[0].version;
    const r = await post(s, `/articles/${a}/comments`, { parent: '', author: 'Ann', email: 'ann@example.org',
      website: 'https://ann.example/', body: 'Hello *there*\r\nsecond line' });
    assert.equal(r.status, 303);
    assertSecurityHeaders(assert, r.headers);
    const id = idFromLocation(r);
    assert.match(r.headers.get('location'), new RegExp(`^/articles/${a}\\?posted=${id}#c${id}$`));
    const sc = r.headers.get('set-cookie');
    assert.match(sc, /^palaver_author=\d+\.\d+\.[A-Za-z0-9_-]+; Path=\/; Max-Age=900; HttpOnly; SameSite=Strict$/);
    const row = s.sql(`SELECT * FROM comments WHERE id = ${id}`)[0];
    assert.equal(row.status, 'approved');
    assert.equal(row.author, 'Ann');
    assert.equal(row.email, 'ann@example.org');
    assert.equal(row.body, 'Hello *there*\nsecond line');
    assert.equal(row.html, '<p>Hello <em>there</em>\nsecond line</p>\n');
    assert.equal(row.depth, 0);
    assert.equal(row.root, id);
    assert.match(row.addr_hash, /^[0-9a-f]{32}$/);
    const art = s.sql(`SELECT version, ncomments FROM articles WHERE id = ${a}`)[0];
    assert.equal(art.ncomments, 1);
    assert.ok(art.version > before);
    const page = await s.get(r.headers.get('location').replace(/#.*/, ''), { headers: { cookie: cookieOf(r) } });
    assert.equal(page.status, 200);
    assert.match(page.body, /Your comment is published/);
    assert.match(page.body, new RegExp(`id="c${id}"`));
    assert.ok(!page.body.includes('ann@example.org'), 'e-mail never shown');
    assert.match(page.body, /href="https:\/\/ann.example\/" rel="nofollow ugc noopener">Ann</);
    // Its author may edit and delete it; others see no such controls.
    assert.match(page.body, new RegExp(`\\?edit=${id}#c${id}`));
    const anon = await s.get(`/articles/${a}`);
    assert.ok(!anon.body.includes(`?edit=${id}`));
    assert.ok(!anon.body.includes('Your comment is published'));
  });

  test('an empty name is shown as Anonymous', async () => {
    const r = await post(s, `/articles/${a}/comments`, { body: 'nameless' });
    assert.equal(r.status, 303);
    assert.equal(s.sql(`SELECT author FROM comments WHERE id = ${idFromLocation(r)}`)[0].author, 'Anonymous');
  });

  test('a reply chain 10 deep nests, flattening past max_depth', async () => {
    let parent = '';
    const ids = [];
    for (let i = 0; i < 10; i++) {
      const r = await post(s, `/articles/${a2}/comments`, { parent, author: `L${i}`, body: `level ${i}` });
      assert.equal(r.status, 303, r.body);
      const id = idFromLocation(r);
      ids.push(id);
      parent = String(id);
    }
    const rows = s.sql(`SELECT id, parent, depth, root FROM comments WHERE article = ${a2} ORDER BY path`);
    assert.deepEqual(rows.map((x) => x.id), ids);
    rows.forEach((x, i) => {
      assert.equal(x.depth, i);
      assert.equal(x.root, ids[0]);
      assert.equal(x.parent, i === 0 ? null : ids[i - 1]);
    });
    const page = await s.get(`/articles/${a2}`);
    // max_depth 6: six nested reply lists, and levels 7..9 say whom they answer.
    assert.equal((page.body.match(/<ol class="replies">/g) || []).length, 6);
    for (let i = 7; i < 10; i++) {
      assert.match(page.body, new RegExp(`id="c${ids[i]}"[\\s\\S]*?in reply to L${i - 1}<`));
    }
    assert.ok(!page.body.includes(`in reply to L5<`));
    // Every comment has a reply link that works without JavaScript.
    for (const id of ids) assert.ok(page.body.includes(`?reply=${id}#reply-${id}`));
    const reply = await s.get(`/articles/${a2}?reply=${ids[9]}`);
    assert.match(reply.body, new RegExp(`<form class="comment-form" method="post" action="/articles/${a2}/comments#reply-${ids[9]}" id="reply-${ids[9]}">`));
    assert.match(reply.body, new RegExp(`name="parent" value="${ids[9]}"`));
  });

  const refusals = [
    ['empty body', { body: '   \r\n ' }, 422, /Please write a comment/],
    ['invalid UTF-8', null, 422, /invalid UTF-8/, 'parent=&author=Keep+Me&body=%FF%FEbad'],
    ['a control character', { body: 'bell \u0007 here', author: 'Keep Me' }, 422, /control characters/],
    ['a NUL byte', null, 422, /control characters/, 'parent=&author=Keep+Me&body=nul%00here'],
    ['too long', { body: 'x'.repeat(201), author: 'Keep Me' }, 413, /201 characters long; the limit is 200/],
    ['a bad e-mail', { body: 'text stays', email: 'not-an-email', author: 'Keep Me' }, 422, /e-mail/],
    ['a javascript: website', { body: 'text stays', website: 'javascript:alert(1)', author: 'Keep Me' }, 422, /http:\/\/ or https:\/\//],
    ['a name with a newline', { body: 'text stays', author: 'two\nlines' }, 422, /one line/],
    ['a long name', { body: 'text stays', author: 'n'.repeat(65) }, 422, /too long/],
    ['an unknown parent', { body: 'text stays', parent: '999999', author: 'Keep Me' }, 422, /does not exist/],
    ['a malformed parent', { body: 'text stays', parent: '12abc', author: 'Keep Me' }, 422, /not a valid comment/],
  ];
  for (const [name, fields, code, msg, raw] of refusals) {
    test(`refused: ${name} -> ${code}, message at the form, text kept`, async () => {
      const count = s.sql(`SELECT count(*) AS n FROM comments`)[0].n;
      const r = await post(s, `/articles/${a}/comments`, fields, null, raw);
      assert.equal(r.status, code);
      assertSecurityHeaders(assert, r.headers);
      assert.match(r.body, /<p class="form-error" role="alert"/);
      assert.match(r.body, msg);
      if (fields?.author && !fields.author.includes('\n') && fields.author.length < 65) {
        assert.ok(r.body.includes(`value="${fields.author}"`), 'name kept');
      }
      if (raw) assert.ok(r.body.includes('value="Keep Me"'), 'name kept');
      if (fields?.body && fields.body.trim() && !fields.body.includes('\u0007')) {
        assert.ok(r.body.includes(`>${fields.body}</textarea>`), 'body kept');
      }
      if (fields?.website) assert.ok(r.body.includes(`value="${fields.website}"`));
      assert.equal(s.sql(`SELECT count(*) AS n FROM comments`)[0].n, count, 'nothing stored');
    });
  }

  test('a parent from another article is refused', async () => {
    const other = s.sql(`SELECT id FROM comments WHERE article = ${a2} LIMIT 1`)[0].id;
    const r = await post(s, `/articles/${a}/comments`, { parent: String(other), body: 'cross' });
    assert.equal(r.status, 422);
  });

  test('wrong content type is 415; a body over max_body is 413 unread', async () => {
    let r = await s.fetch(`/articles/${a}/comments`, { method: 'POST', body: '{"body":"x"}',
      headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 415);
    r = await s.fetch(`/articles/${a}/comments`, { method: 'POST', body: 'body=' + 'x'.repeat(70000),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 413);
    assert.match(await r.text(), /too large/);
    r = await s.fetch(`/articles/${a}/comments`, { method: 'POST', body: 'body=%zz',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 400);
  });

  test('XSS payloads in every field come back inert', async () => {
    for (const p of XSS) {
      const r = await post(s, `/articles/${a2}/comments`, { author: p.slice(0, 60), body: p });
      assert.equal(r.status, 303, `${p}: ${r.body.slice(0, 300)}`);
      // The website field only takes http(s); a refused one is echoed escaped.
      const w = await post(s, `/articles/${a2}/comments`, { website: p, body: 'w' });
      if (w.status !== 303) {
        assert.equal(w.status, 422);
        assertInert(w.body.replace(/<link rel="stylesheet" href="\/static\/palaver.css">/, ''));
      }
    }
    const page = await s.get(`/articles/${a2}`);
    assert.equal(page.status, 200);
    assertInert(page.body);
    // 4-byte UTF-8 survives intact.
    assert.ok(page.body.includes('😀 𝕏'));
  });

  test('closed articles refuse comments and show no form', async () => {
    const c = Number(s.cli(['article', 'add', '--uri', '/p/closed/', '--title', 'Closed']).stdout);
    s.sql(`UPDATE articles SET closed = 1 WHERE id = ${c}`);
    const page = await s.get(`/articles/${c}`);
    assert.match(page.body, /Comments are closed/);
    assert.ok(!page.body.includes('<form class="comment-form"'));
    const r = await post(s, `/articles/${c}/comments`, { body: 'let me in', author: 'Keep Me' });
    assert.equal(r.status, 403);
    assert.match(r.body, /closed/);
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE article = ${c}`)[0].n, 0);
  });

  test('the author edits and deletes within the window; others cannot', async () => {
    const r = await post(s, `/articles/${a}/comments`, { author: 'Ed', body: 'first version' });
    const id = idFromLocation(r);
    const cookie = cookieOf(r);
    const form = await s.get(`/articles/${a}?edit=${id}`, { headers: { cookie } });
    assert.match(form.body, new RegExp(`action="/articles/${a}/comments/${id}/edit#edit-${id}"`));
    assert.ok(form.body.includes('>first version</textarea>'));
    // No cookie, a forged one, another comment's token: 403, unchanged.
    for (const ck of [undefined, `palaver_author=${id}.9999999999.AAAA`, cookie.replace(/^palaver_author=\d+/, `palaver_author=${id - 1}`)]) {
      const bad = await post(s, `/articles/${a}/comments/${id}/edit`, { body: 'hacked' }, ck);
      assert.equal(bad.status, 403);
    }
    assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${id}`)[0].body, 'first version');
    // Refused edit keeps the text.
    let e = await post(s, `/articles/${a}/comments/${id}/edit`, { body: 'y'.repeat(201) }, cookie);
    assert.equal(e.status, 413);
    assert.ok(e.body.includes('y'.repeat(201) + '</textarea>'));
    e = await post(s, `/articles/${a}/comments/${id}/edit`, { body: 'second **version**' }, cookie);
    // POST-redirect-GET: a reload never sends it again.
    assert.equal(e.status, 303);
    assert.match(e.headers.get('location'), new RegExp(`edited=${id}#c${id}$`));
    e = await s.get(e.headers.get('location').replace(/#.*/, ''), { headers: { cookie } });
    assert.match(e.body, /Your changes are saved/);
    const row = s.sql(`SELECT body, html, edited FROM comments WHERE id = ${id}`)[0];
    assert.equal(row.body, 'second **version**');
    assert.equal(row.html, '<p>second <strong>version</strong></p>\n');
    assert.ok(row.edited > 0);
    assert.match((await s.get(`/articles/${a}`)).body, new RegExp(`id="c${id}"[\\s\\S]*?\\(edited\\)`));
    // A reply keeps a deleted comment as a placeholder.
    const rep = await post(s, `/articles/${a}/comments`, { parent: String(id), body: 'a reply' });
    assert.equal(rep.status, 303);
    const count = s.sql(`SELECT ncomments FROM articles WHERE id = ${a}`)[0].ncomments;
    const d = await post(s, `/articles/${a}/comments/${id}/delete`, {}, cookie);
    assert.equal(d.status, 303);
    const dl = await s.get(d.headers.get('location').replace(/#.*/, ''), { headers: { cookie } });
    // Said beside the placeholder that keeps its place.
    assert.match(dl.body, new RegExp(`id="c${id}"[\\s\\S]*?This comment was deleted.</p>\n<p class="notice">Your comment is deleted`));
    const gone = s.sql(`SELECT status, body FROM comments WHERE id = ${id}`)[0];
    assert.deepEqual(gone, { status: 'deleted', body: '' });
    assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${a}`)[0].ncomments, count - 1);
    const page = await s.get(`/articles/${a}`);
    assert.match(page.body, new RegExp(`id="c${id}"[\\s\\S]*?This comment was deleted`));
    assert.ok(!page.body.includes('second <strong>version'));
    // Without replies, the row goes.
    const lone = await post(s, `/articles/${a}/comments`, { body: 'lonely' });
    const lid = idFromLocation(lone);
    assert.equal((await post(s, `/articles/${a}/comments/${lid}/delete`, {}, cookieOf(lone))).status, 303);
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE id = ${lid}`)[0].n, 0);
    // Ids are never reused, so old tokens never name a new comment.
    const next = await post(s, `/articles/${a}/comments`, { body: 'after delete' });
    assert.ok(idFromLocation(next) > lid);
  });

  test('an article can override the moderation mode, and go back to the default', async () => {
    const m = Number(s.cli(['article', 'add', '--uri', '/p/mode/', '--title', 'Mode']).stdout);
    assert.equal(s.cli(['article', 'set', String(m), '--mode', 'pre']).status, 0);
    let r = await post(s, `/articles/${m}/comments`, { body: 'held here' });
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${idFromLocation(r)}`)[0].status, 'pending');
    assert.equal(s.cli(['article', 'set', String(m), '--mode', 'default']).status, 0);
    r = await post(s, `/articles/${m}/comments`, { body: 'published here' });
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${idFromLocation(r)}`)[0].status, 'approved');
    assert.equal(s.cli(['article', 'set', String(m), '--mode', 'sometimes']).status, 2);
    assert.equal(s.cli(['article', 'set', '999999', '--close']).status, 1);
    assert.equal(s.cli(['article', 'set', String(m), '--close']).status, 0);
    r = await post(s, `/articles/${m}/comments`, { body: 'too late' });
    assert.equal(r.status, 403);
  });

  test('the ETag changes when a comment is posted', async () => {
    const r1 = await s.get(`/articles/${a}`);
    const etag = r1.headers.get('etag');
    assert.equal((await s.get(`/articles/${a}`, { headers: { 'if-none-match': etag } })).status, 304);
    await post(s, `/articles/${a}/comments`, { body: 'bump' });
    const r2 = await s.get(`/articles/${a}`, { headers: { 'if-none-match': etag } });
    assert.equal(r2.status, 200);
    assert.notEqual(r2.headers.get('etag'), etag);
  });

  test('20 clients posting at once: nothing lost, nothing doubled', async () => {
    const art = Number(s.cli(['article', 'add', '--uri', '/p/load/', '--title', 'Load']).stdout);
    const clients = [];
    for (let c = 0; c < 20; c++) {
      clients.push((async () => {
        const got = [];
        for (let i = 0; i < 10; i++) {
          const r = await post(s, `/articles/${art}/comments`, { author: `c${c}`, body: `client ${c} post ${i}` });
          assert.equal(r.status, 303);
          got.push(idFromLocation(r));
        }
        return got;
      })());
    }
    const ids = (await Promise.all(clients)).flat();
    assert.equal(new Set(ids).size, 200);
    const rows = s.sql(`SELECT id, body FROM comments WHERE article = ${art}`);
    assert.equal(rows.length, 200);
    assert.equal(new Set(rows.map((x) => x.body)).size, 200);
    assert.deepEqual(rows.map((x) => x.id).sort((x, y) => x - y), ids.sort((x, y) => x - y));
    assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${art}`)[0].ncomments, 200);
  });
});

describe('pre-moderation and limits', () => {
  let s;
  let a;
  before(async () => {
    s = await new Server({ moderation: { mode: 'pre' }, spam: { posts_per_minute: 3 } }).start();
    a = Number(s.cli(['article', 'add', '--uri', '/q/1/', '--title', 'Held']).stdout);
  });
  after(async () => { await s.stop(); });

  test('a held comment is shown to its author only, marked awaiting moderation', async () => {
    const r = await post(s, `/articles/${a}/comments`, { author: 'Pat', body: 'please approve' });
    assert.equal(r.status, 303);
    const id = idFromLocation(r);
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'pending');
    assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${a}`)[0].ncomments, 0);
    const mine = await s.get(r.headers.get('location').replace(/#.*/, ''), { headers: { cookie: cookieOf(r) } });
    assert.match(mine.body, /awaiting moderation/i);
    assert.match(mine.body, new RegExp(`class="comment pending posted" id="c${id}"`));
    assert.match(mine.headers.get('cache-control'), /private/);
    const other = await s.get(`/articles/${a}?posted=${id}`);
    assert.ok(!other.body.includes('please approve'));
    assert.ok(!other.body.includes('awaiting moderation'));
    assert.ok(!(await s.get(`/articles/${a}`)).body.includes('please approve'));
    // The author can reply to their own held comment.
    const rr = await post(s, `/articles/${a}/comments`, { parent: String(id), body: 'and more' }, cookieOf(r));
    assert.equal(rr.status, 303);
    // Nobody else can.
    const no = await post(s, `/articles/${a}/comments`, { parent: String(id), body: 'sneaky' });
    assert.equal(no.status, 422);
  });

  test('the posting limit answers 429 with Retry-After and keeps the text', async () => {
    // Two posts went in above; one more is allowed, the next is refused.
    assert.equal((await post(s, `/articles/${a}/comments`, { body: 'third' })).status, 303);
    const r = await post(s, `/articles/${a}/comments`, { author: 'Quick', body: 'fourth, too fast' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '60');
    assert.ok(r.body.includes('>fourth, too fast</textarea>'));
    assert.ok(r.body.includes('value="Quick"'));
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE body = 'fourth, too fast'`)[0].n, 0);
  });
});
