// embed.test.mjs: the embed widget (www/embed.js) on another site's pages.
// A small node server on its own loopback port plays the embedding site:
// an article page with the script tag and the section, an index page with
// count links, and a page whose section it fills at request time with
// palaver's /embed fragment (a stand-in for nginx SSI).  A second one, on a
// port palaver does not allow, plays a site that may not embed.  Both pages
// send a strict Content-Security-Policy: the widget needs no inline script,
// no inline style and no eval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { Server, ROOT } from '../e2e/lib.mjs';
import { launch, shot } from './browser.mjs';

const AXE = path.join(ROOT, 'tests/browser/node_modules/axe-core/axe.min.js');

let site;	// the embedding site (allowed)
let evil;	// another site (not allowed)
let O;		// its origin
let s;		// palaver, post-moderation
let pre;	// palaver, pre-moderation
let slow;	// palaver with [spam] min_submit_seconds = 1
let browser;
let thread;	// the comments of /a/render/

const esc = (t) => String(t).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The embedding site.  /a/NAME/ an article (?p=pre|slow picks the palaver,
// ?theme=, ?min= the widget's data-min-submit, 0 unless given), /index/ count
// links, /ssi/NAME/ an article with the thread drawn in by the server.
function sitePage(req, res) {
  const u = new URL(req.url, 'http://x');
  const srv = { pre, slow }[u.searchParams.get('p')] || s;
  const P = srv.base;
  const send = (body) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src ${P}; style-src 'self' ${P}; ` +
        `connect-src ${P}; img-src 'self' data:; form-action 'self' ${P}; base-uri 'none'`,
      'cache-control': 'no-store',
    });
    res.end(body);
  };
  const page = (title, main) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/site.css"></head>
<body><header><p>A site that embeds palaver</p></header>
<main>${main}</main>
<script src="${P}/static/embed.js" data-palaver="${P}/" data-min-submit="${esc(u.searchParams.get('min') || '0')}" defer></script>
</body></html>`;
  if (u.pathname === '/site.css') {
    res.writeHead(200, { 'content-type': 'text/css' });
    res.end('body { font-family: Georgia, serif; max-width: 46rem; margin: 0 auto; padding: 0 1rem; }');
    return;
  }
  let m;
  if ((m = u.pathname.match(/^\/a\/([a-z0-9-]+)\/$/))) {
    const theme = u.searchParams.get('theme');
    // ?de: the strings overridden, as a German site would.
    const de = u.searchParams.has('de') ? ' data-string-reply="Antworten" data-string-reply-to=" an {author}"' +
      ' data-string-count-one="{n} Kommentar" data-string-count-other="{n} Kommentare" data-string-post="Absenden"' +
      ' data-string-show-other="{n} Antworten zeigen"' : '';
    send(page(`Article ${m[1]}`, `<article><h1>Article ${esc(m[1])}</h1><p>Some text.</p></article>
<section id="palaver-thread" data-uri="${esc(u.pathname)}" data-title="Article ${esc(m[1])}"${theme ? ` data-theme="${esc(theme)}"` : ''}${de}></section>`));
    return;
  }
  if (u.pathname === '/index/') {
    send(page('Index', `<h1>Articles</h1><ul>
<li><a href="/a/c1/">One</a> <a id="n1" href="/a/c1/#palaver-thread" data-palaver-count="/a/c1/">comments</a></li>
<li><a href="/a/c2/">Two</a> <a id="n2" href="/a/c2/#palaver-thread" data-palaver-count="/a/c2/">comments</a></li>
<li><a href="/a/c0/">None</a> <a id="n0" href="/a/c0/#palaver-thread" data-palaver-count="/a/c0/">comments</a></li>
<li><a href="/a/c2/">Two again</a> <a id="n2b" href="/a/c2/#palaver-thread" data-palaver-count="/a/c2/" data-string-count-other="{n} Kommentare">Kommentare</a></li>
</ul>`));
    return;
  }
  if ((m = u.pathname.match(/^\/ssi\/([a-z0-9-]+)\/$/))) {
    const title = `Included ${m[1]}`;
    // The reader's cookies go along, as nginx's SSI subrequests pass them:
    // palaver knows its authors (and nginx's microcache lets them by).
    fetch(`${P}/embed?uri=${encodeURIComponent(u.pathname)}&title=${encodeURIComponent(title)}`,
      { headers: req.headers.cookie ? { cookie: req.headers.cookie } : {} })
      .then((r) => r.text())
      .then((frag) => send(page(title, `<article><h1>${esc(title)}</h1><p>Some text.</p></article>
<section id="palaver-thread" data-uri="${esc(u.pathname)}" data-title="${esc(title)}">${frag}</section>`)));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

async function listen(srv) {
  await new Promise((res) => srv.listen(0, '127.0.0.1', res));
  return `http://127.0.0.1:${srv.address().port}`;
}

// Comments through the API, as the widget on the site would post them:
// [author, body, index of the parent in this list or null].
let seeded = 0;
async function seed(srv, uri, rows) {
  const headers = { origin: O, 'content-type': 'application/json' };
  // Past nginx's microcache (an extra parameter): the copy it would keep
  // of the empty thread must not be what the page's widget is given next.
  const g = await (await srv.fetch(`/api/comments?uri=${encodeURIComponent(uri)}&seed=${++seeded}`, { headers: { origin: O } })).json();
  const ids = [];
  for (const [author, body, p] of rows) {
    const r = await srv.fetch(`/api/comments?uri=${encodeURIComponent(uri)}`, { method: 'POST', headers,
      body: JSON.stringify({ author, body, parent: p == null ? null : ids[p], form_token: g.form_token, hp: '', title: `Article ${uri}` }) });
    assert.equal(r.status, 201, await r.clone().text());
    ids.push((await r.json()).id);
  }
  return ids;
}

// The API requests a page makes, as [method, path+query], but for the
// widget's strings (GET /api/strings, once a page, before the rest: see
// log.strings).
function apiLog(page) {
  const log = [];
  // Not an element: deepEqual of the log compares the requests alone.
  Object.defineProperty(log, 'strings', { value: 0, writable: true });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/strings') log.strings++;
    else if (u.pathname.startsWith('/api/') || u.pathname.startsWith('/embed')) log.push([r.method(), u.pathname + u.search, r]);
  });
  return log;
}

// In the page: where each comment sits, in the thread on the page and in
// palaver's fragment (html): its id, the comment it is drawn inside, and
// the "in reply to" link of one drawn flat past max_depth.
const layouts = (html) => {
  const layout = (root) => [...root.querySelectorAll('li.comment')].map((li) => [li.id,
    li.parentElement.closest('li.comment')?.id || '-', li.parentElement.className,
    li.querySelector(':scope > article > header .in-reply-to')?.getAttribute('href') || '',
    li.querySelector(':scope > article > header .author')?.getAttribute('aria-level')].join(' '));
  return { js: layout(document.querySelector('#palaver-thread')),
    server: layout(new DOMParser().parseFromString(html, 'text/html')) };
};

async function axe(page, name) {
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(() => window.axe.run('#palaver-thread'));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${name}: axe`);
  return r;
}

before(async () => {
  site = http.createServer(sitePage);
  evil = http.createServer(sitePage);
  O = await listen(site);
  await listen(evil);
  const origins = { allowed_origins: O };
  [s, pre, slow, browser] = await Promise.all([
    new Server({ site: origins, spam: { posts_per_minute: 0 }, moderation: { page_size: 4 } }).start(),
    new Server({ site: origins, spam: { posts_per_minute: 0 }, moderation: { mode: 'pre' } }).start(),
    new Server({ site: origins, spam: { posts_per_minute: 0, min_submit_seconds: 1 } }).start(),
    launch(),
  ]);
  // The fragment links and posts to palaver's absolute address.
  await s.reconfigure({ site: { base_url: s.base } });
  thread = await seed(s, '/a/render/', [['Ada', 'The first, with *emphasis*.', null],
    ['Bram', 'A reply.', 0], ['Chen', 'A reply to the reply, [a link](https://example.com/).', 1], ['Dee', 'Second top-level.', null]]);
});

after(async () => {
  await browser?.close();
  site?.close();
  evil?.close();
  await Promise.all([s?.stop(), pre?.stop(), slow?.stop()]);
});

test('the widget draws an existing thread with the markup palaver draws', async () => {
  const [a, b, c, d] = thread;
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/a/render/`);
  await page.waitForSelector(`#palaver-thread li#c${d}`);
  // Nested as the thread is: c under b under a, d at the top.
  assert.equal(await page.locator(`#palaver-thread > ol.thread > li#c${a} > details > ol.replies > li#c${b} > details > ol.replies > li#c${c}`).count(), 1);
  assert.equal(await page.locator(`#palaver-thread > ol.thread > li#c${d}`).count(), 1);
  assert.equal(await page.getAttribute(`#c${c} .author`, 'aria-level'), '5');
  assert.equal(await page.textContent(`#c${a} .body em`), 'emphasis');
  assert.equal(await page.getAttribute(`#c${c} .body a`, 'rel'), 'nofollow ugc noopener');
  assert.equal(await page.textContent('#comments-h'), '4 comments');
  assert.ok(await page.$eval('#palaver-thread', (e) => e.classList.contains('palaver')));
  // One stylesheet link, and it applied.
  assert.equal(await page.locator(`link[href="${s.base}/static/palaver.css"]`).count(), 1);
  assert.equal(await page.$eval('ol.replies', (e) => getComputedStyle(e).borderLeftStyle), 'solid');
  // The same elements, classes, roles and text as palaver's fragment.
  const frag = await (await s.fetch('/embed?uri=/a/render/')).text();
  const shape = await page.evaluate((html) => {
    // A time's text is the reader's local one once the script ran: its
    // datetime is what must match.
    const skel = (ol) => [...ol.querySelectorAll('*')].map((e) => [e.tagName, e.className, e.id,
      e.getAttribute('role'), e.getAttribute('aria-level'), e.getAttribute('datetime'),
      e.children.length || e.tagName === 'TIME' ? '' : e.textContent.trim()].join('|'));
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return { js: skel(document.querySelector('#palaver-thread ol.thread')), server: skel(doc.querySelector('ol.thread')) };
  }, frag);
  assert.deepEqual(shape.js, shape.server);
  assert.equal(log.filter(([m, p]) => m === 'GET' && p.startsWith('/api/comments')).length, 1);
  await shot(page, 'embed-thread');
  await ctx.close();
});

