// readers.test.mjs: issue 14 in a real browser, JavaScript on and off,
// desktop and phone: inline replies and the highlighted result, edits in
// place, permalinks to page 3 in every order, preview, votes and "best
// first", reports and the hold, folding, times, touch targets, no sideways
// scrolling, axe-core, and the widget on a host page with hostile CSS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, freshArg } from '../e2e/lib.mjs';
import { launch, shot, axeCheck } from './browser.mjs';

let s;		// palaver: pages of 2 top-level comments, up and down votes
let browser;
let art;
let host;	// a site embedding the thread: /friendly/ and /hostile/
let H;		// its origin
const roots = [];
const replies = [];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const NARROW = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

// The host page: the same thread, with or without CSS that would restyle
// every element it could reach.
const HOSTILE = `header { text-decoration: underline; background: #f0f; padding: 30px; }
* { margin: 13px; font-family: cursive; letter-spacing: 3px; line-height: 3; color: #a00; }
button { background: lime; border: 5px dotted red; text-transform: uppercase; border-radius: 0; }
a { text-decoration: overline; color: orange; } p { font-size: 30px; } li { list-style: square; }
summary { display: none; } form { display: none; } footer { display: none; }
time { font-weight: 900; } details { border: 4px solid blue; } ol { padding: 40px; }`;

function hostPage(req, res) {
  const u = new URL(req.url, 'http://x');
  const hostile = u.pathname.startsWith('/hostile/');
  if (!hostile && !u.pathname.startsWith('/friendly/')) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Host</title>
${hostile ? `<style>${HOSTILE}</style>` : ''}</head><body><main><h1>A host page</h1>
<section id="palaver-thread" data-uri="/readers/"></section></main>
<script src="${s.base}/static/embed.js" data-palaver="${s.base}/" data-min-submit="0" defer></script>
${hostile ? `<style>${HOSTILE}</style>` : ''}</body></html>`);
}

async function post(fields, headers = {}) {
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST', headers: { ...FORM, ...headers },
    body: new URLSearchParams(fields).toString() });
  await r.text();
  return Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
}

async function vote(id, v, addr) {
  const r = await s.fetch(`/api/comments/${id}/vote`, { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addr }, body: JSON.stringify({ vote: v }) });
  assert.equal(r.status, 200);
}

// The roots in an order, page by page, as the API gives them.
async function rootsIn(order) {
  const out = [];
  let after = 0;
  for (;;) {
    const j = await (await s.fetch(`/api/comments?uri=/readers/&order=${order}${after ? `&after=${after}` : ''}`)).json();
    out.push(...j.comments.map((c) => c.id));
    if (!j.next) return out;
    after = j.next;
  }
}

before(async () => {
  host = http.createServer(hostPage);
  await new Promise((res) => host.listen(0, '127.0.0.1', res));
  H = `http://127.0.0.1:${host.address().port}`;
  [s, browser] = await Promise.all([new Server({
    moderation: { page_size: 2, report_hold: 2 }, spam: { posts_per_minute: 0 },
    votes: { down: 'yes', per_minute: 0 }, site: { allowed_origins: H, timezone: 'Europe/Berlin' },
  }).start(), launch()]);
  art = Number(s.cli(['article', 'add', '--uri', '/readers/', '--title', 'Readers, in a browser']).stdout);
  for (let i = 0; i < 7; i++) {
    roots.push(await post({ author: `Root ${i}`, body: `Top-level comment number ${i}, with *some* text.` }));
    replies.push(await post({ author: `Reply ${i}`, body: `A reply to ${i}.`, parent: String(roots[i]) }));
  }
  // Votes that make "best first" differ from both other orders.
  let n = 0;
  for (const [i, ups, downs] of [[3, 4, 0], [5, 2, 0], [1, 1, 1], [6, 1, 0]]) {
    for (let k = 0; k < ups; k++) await vote(roots[i], 1, `127.0.9.${++n}`);
    for (let k = 0; k < downs; k++) await vote(roots[i], -1, `127.0.9.${++n}`);
  }
});

after(async () => {
  await browser?.close();
  host?.close();
  await s?.stop();
});

// Width and height of every element matching sel.
const boxes = (page, sel) => page.$$eval(sel, (els) => els.filter((e) => e.offsetParent !== null)
  .map((e) => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, r.width, r.height]; }));

