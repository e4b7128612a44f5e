// notify.test.mjs: "E-mail me replies" ticked by a reader in a real
// browser: on palaver's own page with JavaScript off, and in the widget on
// another site's page; each sends the confirmation to a real SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server } from '../e2e/lib.mjs';
import { Smtp, until, links } from '../e2e/maillib.mjs';
import { launch, shot, axeCheck } from './browser.mjs';

let s, smtp, browser, site, O, art;

before(async () => {
  // The embedding site: one article page with the widget.
  site = http.createServer((req, res) => {
    const P = s.base;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src ${P}; style-src 'self' ${P}; connect-src ${P}; form-action 'self' ${P}` });
    res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Embedded</title></head>
<body><main><h1>Embedded</h1><section id="palaver-thread" data-uri="/n/embedded/" data-title="Embedded"></section></main>
<script src="${P}/static/embed.js" data-palaver="${P}/" data-min-submit="0" defer></script></body></html>`);
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  O = `http://127.0.0.1:${site.address().port}`;
  smtp = await new Smtp().start();
  s = await new Server({
    site: { base_url: 'auto', allowed_origins: O },
    mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off' },
    spam: { posts_per_minute: 0 },
  }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/n/page/', '--title', 'A page']).stdout);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await s.stop();
  await smtp.stop();
  await new Promise((r) => site.close(r));
});

test('on palaver\'s page without JavaScript: the box, by its label, sends one confirmation', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/articles/${art}`);
  await page.fill('#f-body', 'Tell me when someone answers.');
  await page.fill('#f-email', 'page@example.org');
  const box = page.getByLabel(/E-mail me replies/);
  assert.equal(await box.isChecked(), false);
  await box.check();
  await shot(page, 'notify-page');
  await Promise.all([page.waitForNavigation(), page.click('#comment-form button[type=submit]')]);
  assert.match(await page.content(), /Your comment is published/);
  const m = await until(() => smtp.to('page@example.org')[0], 'the confirmation');
  assert.match(m.headers.subject[0], /^Confirm e-mail about replies/);
  // The reader follows the link and presses the one button.
  await page.goto(links(m.text, s.base)[0]);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.content(), /will be e-mailed to <strong>page@example\.org/);
  assert.ok(s.sql("SELECT confirmed FROM subscribers WHERE email = 'page@example.org'")[0].confirmed > 0);
  await ctx.close();
});

test('in the widget on another site: the box is there, labelled, and posting with it ticked asks once', async () => {
  const ctx = await browser.newContext({ bypassCSP: false });
  const page = await ctx.newPage();
  await page.goto(`${O}/`);
  await page.waitForSelector('#palaver-thread form.comment-form');
  const box = page.locator('#palaver-thread #comment-form input[type=checkbox][name=notify]');
  assert.equal(await box.count(), 1);
  await page.fill('#palaver-thread #f-body', 'From the widget, tell me.');
  await page.fill('#palaver-thread #f-email', 'widget@example.org');
  await page.locator('#palaver-thread').getByLabel(/E-mail me replies/).check();
  await shot(page, 'notify-widget');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/comments') && r.request().method() === 'POST'),
    page.click('#palaver-thread #comment-form button[type=submit]'),
  ]);
  assert.equal(resp.status(), 201);
  assert.equal(JSON.parse(resp.request().postData()).notify, true);
  const m = await until(() => smtp.to('widget@example.org')[0], 'the confirmation');
  assert.match(links(m.text, s.base)[0], /\/mail\/confirm\?t=c\./);
  assert.equal(s.sql("SELECT count(*) AS n FROM subscriptions x JOIN subscribers y ON y.id = x.subscriber WHERE y.email = 'widget@example.org'")[0].n, 1);
  const ctx2 = await browser.newContext({ bypassCSP: true });
  const p2 = await ctx2.newPage();
  await p2.goto(`${O}/`);
  await p2.waitForSelector('#palaver-thread form.comment-form');
  await axeCheck(p2, assert, 'widget with the box', '#palaver-thread');
  await ctx2.close();
  await ctx.close();
});