test('a reader posts a comment and a nested reply, and a refused one keeps its text', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/a/post/`);
  await page.waitForSelector('#palaver-thread .empty');
  // Refused: the message at the form, the field marked, nothing lost.
  await page.fill('#f-body', 'My *first* comment.');
  await page.fill('#f-author', 'Ria');
  await page.fill('#f-website', 'javascript:alert(1)');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#f-error[role=alert]');
  assert.match(await page.textContent('#f-error'), /http:\/\/ or https:\/\//);
  assert.equal(await page.getAttribute('#f-website', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#f-website', 'aria-describedby'), 'f-error');
  assert.equal(await page.inputValue('#f-body'), 'My *first* comment.');
  assert.deepEqual(s.sql(`SELECT c.id FROM comments c JOIN articles a ON a.id = c.article WHERE a.uri = '/a/post/'`), []);
  // Nor an empty thread: it is made with its first accepted comment.
  assert.deepEqual(s.sql(`SELECT id FROM articles WHERE uri = '/a/post/'`), []);
  await shot(page, 'embed-refused');
  await page.fill('#f-website', 'https://ria.example/');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment');
  const top = s.sql(`SELECT c.id, c.parent, c.depth, c.status, a.title, a.title_proposed, a.made_by FROM comments c JOIN articles a ON a.id = c.article WHERE a.uri = '/a/post/'`);
  assert.equal(top.length, 1);
  assert.equal(top[0].parent, null);
  assert.equal(top[0].depth, 0);
  assert.equal(top[0].status, 'approved');
  // A reader's first comment made the thread: data-title is kept as the
  // proposed title, shown once a moderator accepts it (issue 9).
  assert.equal(top[0].title, '/a/post/');
  assert.equal(top[0].title_proposed, 'Article post');
  assert.equal(top[0].made_by, 'reader');
  const id = top[0].id;
  assert.match(await page.textContent('#palaver-thread .status'), /Your comment is published/);
  assert.equal(await page.textContent(`#c${id} .author a`), 'Ria');
  assert.equal(await page.$$eval('#f-error, [aria-invalid]', (e) => e.length), 0);
  assert.equal(await page.inputValue('#f-body'), '');
  assert.equal(await page.inputValue('#f-author'), 'Ria');	// kept for the next one
  assert.equal(await page.textContent('#comments-h'), '1 comment');

  // Reply: the form opens under the comment with focus in it; Escape
  // closes it and gives focus back.
  await page.focus(`#c${id} a.reply`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#c${id} > article > form#reply-${id}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'r-body');
  assert.equal(await page.getAttribute(`#c${id} a.reply`, 'aria-expanded'), 'true');
  await page.keyboard.type('Half a thought');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(`#reply-${id}`).count(), 0);
  assert.ok(await page.evaluate((i) => document.activeElement === document.querySelector(`#c${i} a.reply`), id));
  await page.click(`#c${id} a.reply`);
  assert.equal(await page.inputValue('#r-body'), 'Half a thought');	// not lost
  await page.fill('#r-body', 'A **nested** reply.');
  assert.equal(await page.inputValue('#r-author'), 'Ria');
  await page.fill('#r-author', 'Sol');
  await shot(page, 'embed-reply-form');
  await page.click(`#reply-${id} button[type=submit]`);
  await page.waitForSelector(`#c${id} > details > ol.replies > li.comment`);
  const reply = s.sql(`SELECT id, parent, depth FROM comments WHERE author = 'Sol'`)[0];
  assert.equal(reply.parent, id);
  assert.equal(reply.depth, 1);
  assert.equal(await page.textContent(`#c${id} > details > ol.replies > li#c${reply.id} .body strong`), 'nested');
  assert.equal(await page.getAttribute(`#c${reply.id} .author`, 'aria-level'), '4');
  assert.equal(await page.locator(`#reply-${id}`).count(), 0);
  assert.equal(await page.textContent('#comments-h'), '2 comments');
  // The posts went through the API with JSON, the anti-spam fields and the title.
  const posts = log.filter(([m]) => m === 'POST');
  assert.equal(posts.length, 3);
  const sent = posts[2][2].postDataJSON();
  assert.equal(sent.parent, id);
  assert.equal(sent.hp, '');
  assert.ok(sent.form_token);
  assert.equal(sent.title, 'Article post');
  await shot(page, 'embed-replied');

  // Reloaded: drawn from the API the same way, and the reader's tokens sent.
  await page.reload();
  await page.waitForSelector(`#c${id} > details > ol.replies > li#c${reply.id}`);
  const get = log.filter(([m, p]) => m === 'GET' && p.startsWith('/api/comments')).at(-1)[2];
  const toks = (await get.allHeaders())['x-palaver-token'].split('~');
  assert.equal(toks.length, 2);
  await ctx.close();
});