test('desktop and phone, script on and off: no sideways scrolling, 44 px targets', async () => {
  for (const [name, opts] of [['desktop', DESKTOP], ['phone', PHONE], ['narrow', NARROW]]) {
    for (const js of [true, false]) {
      const ctx = await browser.newContext({ ...opts, javaScriptEnabled: js });
      const page = await ctx.newPage();
      // The reader's own comment, for Edit and Delete: a reply on the
      // first page, among others' comments.
      await page.goto(`${s.base}/articles/${art}?reply=${roots[0]}#reply-${roots[0]}`);
      await page.fill(`#reply-${roots[0]} textarea`, `Mine, on a ${name}.`);
      await page.click(`#reply-${roots[0]} button[type=submit]:not([name])`);
      await page.waitForSelector('li.comment.posted');
      const mine = await page.$eval('li.comment.posted', (e) => e.id);
      if (js)
        await page.waitForSelector(`#${mine} a.edit`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} ${js}: ${overflow}px of sideways scrolling`);
      if (name !== 'desktop') {
        const got = await boxes(page, '.palaver footer.actions a, .palaver footer.actions button, .palaver details.replies > summary');
        assert.ok(got.length >= 10, `${name} ${js}: ${JSON.stringify(got)} ${page.url()}`);
        for (const [what, w, h] of got)
          assert.ok(w >= 44 && h >= 44, `${name} ${js ? 'js' : 'no js'}: ${what} is ${w}x${h}`);
        // The ones the issue names are among them.
        for (const sel of [`#${mine} a.edit`, `#${mine} form.inline button`, 'a.reply', 'a.report', 'form.vote button.up', 'form.vote button.down'])
          assert.ok(await page.locator(sel).count() > 0, `${name}: ${sel}`);
      }
      await shot(page, `readers-${name}-${js ? 'js' : 'nojs'}`);
      await ctx.close();
    }
  }
});

test('with script: an inline reply without a reload, the result beside it, an edit in place, the name kept', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}`);
  await page.evaluate(() => { window.notReloaded = true; });
  await page.click(`#c${roots[0]} > article a.reply`);
  const form = page.locator(`#c${roots[0]} > article > form#reply-${roots[0]}`);
  await form.locator('textarea').fill('Inline, **at once**.');
  await form.locator('input[name=author]').fill('Ines');
  await form.locator('input[name=email]').fill('ines@example.org');
  await form.locator('button[type=submit]:not([name])').click();
  const li = page.locator('li.comment.posted');
  await li.waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  // Nested under the comment it answers, highlighted, the status beside it.
  assert.equal(await page.locator(`#c${roots[0]} ol.replies > li.comment.posted`).count(), 1);
  assert.equal(await li.locator('.notice').textContent(), 'Your comment is published.');
  assert.equal(await li.locator('.body strong').textContent(), 'at once');
  const id = Number((await li.getAttribute('id')).slice(1));
  await shot(page, 'readers-inline-reply');
  // Edit in place.
  await li.locator('a.edit').click();
  await page.fill(`#edit-${id} textarea`, 'Inline, *changed*.');
  await page.click(`#edit-${id} button[type=submit]:not([name])`);
  await page.waitForSelector(`#c${id} .body em`);
  assert.equal(s.sql(`SELECT body FROM comments WHERE id = ${id}`)[0].body, 'Inline, *changed*.');
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  // The next form remembers the name and e-mail.
  await page.click(`#c${roots[1]} > article a.reply`);
  assert.equal(await page.inputValue(`#reply-${roots[1]} input[name=author]`), 'Ines');
  assert.equal(await page.inputValue(`#reply-${roots[1]} input[name=email]`), 'ines@example.org');
  await ctx.close();
});

test('without script, a refused comment lands on its form: message, marked field, text kept', async () => {
  const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}?reply=${roots[1]}#reply-${roots[1]}`);
  await page.fill(`#reply-${roots[1]} textarea`, 'Kept, whatever happens.');
  await page.fill(`#reply-${roots[1]} input[name=website]`, 'javascript:alert(1)');
  const [resp] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(`#reply-${roots[1]} button[type=submit]:not([name])`)]);
  assert.equal(resp.status(), 422);
  await page.waitForLoadState();
  assert.ok(page.url().endsWith(`#reply-${roots[1]}`), page.url());
  const err = await page.locator('#r-error').boundingBox();
  assert.ok(err && err.y > -1 && err.y < 740, `the message is on screen: ${JSON.stringify(err)}`);
  assert.equal(await page.inputValue(`#reply-${roots[1]} textarea`), 'Kept, whatever happens.');
  assert.equal(await page.getAttribute(`#reply-${roots[1]} input[name=website]`, 'aria-invalid'), 'true');
  await shot(page, 'readers-refused-nojs');
  await ctx.close();
});

