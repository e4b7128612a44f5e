// reader.test.mjs: a reader in a real browser, with JavaScript off: reads a
// thread on a phone and a desktop, replies, and gets a refused form back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../e2e/lib.mjs';
import { launch, shot, axeCheck } from './browser.mjs';

let s;
let browser;
let art;

before(async () => {
  s = await new Server({ spam: { posts_per_minute: 0 }, moderation: { max_comment: 300 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/b/1/', '--title', 'A thread in a browser']).stdout);
  // A few nested comments through the form, as readers would.
  let parent = '';
  for (const [author, body] of [['Ada', 'Top of the thread, with *emphasis*.'],
    ['Bram', 'A reply that goes on for a while so the line has to wrap on a narrow phone screen without scrolling sideways.'],
    ['Chen', 'A reply to the reply.']]) {
    const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
      body: new URLSearchParams({ parent, author, body }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 303);
    parent = r.headers.get('location').match(/#c(\d+)$/)[1];
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await s.stop();
});

test('the thread reads well on a phone and a desktop', async () => {
  for (const [name, viewport] of [['phone', { width: 375, height: 740 }], ['desktop', { width: 1280, height: 900 }]]) {
    const ctx = await browser.newContext({ viewport, javaScriptEnabled: false });
    const page = await ctx.newPage();
    const resp = await page.goto(`${s.base}/articles/${art}`);
    assert.equal(resp.status(), 200);
    // The stylesheet applied (nginx served it), nothing overflows sideways.
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('ol.replies')).borderLeftStyle);
    assert.equal(bg, 'solid');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: ${overflow}px of sideways scrolling`);
    const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize));
    assert.ok(fontSize >= 14, `${name}: body text ${fontSize}px`);
    await shot(page, `reader-thread-${name}`);
    await ctx.close();
  }
});

test('palaver\'s own pages have no serious accessibility failures, light or dark', async () => {
  for (const scheme of ['light', 'dark']) {
    // bypassCSP: our strict CSP would rightly refuse the injected axe script.
    const ctx = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
    const page = await ctx.newPage();
    for (const p of ['/', `/articles/${art}`, `/articles/${art}?reply=1`, '/mod/login', '/nope']) {
      await page.goto(`${s.base}${p}`);
      await axeCheck(page, assert, `${scheme} ${p}`);
    }
    if (scheme === 'dark') {
      await page.goto(`${s.base}/articles/${art}`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(22, 24, 28)');
      await shot(page, 'reader-thread-dark');
    }
    await ctx.close();
  }
});

test('with JavaScript off, a reader replies to a nested comment', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}`);
  const target = s.sql(`SELECT id FROM comments WHERE author = 'Chen'`)[0].id;
  await page.click(`#c${target} a.reply`);
  await page.waitForURL(new RegExp(`reply=${target}`));
  const form = page.locator(`#reply-${target}`);
  await form.locator('textarea[name=body]').fill('Replying **without** JavaScript.');
  await form.locator('input[name=author]').fill('Dara');
  await shot(page, 'reader-reply-form');
  await Promise.all([page.waitForURL(/posted=\d+/), form.locator('button[type=submit]:not([name])').click()]);
  // Said beside the new comment, which the page opens at.
  assert.match(await page.textContent('li.comment.posted .notice'), /Your comment is published/);
  const row = s.sql(`SELECT id, parent, depth, html FROM comments WHERE author = 'Dara'`)[0];
  assert.equal(row.parent, target);
  assert.equal(row.depth, 3);
  // It is in the page, nested under Chen's comment, with its markup.
  const nested = await page.locator(`#c${target} #c${row.id} .body strong`).textContent();
  assert.equal(nested, 'without');
  await shot(page, 'reader-replied');
  await ctx.close();
});

test('a refused comment comes back with the text and the message', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}`);
  const long = 'This comment is far too long. '.repeat(12);
  await page.fill('#f-body', long);
  await page.fill('#f-author', 'Eve');
  await page.fill('#f-website', 'javascript:alert(1)');
  const [resp] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('#comment-form button[type=submit]')]);
  assert.equal(resp.status(), 413);
  await page.waitForLoadState();
  assert.match(await page.textContent('#f-error'), /characters long; the limit is 300/);
  assert.equal(await page.inputValue('#f-body'), long);
  assert.equal(await page.inputValue('#f-author'), 'Eve');
  assert.equal(await page.getAttribute('#f-body', 'aria-invalid'), 'true');
  await shot(page, 'reader-refused');
  await ctx.close();
});