test('pre-moderation: the author sees "Awaiting moderation", nobody else sees the comment', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/held/?p=pre`);
  await page.waitForSelector('#f-body');
  await page.fill('#f-body', 'Held for a moderator.');
  await page.fill('#f-author', 'Uma');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment.pending');
  const row = pre.sql(`SELECT id, status FROM comments WHERE author = 'Uma'`)[0];
  assert.equal(row.status, 'pending');
  assert.equal(await page.textContent(`#c${row.id} .awaiting`), 'Awaiting moderation');
  assert.match(await page.textContent('#palaver-thread .status'), /awaiting moderation/);
  assert.equal(await page.textContent('#comments-h'), '0 comments');
  // A held comment has no reply link; its author may still change it.
  assert.equal(await page.locator(`#c${row.id} a.reply`).count(), 0);
  assert.equal(await page.locator(`#c${row.id} a.edit`).count(), 1);
  await shot(page, 'embed-pending');
  // Again later, in the same browser: still there for its author.
  await page.reload();
  await page.waitForSelector(`#c${row.id}.pending .awaiting`);
  await ctx.close();
  // Someone else: an empty thread.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(`${O}/a/held/?p=pre`);
  await p2.waitForSelector('#palaver-thread .empty');
  assert.equal(await p2.locator('#palaver-thread li.comment').count(), 0);
  await other.close();
});