test('permalinks land on page 3 in every order, with script and without', async () => {
  for (const order of ['oldest', 'newest', 'best']) {
    const list = await rootsIn(order);
    // The fifth root and its reply are on the third page (2 a page).
    const root = list[4];
    const reply = replies[roots.indexOf(root)];
    for (const js of [true, false]) {
      const ctx = await browser.newContext({ javaScriptEnabled: js });
      const page = await ctx.newPage();
      for (const id of [root, reply]) {
        await page.goto(`${s.base}/c/${id}${order === 'oldest' ? '' : `?order=${order}`}`);
        assert.ok(page.url().endsWith(`#c${id}`), page.url());
        assert.equal(new URL(page.url()).searchParams.get('order') || 'oldest', order);
        await page.locator(`#c${id}`).waitFor();
        assert.ok(await page.locator(`#c${id} > article`).isVisible(), `${order} ${js} ${id}`);
        // The page shown is not the first.
        assert.ok(new URL(page.url()).searchParams.get('after'), page.url());
        // The order is marked.
        assert.match(await page.textContent('nav.order [aria-current]'), new RegExp(order));
      }
      await ctx.close();
    }
  }
});

test('preview: the server\'s own rendering, with script and without', async () => {
  for (const js of [false, true]) {
    const ctx = await browser.newContext({ javaScriptEnabled: js });
    const page = await ctx.newPage();
    await page.goto(`${s.base}/articles/${art}`);
    await page.evaluate(() => { window.notReloaded = true; }).catch(() => {});
    await page.fill('#f-body', 'A **preview** of [a link](https://example.com/) <script>x</script>');
    await page.click('#comment-form button[name=preview]');
    await page.locator('#comment-form section.preview').waitFor();
    assert.equal(await page.textContent('#comment-form section.preview strong'), 'preview');
    assert.equal(await page.getAttribute('#comment-form section.preview a', 'rel'), 'nofollow ugc noopener');
    assert.equal(await page.locator('#comment-form section.preview script').count(), 0);
    assert.equal(await page.inputValue('#f-body'), 'A **preview** of [a link](https://example.com/) <script>x</script>');
    if (js)
      assert.equal(await page.evaluate(() => window.notReloaded), true);
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE body LIKE 'A **preview**%'`)[0].n, 0);
    await shot(page, `readers-preview-${js ? 'js' : 'nojs'}`);
    await ctx.close();
  }
});

test('votes and best first: in place with script, by form without', async () => {
  const ctx = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '127.0.10.1' } });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}`);
  await page.evaluate(() => { window.notReloaded = true; });
  const up = page.locator(`#c${roots[0]} > article form.vote button.up`);
  assert.equal(await up.locator('.n').textContent(), '0');
  await up.click();
  await page.waitForFunction((id) => document.querySelector(`#c${id} > article form.vote button.up .n`).textContent === '1', roots[0]);
  assert.equal(await up.getAttribute('aria-pressed'), 'true');
  assert.equal(s.sql(`SELECT up FROM comments WHERE id = ${roots[0]}`)[0].up, 1);
  // Pressed again: taken back.
  await up.click();
  await page.waitForFunction((id) => document.querySelector(`#c${id} > article form.vote button.up .n`).textContent === '0', roots[0]);
  assert.equal(await up.getAttribute('aria-pressed'), 'false');
  // Down, then up: replaced.
  await page.click(`#c${roots[0]} > article form.vote button.down`);
  await page.waitForFunction((id) => document.querySelector(`#c${id} > article form.vote button.down .n`).textContent === '1', roots[0]);
  await up.click();
  await page.waitForFunction((id) => document.querySelector(`#c${id} > article form.vote button.up .n`).textContent === '1', roots[0]);
  assert.deepEqual(s.sql(`SELECT up, down FROM comments WHERE id = ${roots[0]}`)[0], { up: 1, down: 0 });
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  // Best first, in place: the order the API gives.
  const best = await rootsIn('best');
  await page.click('nav.order a[href*="order=best"]');
  await page.waitForFunction((first) => document.querySelector('ol.thread > li.comment')?.id === `c${first}`, best[0]);
  const drawn = await page.$$eval('ol.thread > li.comment', (l) => l.map((e) => Number(e.id.slice(1))));
  assert.deepEqual(drawn, best.slice(0, drawn.length));
  assert.equal(await page.getAttribute('nav.order a[href*="order=best"]', 'aria-current'), 'true');
  await shot(page, 'readers-votes-js');
  await ctx.close();

  // Without script: the form, back at the comment, with a notice.
  const noJs = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-forwarded-for': '127.0.10.2' } });
  const p2 = await noJs.newPage();
  await p2.goto(`${s.base}/articles/${art}?order=best`);
  const before = s.sql(`SELECT up FROM comments WHERE id = ${best[1]}`)[0].up;
  await Promise.all([p2.waitForURL(/voted=/), p2.click(`#c${best[1]} > article form.vote button.up`)]);
  assert.ok(p2.url().endsWith(`#c${best[1]}`));
  assert.match(p2.url(), /order=best/);
  assert.equal(await p2.textContent(`#c${best[1]} > article .notice`), 'Your vote is counted.');
  assert.equal(await p2.textContent(`#c${best[1]} > article form.vote button.up .n`), String(before + 1));
  await shot(p2, 'readers-votes-nojs');
  await noJs.close();
});