test('pre-moderation in a server-drawn fragment: the author still sees their held comment', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/ssi/held/?p=pre`);
  await page.waitForSelector('#palaver-thread section[data-palaver-rendered] #f-body');
  await page.fill('#f-body', 'Held, in a fragment.');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment.pending');
  const id = pre.sql(`SELECT id FROM comments WHERE body = 'Held, in a fragment.'`)[0].id;
  // The fragment comes from the server without it; the widget asks for it.
  await page.reload();
  await page.waitForSelector(`#c${id}.pending .awaiting`);
  assert.equal(await page.locator(`#c${id} a.edit`).count(), 1);
  assert.deepEqual(log.map(([m, p]) => m + ' ' + p.split('?')[0]), ['POST /api/comments', 'GET /api/comments']);
  await ctx.close();
  // Nobody else does, and nothing is fetched for them.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  const log2 = apiLog(p2);
  await p2.goto(`${O}/ssi/held/?p=pre`);
  await p2.waitForLoadState('networkidle');
  assert.equal(await p2.locator('#palaver-thread li.comment').count(), 0);
  assert.deepEqual(log2, []);
  await other.close();
});

test('the author edits and deletes their comments within the window', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/edit/`);
  await page.waitForSelector('#f-body');
  await page.fill('#f-body', 'First version.');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment');
  const id = s.sql(`SELECT id FROM comments WHERE body = 'First version.'`)[0].id;
  assert.match(await page.textContent(`#c${id} .window`), /^You can change this until \d\d?:\d\d( [AP]M)?\.$/);
  // Edit, by keyboard: the source comes back in the form.
  await page.focus(`#c${id} a.edit`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#edit-${id}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'e-body');
  assert.equal(await page.inputValue('#e-body'), 'First version.');
  await page.fill('#e-body', 'Second **version**.');
  await shot(page, 'embed-edit');
  await page.click(`#edit-${id} button[type=submit]`);
  await page.waitForSelector(`#c${id} .edited`);
  const row = s.sql(`SELECT body, edited FROM comments WHERE id = ${id}`)[0];
  assert.equal(row.body, 'Second **version**.');
  assert.ok(row.edited > 0);
  assert.equal(await page.textContent(`#c${id} .body strong`), 'version');
  assert.match(await page.textContent('#palaver-thread .status'), /Your changes are saved/);
  assert.ok(await page.evaluate((i) => document.activeElement === document.querySelector(`#c${i} a.edit`), id));
  // The edited source is what the next edit starts from, after a reload too.
  await page.reload();
  await page.waitForSelector(`#c${id} a.edit`);
  await page.click(`#c${id} a.edit`);
  assert.equal(await page.inputValue('#e-body'), 'Second **version**.');
  await page.click(`#edit-${id} .form-actions a`);	// Cancel
  assert.equal(await page.locator(`#edit-${id}`).count(), 0);

  // A reply, then the parent deleted: kept as a placeholder for the reply.
  await page.click(`#c${id} a.reply`);
  await page.fill('#r-body', 'My own reply.');
  await page.click(`#reply-${id} button[type=submit]`);
  await page.waitForSelector(`#c${id} ol.replies li.comment`);
  const rid = s.sql(`SELECT id FROM comments WHERE body = 'My own reply.'`)[0].id;
  await page.click(`#c${id} > article form.inline button`);
  await page.waitForSelector(`#c${id} .pv-confirm`);
  await shot(page, 'embed-delete-confirm');
  assert.ok(await page.evaluate((i) => document.activeElement === document.querySelector(`#c${i} .pv-yes`), id));
  await page.click(`#c${id} .pv-no`);	// Keep it
  assert.ok(await page.evaluate((i) => document.activeElement === document.querySelector(`#c${i} form.inline button`), id));
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
  await page.click(`#c${id} > article form.inline button`);
  await page.click(`#c${id} .pv-yes`);
  await page.waitForSelector(`#c${id} > article > .gone`);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'deleted');
  assert.match(await page.textContent('#palaver-thread .status'), /Your comment is deleted/);
  assert.equal(await page.textContent('#comments-h'), '1 comment');
  // The reply, with nothing under it, goes altogether.
  await page.click(`#c${rid} form.inline button`);
  await page.click(`#c${rid} .pv-yes`);
  await page.waitForSelector(`#c${rid}`, { state: 'detached' });
  assert.deepEqual(s.sql(`SELECT id FROM comments WHERE id = ${rid}`), []);
  assert.equal(await page.textContent('#comments-h'), '0 comments');
  await ctx.close();
});

test('edit and delete go away when the edit window ends', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/window/`);
  await page.waitForSelector('#f-body');
  await page.fill('#f-body', 'Soon fixed in stone.');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment a.edit');
  const key = `palaver:tokens@${s.base}`;
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].body, 'Soon fixed in stone.');
  assert.match(stored[0].token, /^\d+\.\d+\./);
  // Two seconds left: the buttons are there, then they are not.
  const soon = Math.floor(Date.now() / 1000) + 2;
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, JSON.stringify([{ ...stored[0], until: soon }])]);
  await page.reload();
  await page.waitForSelector('#palaver-thread a.edit');
  await page.waitForSelector('#palaver-thread a.edit', { state: 'detached', timeout: 5000 });
  assert.equal(await page.locator('#palaver-thread form.inline, #palaver-thread .window').count(), 0);
  // Reloaded after it: none, and the token is gone from storage.
  await page.reload();
  await page.waitForSelector('#palaver-thread li.comment');
  assert.equal(await page.locator('#palaver-thread a.edit').count(), 0);
  assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key)), []);
  await ctx.close();
});

test('"More comments" appends the next page', async () => {
  const ids = await seed(s, '/a/more/', [1, 2, 3, 4, 5, 6].map((i) => [`R${i}`, `Comment ${i}.`, null]));
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/a/more/`);
  await page.waitForSelector('#palaver-thread nav.pages a');
  assert.equal(await page.locator('#palaver-thread li.comment').count(), 4);
  await page.click('#palaver-thread nav.pages a');
  await page.waitForSelector(`#c${ids[5]}`);
  assert.deepEqual(await page.$$eval('#palaver-thread ol.thread > li', (l) => l.map((e) => e.id)), ids.map((i) => `c${i}`));
  assert.equal(await page.locator('#palaver-thread nav.pages').count(), 0);
  assert.ok(log.some(([m, p]) => m === 'GET' && /after=\d+/.test(p)));
  assert.equal(page.url(), `${O}/a/more/`);
  // Newest first: the order switches in place, a page at a time again.
  await page.click('#palaver-thread nav.order a:has-text("newest first")');
  await page.waitForSelector('#palaver-thread nav.order a[aria-current]:has-text("newest first")');
  assert.deepEqual(await page.$$eval('#palaver-thread ol.thread > li', (l) => l.map((e) => e.id)),
    ids.slice(2).reverse().map((i) => `c${i}`));
  assert.ok(log.some(([m, p]) => m === 'GET' && /order=newest/.test(p)));
  await page.click('#palaver-thread nav.pages a');
  await page.waitForSelector(`#c${ids[0]}`);
  assert.deepEqual(await page.$$eval('#palaver-thread ol.thread > li', (l) => l.map((e) => e.id)),
    ids.slice().reverse().map((i) => `c${i}`));
  assert.equal(page.url(), `${O}/a/more/`);
  await ctx.close();
});

test('counts on an index page come in one request', async () => {
  await seed(s, '/a/c1/', [['A', 'Counted once.', null]]);
  await seed(s, '/a/c2/', [['A', 'Counted twice.', null], ['B', 'Counted a third time.', 0]]);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/index/`);
  await page.waitForFunction(() => document.querySelector('#n0').textContent !== 'comments');
  assert.equal(await page.textContent('#n1'), '1 comment');
  assert.equal(await page.textContent('#n2'), '2 comments');
  assert.equal(await page.textContent('#n0'), '0 comments');
  assert.equal(await page.textContent('#n2b'), '2 Kommentare');
  const counts = log.filter(([, p]) => p.startsWith('/api/counts'));
  assert.equal(counts.length, 1);
  assert.deepEqual(new URL(counts[0][1], O).searchParams.getAll('uri'), ['/a/c1/', '/a/c2/', '/a/c0/']);
  assert.equal(log.length, 1);	// and nothing else: no thread on this page
  assert.equal(log.strings, 1);	// but the widget's strings, once
  await shot(page, 'embed-counts');
  await ctx.close();
});

test('the server-drawn fragment works with JavaScript off', async () => {
  const [first] = await seed(s, '/ssi/nojs/', [['Ada', 'Drawn by the server.', null]]);
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${O}/ssi/nojs/`);
  assert.equal(await page.locator(`#palaver-thread > section.palaver[data-palaver-rendered="1"] li#c${first}`).count(), 1);
  await page.fill('#f-body', 'Posted without JavaScript.');
  await page.fill('#f-author', 'Nox');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('#comment-form button[type=submit]'),
  ]);
  assert.equal(new URL(resp.url()).pathname, '/embed/comments');
  assert.equal(resp.status(), 303);
  const row = s.sql(`SELECT id, parent, status FROM comments WHERE author = 'Nox'`)[0];
  assert.equal(row.status, 'approved');
  assert.equal(resp.headers().location, `${O}/ssi/nojs/#c${row.id}`);
  await page.waitForURL(`${O}/ssi/nojs/#c${row.id}`);
  await page.waitForSelector(`#c${row.id}`);
  assert.equal(await page.textContent(`#c${row.id} .body`), 'Posted without JavaScript.\n');
  await shot(page, 'embed-fragment-nojs');
  await ctx.close();
});