test('reports: by form and in place, and the hold after report_hold of them', async () => {
  const target = roots[2];
  // Without script, from one address.
  const a = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-forwarded-for': '127.0.11.1' } });
  const pa = await a.newPage();
  await pa.goto(`${s.base}/c/${target}`);
  await Promise.all([pa.waitForURL(/report=/), pa.click(`#c${target} > article a.report`)]);
  await pa.check(`#report-${target} input[value=spam]`);
  await pa.fill(`#report-${target} input[name=text]`, 'Sells watches');
  await shot(pa, 'readers-report-form');
  await Promise.all([pa.waitForURL(/reported=/), pa.click(`#report-${target} button[type=submit]`)]);
  assert.match(await pa.textContent(`#c${target} > article .notice`), /moderators will look at this comment/);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${target}`)[0].status, 'approved');
  await a.close();
  // With script, from another: the form opens in place; the second report
  // holds the comment.
  const b = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '127.0.11.2' } });
  const pb = await b.newPage();
  await pb.goto(`${s.base}/c/${target}`);
  await pb.evaluate(() => { window.notReloaded = true; });
  await pb.click(`#c${target} > article a.report`);
  const f = pb.locator(`#c${target} > article form.report-form`);
  await f.waitFor();
  await f.locator('input[value=abuse]').check();
  await f.locator('button[type=submit]').click();
  await pb.locator(`#c${target} > article .notice`).waitFor();
  assert.equal(await pb.evaluate(() => window.notReloaded), true);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${target}`)[0].status, 'pending');
  assert.deepEqual(s.sql(`SELECT reason, text FROM reports WHERE comment = ${target} ORDER BY id`),
    [{ reason: 'spam', text: 'Sells watches' }, { reason: 'abuse', text: '' }]);
  // Past nginx's microcache: the copy of this page from a moment ago still
  // shows the comment for up to a second.
  const again = new URL(pb.url());
  again.hash = '';
  again.search += `${again.search ? '&' : '?'}${freshArg()}`;
  await pb.goto(again.href);
  assert.equal(await pb.locator(`#c${target} > article .body`).count(), 0, 'held: not shown');
  await b.close();
});

test('a subthread folds away, with script and without', async () => {
  for (const js of [false, true]) {
    const ctx = await browser.newContext({ javaScriptEnabled: js });
    const page = await ctx.newPage();
    await page.goto(`${s.base}/articles/${art}`);
    const d = page.locator(`#c${roots[1]} > details.replies`);
    assert.ok(await d.locator('ol.replies').isVisible());
    await d.locator('summary').click();
    assert.equal(await d.locator('ol.replies').isVisible(), false);
    assert.match(await d.locator('summary').textContent(), /Show \d+ repl/);
    await d.locator('summary').click();
    assert.ok(await d.locator('ol.replies').isVisible());
    await ctx.close();
  }
});

test('times: the site\'s zone without script; "ago" and the full date on hover with it', async () => {
  const off = await browser.newContext({ javaScriptEnabled: false });
  const p1 = await off.newPage();
  await p1.goto(`${s.base}/articles/${art}`);
  assert.match(await p1.textContent(`#c${roots[0]} > article time`), /^\d+ \w{3} \d{4}, \d\d:\d\d CES?T$/);
  await off.close();
  const on = await browser.newContext({ locale: 'en-GB', timezoneId: 'America/New_York' });
  const p2 = await on.newPage();
  await p2.goto(`${s.base}/articles/${art}`);
  await p2.waitForFunction((id) => !/CES?T$/.test(document.querySelector(`#c${id} > article time`).textContent), roots[0]);
  const t = p2.locator(`#c${roots[0]} > article time`);
  assert.match(await t.textContent(), /now|ago|second|minute|hour/);
  assert.match(await t.getAttribute('title'), /\d{4}/);
  assert.match(await t.getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await on.close();
});

test('palaver\'s pages and the widget pass axe-core, script on, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ colorScheme: scheme, bypassCSP: true, ...PHONE });
    const page = await ctx.newPage();
    await page.goto(`${s.base}/articles/${art}?order=best`);
    await page.click(`#c${roots[3]} > article a.report`);
    await page.fill('#f-body', 'Looking *ahead*.');
    await page.click('#comment-form button[name=preview]');
    await page.locator('#comment-form section.preview').waitFor();
    await axeCheck(page, assert, `${scheme} article, script on`);
    await page.goto(`${H}/hostile/`);
    await page.locator('#palaver-thread li.comment').first().waitFor();
    await axeCheck(page, assert, `${scheme} widget on a hostile page`, '#palaver-thread');
    await ctx.close();
  }
});

test('the widget looks the same on a host page with hostile CSS', async () => {
  const props = ['text-decoration-line', 'margin-top', 'font-family', 'letter-spacing', 'color',
    'background-color', 'border-top-style', 'text-transform', 'display', 'font-size', 'line-height',
    'list-style-type', 'padding-top', 'font-weight'];
  const sels = ['#palaver-thread', '#palaver-thread li.comment > article > header',
    '#palaver-thread .author', '#palaver-thread form.vote', '#palaver-thread form.vote button',
    '#palaver-thread a.reply', '#palaver-thread .body p', '#palaver-thread details.replies > summary',
    '#palaver-thread time', '#palaver-thread ol.replies', '#palaver-thread li.comment',
    '#palaver-thread footer.actions', '#palaver-thread #comment-form', '#palaver-thread #comment-form button',
    '#palaver-thread h2'];
  const look = async (path) => {
    const ctx = await browser.newContext(DESKTOP);
    const page = await ctx.newPage();
    await page.goto(`${H}${path}`);
    await page.locator('#palaver-thread li.comment').first().waitFor();
    await page.locator('#palaver-thread form.vote').first().waitFor();
    const got = await page.evaluate(([ss, ps]) => ss.map((sel) => {
      const e = document.querySelector(sel);
      if (!e) return `${sel}: missing`;
      const cs = getComputedStyle(e);
      return `${sel}: ${ps.map((p) => `${p}=${cs.getPropertyValue(p)}`).join('; ')}`;
    }), [sels, props]);
    await shot(page, `readers-widget${path.replaceAll('/', '-').replace(/-$/, '')}`);
    await ctx.close();
    return got;
  };
  const friendly = await look('/friendly/');
  const hostile = await look('/hostile/');
  assert.ok(friendly.every((l) => !l.endsWith('missing')), friendly.join('\n'));
  assert.deepEqual(hostile, friendly);
});

// The reader script's budget (issue 14): at most 15 KB gzipped, as nginx
// serves it to browsers that ask for gzip.
test('the reader script stays within 15 KB gzipped', async () => {
  const r = await fetch(`${s.base}/static/embed.js`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(r.status, 200);
  const body = Buffer.from(await r.arrayBuffer());
  const { gzipSync } = await import('node:zlib');
  const size = gzipSync(body, { level: 9 }).length;
  assert.ok(body.length > 10000, `the whole script (${body.length} bytes)`);
  assert.ok(size <= 15 * 1024, `${size} bytes gzipped`);
});