test('with JavaScript on, the fragment is enhanced in place, not drawn again', async () => {
  // Five at the top: the fragment shows four (page_size) and a link.
  const ids = await seed(s, '/ssi/js/', [['Ada', 'Top.', null], ['Bram', 'Reply.', 0],
    ['C', 'Three.', null], ['D', 'Four.', null], ['E', 'Five.', null], ['F', 'Six.', null]]);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  await page.goto(`${O}/ssi/js/`);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('#palaver-thread a.reply[aria-expanded="false"]').count(), 5);
  assert.equal(await page.locator(`#c${ids[5]}`).count(), 0);
  assert.deepEqual(log.map(([m, p]) => m + ' ' + p), []);	// no GET /api/comments
  assert.equal(await page.locator('#palaver-thread section.palaver').count(), 1);
  assert.equal(await page.getAttribute('#palaver-thread section.palaver', 'data-theme'), 'auto');
  // A reply link opens the inline form instead of going to palaver's page.
  await page.click(`#c${ids[1]} a.reply`);
  await page.waitForSelector(`#c${ids[1]} > article > #reply-${ids[1]}`);
  assert.equal(page.url(), `${O}/ssi/js/`);
  await page.fill('#r-body', 'Through the API.');
  await page.click(`#reply-${ids[1]} button[type=submit]`);
  await page.waitForSelector(`#c${ids[1]} > details > ol.replies > li.comment`);
  const row = s.sql(`SELECT id, parent, depth FROM comments WHERE body = 'Through the API.'`)[0];
  assert.equal(row.parent, ids[1]);
  assert.equal(row.depth, 2);
  assert.equal(await page.locator(`#c${ids[0]} > details > ol.replies > li#c${ids[1]} > details > ol.replies > li#c${row.id}`).count(), 1);
  assert.equal(await page.locator(`#c${row.id} a.edit`).count(), 1);
  // The fragment's own form posts through the API too.
  await page.fill('#f-body', 'Top-level through the API.');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread .status >> text=Your comment is published.');
  const top = s.sql(`SELECT id, parent FROM comments WHERE body = 'Top-level through the API.'`)[0];
  assert.equal(top.parent, null);
  assert.equal(await page.locator(`#palaver-thread ol.thread > li#c${top.id}`).count(), 1);
  assert.equal(await page.textContent('#comments-h'), '8 comments');
  assert.deepEqual(log.map(([m, p]) => m + ' ' + p.split('?')[0]), ['POST /api/comments', 'POST /api/comments']);
  // "More comments" from the fragment's link: the fifth comment, once.
  await page.click('#palaver-thread nav.pages a');
  await page.waitForSelector(`#c${ids[5]}`);
  assert.equal(await page.locator(`#c${top.id}`).count(), 1);
  assert.deepEqual(await page.$$eval('#palaver-thread ol.thread > li', (l) => l.map((e) => e.id)),
    [ids[0], ids[2], ids[3], ids[4], ids[5], top.id].map((i) => `c${i}`));
  assert.equal(await page.locator(`#c${top.id} a.edit`).count(), 1);
  assert.equal(await page.locator('#palaver-thread nav.pages').count(), 0);
  assert.equal(page.url(), `${O}/ssi/js/`);
  await shot(page, 'embed-fragment-js');
  await ctx.close();
});

test('deep threads are drawn flat past max_depth, as palaver draws them', async () => {
  // A chain of nine replies, and a second reply to the sixth level.
  const rows = [['L0', 'Level 0.', null]];
  for (let i = 1; i <= 8; i++) rows.push([`L${i}`, `Level ${i}.`, i - 1]);
  rows.push(['M7', 'Another at level 7.', 6]);
  const ids = await seed(s, '/a/deep/', rows);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/deep/`);
  await page.waitForSelector(`#c${ids[9]}`);
  // Past nginx's microcache: what palaver draws now.
  let n = 0;
  const server = async () => (await s.fetch(`/embed?uri=/a/deep/&now=${++n}`)).text();
  const compare = async () => {
    const got = await page.evaluate(layouts, await server());
    assert.deepEqual(got.js, got.server);
    return got.js;
  };
  const drawn = await compare();
  assert.ok(drawn.some((l) => l === `c${ids[8]} c${ids[5]} replies ${s.base}/c/${ids[7]} 9`), drawn.join('\n'));
  // Replies posted at the deepest level land where palaver puts them.
  await page.click(`#c${ids[8]} a.reply`);
  await page.fill('#r-body', 'Deeper still.');
  await page.click(`#reply-${ids[8]} button[type=submit]`);
  await page.waitForSelector('#palaver-thread .status >> text=Your comment is published.');
  await page.click(`#c${ids[7]} a.reply`);
  await page.fill('#r-body', 'Between.');
  await page.click(`#reply-${ids[7]} button[type=submit]`);
  await page.waitForSelector('#palaver-thread .status >> text=Your comment is published.');
  await page.waitForFunction(() => document.querySelectorAll('#palaver-thread li.comment').length === 12);
  await compare();
  await shot(page, 'embed-deep');
  // Closed (as a moderator would): no forms and no reply links.
  s.sql(`UPDATE articles SET closed = 1 WHERE uri = '/a/deep/'`);
  await page.reload();
  await page.waitForSelector('#palaver-thread .closed');
  assert.equal(await page.textContent('#palaver-thread .closed'), 'Comments are closed.');
  assert.equal(await page.locator('#palaver-thread form.comment-form, #palaver-thread a.reply').count(), 0);
  await compare();
  await ctx.close();
});

test('every string can be overridden on the section', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/render/?de`);
  await page.waitForSelector('#palaver-thread li.comment');
  assert.match(await page.textContent('#comments-h'), /^\d+ Kommentare$/);
  assert.equal(await page.textContent(`#c${thread[0]} a.reply`), 'Antworten an Ada');
  assert.equal(await page.textContent('#comment-form button[type=submit]'), 'Absenden');
  assert.equal(await page.textContent(`#c${thread[0]} details.replies .show`), '2 Antworten zeigen');
  // Times come from Intl, in the page's language: "now", "3 minutes
  // ago", and the full date on hover.
  assert.match(await page.textContent(`#c${thread[0]} time`), /now|ago|second|minute|hour/);
  assert.ok((await page.getAttribute(`#c${thread[0]} time`, 'title')).length > 10);
  await ctx.close();
});

test('dark theme: asked for, and auto following the reader', async () => {
  for (const [name, url, scheme, dark] of [
    ['dark', '/a/render/?theme=dark', 'light', true],
    ['auto-dark', '/a/render/', 'dark', true],
    ['auto-light', '/a/render/', 'light', false],
    ['light-forced', '/a/render/?theme=light', 'dark', false]]) {
    const ctx = await browser.newContext({ colorScheme: scheme });
    const page = await ctx.newPage();
    await page.goto(O + url);
    await page.waitForSelector('#palaver-thread li.comment');
    const bg = await page.$eval('#palaver-thread', (e) => getComputedStyle(e).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    assert.ok(dark ? lum < 0.2 : lum > 0.8, `${name}: background ${bg}`);
    await shot(page, `embed-theme-${name}`);
    await ctx.close();
  }
});

test('comments since the last visit are marked, with a way to jump to them', async () => {
  const ids = await seed(s, '/a/new/', [['Old', 'Seen before.', null], ['Newer', 'Since then.', null], ['Newest', 'Just now.', 0]]);
  const t = Math.floor(Date.now() / 1000);
  s.sql(`UPDATE comments SET created = ${t - 3600} WHERE id = ${ids[0]}`);
  s.sql(`UPDATE comments SET created = ${t - 600} WHERE id = ${ids[1]}`);
  s.sql(`UPDATE comments SET created = ${t - 60} WHERE id = ${ids[2]}`);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${O}/a/new/`);
  await page.waitForSelector(`#c${ids[2]}`);
  // A first visit: nothing is "new".
  assert.equal(await page.locator('li.comment.new').count(), 0);
  assert.equal(await page.locator('.pv-jump').count(), 0);
  // The last visit was 20 minutes ago.
  await page.evaluate(([k, v]) => localStorage.setItem(k, v),
    [`palaver:visits@${s.base}`, JSON.stringify({ '/a/new/': t - 1200 })]);
  await page.reload();
  await page.waitForSelector('.pv-jump');
  // In the order of the page: the reply to the old one comes first.
  assert.deepEqual(await page.$$eval('li.comment.new', (l) => l.map((e) => e.id)), [`c${ids[2]}`, `c${ids[1]}`]);
  assert.equal(await page.textContent('.pv-jump'), '2 new comments \u2014 jump to the first');
  await page.click('.pv-jump');
  assert.ok(await page.evaluate((i) => document.activeElement === document.querySelector(`#c${i} > article`), ids[2]));
  await shot(page, 'embed-new-since');
  // This visit counts as seen.
  await page.reload();
  await page.waitForSelector(`#c${ids[2]}`);
  assert.equal(await page.locator('li.comment.new').count(), 0);
  await ctx.close();
});

test('a site that is not allowed gets an error and stores nothing', async () => {
  const E = `http://127.0.0.1:${evil.address().port}`;
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const failed = [];
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(s.base + '/api/') && !r.url().startsWith(s.base + '/api/strings')) failed.push(r.method());
  });
  await page.goto(`${E}/a/evil/`);
  await page.waitForSelector('#palaver-thread .status .form-error');
  assert.equal(await page.textContent('#palaver-thread .status'), 'The comments could not be loaded.');
  assert.equal(await page.locator('#palaver-thread form').count(), 0);
  // The page's own try at posting: the preflight is refused.
  const err = await page.evaluate(async (base) => {
    try {
      await fetch(`${base}/api/comments?uri=/a/evil/`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Sneaky.', title: 'Evil' }) });
      return 'sent';
    } catch (e) {
      return e.name;
    }
  }, s.base);
  assert.equal(err, 'TypeError');
  // The browser kept both answers from the page: the GET's 404 without
  // CORS headers, and the POST's preflight, which palaver refuses.
  assert.deepEqual(failed, ['GET', 'POST']);
  const pf = await s.fetch('/api/comments?uri=/a/evil/', { method: 'OPTIONS',
    headers: { origin: E, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  assert.equal(pf.status, 403);
  assert.equal(pf.headers.get('access-control-allow-origin'), null);
  // And without the browser's help: 403.
  const r = await s.fetch('/api/comments?uri=/a/evil/', { method: 'POST', body: JSON.stringify({ body: 'Sneaky.', title: 'Evil' }),
    headers: { origin: E, 'content-type': 'application/json' } });
  assert.equal(r.status, 403);
  assert.deepEqual(s.sql(`SELECT id FROM articles WHERE uri = '/a/evil/'`), []);
  assert.deepEqual(s.sql(`SELECT id FROM comments WHERE body = 'Sneaky.'`), []);
  await shot(page, 'embed-not-allowed');
  await ctx.close();
});

test('with min_submit_seconds = 1, a quick reader is not taken for a bot', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = apiLog(page);
  // The thread's first answer (with the form token) and the first post,
  // timed by the browser itself: events reach this process late, and by
  // different amounts on a busy machine.
  const reqs = {};
  page.on('requestfinished', (r) => { if (r.url().includes('/api/comments')) reqs[r.method()] ??= r; });
  await page.goto(`${O}/a/quick/?p=slow&min=1`);
  await page.waitForSelector('#f-body');
  // Typed and sent at once: the widget waits out the second.
  await page.fill('#f-body', 'Quick.');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#palaver-thread li.comment');
  for (let i = 0; i < 100 && !reqs.POST; i++) await new Promise((ok) => setTimeout(ok, 20));
  const [tg, tp] = [reqs.GET.timing(), reqs.POST.timing()];
  assert.ok(tg.responseEnd > 0, JSON.stringify(tg));
  const gap = tp.startTime - (tg.startTime + tg.responseEnd);
  assert.ok(gap >= 1000, `sent ${gap} ms after the form token came`);
  // A reader who takes over a second to type: sent at once.
  await page.click('#palaver-thread a.reply');
  await page.keyboard.type('Slower, thinking it over.', { delay: 60 });
  const t0 = Date.now();
  await page.click('#palaver-thread form[id^="reply-"] button[type=submit]');
  await page.waitForSelector('#palaver-thread ol.replies li.comment');
  assert.ok(Date.now() - t0 < 1000);
  const rows = slow.sql(`SELECT body, status, reasons FROM comments ORDER BY id`);
  assert.deepEqual(rows.map((r) => [r.body, r.status, r.reasons]), [['Quick.', 'approved', ''], ['Slower, thinking it over.', 'approved', '']]);
  // Both with a token palaver accepted and did not see before.
  const sent = log.filter(([m]) => m === 'POST').map(([, , r]) => r.postDataJSON().form_token);
  assert.equal(sent.length, 2);
  assert.notEqual(sent[0], sent[1]);
  // What the wait saves a reader from: the same post, sent at once.
  const g = await (await slow.fetch('/api/comments?uri=/a/quick/', { headers: { origin: O } })).json();
  const r = await slow.fetch('/api/comments?uri=/a/quick/', { method: 'POST', headers: { origin: O, 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'Too quick.', form_token: g.form_token, hp: '' }) });
  assert.equal((await r.json()).status, 'pending');
  assert.match(slow.sql(`SELECT reasons FROM comments WHERE body = 'Too quick.'`)[0].reasons, /after the form was served/);
  await ctx.close();
});

test('no serious or critical accessibility problems, light and dark', async () => {
  for (const theme of ['light', 'dark']) {
    const ctx = await browser.newContext({ bypassCSP: true });	// to inject axe
    const page = await ctx.newPage();
    await page.goto(`${O}/a/render/?theme=${theme}`);
    await page.waitForSelector('#palaver-thread li.comment');
    // The reader's own comment (edit, delete, the window) and an open reply form.
    await page.fill('#f-body', `Checked in ${theme}.`);
    await page.click('#comment-form button[type=submit]');
    await page.waitForSelector('#palaver-thread .status >> text=Your comment is published.');
    await page.click('#palaver-thread a.reply');
    await axe(page, theme);
    // Marked new, with the jump button and an error shown.
    await page.evaluate(([k]) => localStorage.setItem(k, JSON.stringify({ '/a/render/': 1 })), [`palaver:visits@${s.base}`]);
    await page.reload();
    await page.waitForSelector('.pv-jump');
    await page.click('#palaver-thread a.reply');
    await page.fill('#r-website', 'ftp://nope');
    await page.fill('#r-body', 'x');
    await page.click('#palaver-thread form[id^="reply-"] button[type=submit]');
    await page.waitForSelector('#r-error');
    await axe(page, `${theme}, new and refused`);
    await shot(page, `embed-a11y-${theme}`);
    await ctx.close();
  }
  // The enhanced fragment too.
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(`${O}/ssi/js/`);
  await page.waitForSelector('#palaver-thread a.reply[aria-expanded]');
  await axe(page, 'fragment');
  await ctx.close();
});

// A form token is good for one comment, so two readers served in the same
// second must not get the same one (each carries a random nonce), or the
// second to post would be scored as a replay.
test('two readers served in the same second both get published', async () => {
  await new Promise((res) => setTimeout(res, 1000 - (Date.now() % 1000) + 20));	// just after a second starts
  const ctxs = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(ctxs.map((c) => c.newPage()));
  await Promise.all(pages.map((p) => p.goto(`${O}/a/twins/?p=slow&min=1`)));
  await Promise.all(pages.map((p) => p.waitForSelector('#f-body')));
  for (const [i, p] of pages.entries()) {
    await p.fill('#f-body', `Reader ${i} has a different thing to say.`);
    await p.click('#comment-form button[type=submit]');
    await p.waitForSelector('#palaver-thread li.comment');
  }
  await Promise.all(ctxs.map((c) => c.close()));
  const rows = slow.sql(`SELECT c.status, c.reasons FROM comments c JOIN articles a ON a.id = c.article WHERE a.uri = '/a/twins/' ORDER BY c.id`);
  assert.deepEqual(rows.map((r) => r.status), ['approved', 'approved'], JSON.stringify(rows));
});
