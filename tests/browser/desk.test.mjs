// desk.test.mjs: the moderators' desk in real browsers, at phone size
// (360 px) and desktop size: every page usable without sideways
// scrolling or words broken letter by letter (tables become cards), the
// queue with select-all, a bulk action and its Undo, a ban from the
// queue with an expiry, an article created, one reopened after
// auto-close, the audit log filtered; without JavaScript where it
// matters.  axe-core finds nothing serious; screenshots go to
// tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, SQL } from '../e2e/lib.mjs';
import { launch, shot, axeCheck } from './browser.mjs';

const PW = 'correct horse battery staple';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
let s;
let browser;
let art;

async function post(article, fields) {
  const r = await s.fetch(`/articles/${article}/comments`, { method: 'POST',
    body: new URLSearchParams({ parent: '', ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303);
  return Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
}

before(async () => {
  s = await new Server({ moderation: { mode: 'pre', auto_close_days: 1 }, spam: { posts_per_minute: 0 },
    auth: { pwhash_mem: 8192, pwhash_ops: 1 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/desk/phone/', '--title', 'Council votes on the new bridge']).stdout);
  assert.equal(s.cli(['user', 'add', 'mona', '--role', 'admin'], { input: `${PW}\n` }).status, 0);
  assert.equal(s.cli(['user', 'add', 'moderator-with-a-long-name', '--role', 'moderator'],
    { input: `${PW}\n` }).status, 0);
  const root = await post(art, { author: 'Ada Lovelace', email: 'ada.lovelace@analytical-engine.example',
    body: 'The *first* comment, with a [link](https://example.com/a/rather/long/path/to/somewhere).' });
  s.sql(`UPDATE comments SET status = 'approved' WHERE id = ${root}; UPDATE articles SET ncomments = 1 WHERE id = ${art}`);
  for (const [author, body] of [['Bram', 'A reply that waits for a moderator.'],
    ['Chen', 'Another one, *emphatic*.'], ['Dana', 'Buy cheap watches now!']]) {
    await post(art, { parent: String(root), author, email: `${author.toLowerCase()}@example.org`, body });
  }
  s.sql("UPDATE comments SET score = 0.95, reasons = '0.60 the form token is missing' || " + SQL.nl + " || " +
    "'0.95 this form was sent before (a replay)' WHERE author = 'Dana'");
  // Some history for the log and the bans page.
  assert.equal(s.cli(['article', 'set', String(art), '--mode', 'pre']).status, 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await s.stop();
});

async function login(ctx, name = 'mona') {
  const page = await ctx.newPage();
  await page.goto(`${s.base}/mod/login`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', PW);
  await Promise.all([page.waitForURL(/\/mod\/$/), page.click('button[type=submit]')]);
  return page;
}

// Usable at this size: nothing scrolls sideways, and no word of letters
// (a label, a heading, a button) is broken across lines.
async function fits(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: ${overflow}px of sideways scrolling`);
  const broken = await page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.querySelector('.mod') || document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[hidden], .visually-hidden, details:not([open]) > :not(summary)')) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') continue;
      // Words: letters between spaces (punctuation around them aside);
      // values such as hashes and addresses may break, words may not.
      const re = /\S+/g;
      for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
        const w = m[0].match(/^[("'\u201c]*([A-Za-z]{2,})[)"'.,:;!?\u2026\u201d]*$/);
        if (!w) continue;
        const at = m.index + m[0].indexOf(w[1]);
        const r = document.createRange();
        r.setStart(n, at);
        r.setEnd(n, at + w[1].length);
        const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (lines.size > 1) out.push(`${w[1]} in <${el.tagName.toLowerCase()} class="${el.className}">`);
      }
    }
    // Labels the stacked cards draw from data-label.
    for (const td of document.querySelectorAll('td[data-label]')) {
      const b = getComputedStyle(td, '::before');
      if (b.content !== 'none' && b.content !== 'normal' && b.whiteSpace !== 'nowrap') out.push(`label ${td.dataset.label}`);
    }
    return out;
  });
  assert.deepEqual(broken, [], `${name}: words broken across lines`);
}

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`every moderator page fits a ${size}, and axe finds nothing serious`, async () => {
    const ctx = await browser.newContext({ viewport, bypassCSP: true });
    const page = await login(ctx);
    const cid = s.sql("SELECT id FROM comments WHERE author = 'Bram'")[0].id;
    const pages = ['/mod/', '/mod/?status=approved', '/mod/bans', '/mod/articles', `/mod/articles/${art}`,
      '/mod/users', '/mod/audit', `/mod/comments/${cid}`, `/mod/comments/${cid}/ban?kind=email`];
    // A ban and its history, so the tables have rows.
    await page.goto(`${s.base}/mod/bans`);
    if (await page.locator('table.mod-bans').count() === 0) {
      await page.selectOption('#ban-kind', 'addr_hash');
      await page.fill('#ban-value', '0123456789abcdef0123456789abcdef');
      await page.fill('#ban-reason', 'Repeated abuse in several threads');
      await page.fill('#ban-days', '30');
      await Promise.all([page.waitForURL(/done=/), page.click('form[action="/mod/bans"] button[type=submit]')]);
    }
    for (const p of pages) {
      const resp = await page.goto(`${s.base}${p}`);
      assert.equal(resp.status(), 200, p);
      await fits(page, `${size} ${p}`);
      await axeCheck(page, assert, `${size} ${p}`);
    }
    if (size === 'phone') {
      // The tables are cards: a row is a block, each cell says what it is.
      await page.goto(`${s.base}/mod/bans`);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.mod-table tbody tr')).display), 'block');
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.mod-table td[data-label="Kind"]'),
        '::before').content), '"Kind"');
      await shot(page, 'desk-phone-bans');
      await page.goto(`${s.base}/mod/audit`);
      await shot(page, 'desk-phone-audit');
      await page.goto(`${s.base}/mod/users`);
      await shot(page, 'desk-phone-users');
    }
    await page.goto(`${s.base}/mod/`);
    await shot(page, `desk-${size}-queue`);
    await ctx.close();
  });
}

test('phone: select all, approve in bulk, then Undo', async () => {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await login(ctx);
  const pending = s.sql("SELECT id FROM comments WHERE status = 'pending' ORDER BY id").map((r) => r.id);
  assert.ok(pending.length >= 3);
  // Script on: the link ticks every box in place.
  await page.click('a.mod-selall');
  for (const id of pending) assert.equal(await page.isChecked(`#sel-${id}`), true);
  assert.equal((await page.textContent('a.mod-selall')).trim(), 'Select none');
  // The action defaults to nothing and offers what fits the tab.
  assert.equal(await page.inputValue('#bulk-action'), '');
  assert.deepEqual(await page.$$eval('#bulk-action option', (o) => o.map((x) => x.value)), ['', 'approve', 'spam', 'delete']);
  await page.selectOption('#bulk-action', 'approve');
  await Promise.all([page.waitForURL(/done=\d+/), page.click('#bulk button[type=submit]')]);
  assert.match(await page.textContent('#mod-notice'), new RegExp(`Approved ${pending.length} comments\\.`));
  for (const id of pending) assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
  await fits(page, 'phone notice');
  await shot(page, 'desk-phone-bulk-approved');
  await Promise.all([page.waitForURL(/done=\d+/), page.click('#mod-notice button.mod-undo')]);
  assert.match(await page.textContent('#mod-notice'), new RegExp(`Undone: ${pending.length} changes\\.`));
  for (const id of pending) assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'pending');
  assert.equal(s.sql("SELECT count(*) AS n FROM audit WHERE action = 'undo'")[0].n, pending.length);
  await shot(page, 'desk-phone-bulk-undone');
  await ctx.close();
});

test('without JavaScript: select-all is a link, delete asks in place, and the keyboard is not needed', async () => {
  const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await login(ctx);
  await Promise.all([page.waitForURL(/select=all/), page.click('a.mod-selall')]);
  const boxes = await page.$$eval('input[form="bulk"]', (b) => b.map((x) => x.checked));
  assert.ok(boxes.length >= 3 && boxes.every(Boolean));
  // Delete: the summary opens the question; "yes" deletes.
  const id = s.sql("SELECT id FROM comments WHERE author = 'Chen'")[0].id;
  await page.click(`#c${id} details.mod-confirm summary`);
  await shot(page, 'desk-phone-delete-asks');
  await Promise.all([page.waitForURL(/done=\d+/), page.click(`#c${id} details.mod-confirm button`)]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'deleted');
  assert.match(await page.textContent('#mod-notice'), new RegExp(`Deleted comment:${id}\\.`));
  // The bulk delete asks on a page of its own.
  const other = s.sql("SELECT id FROM comments WHERE author = 'Bram'")[0].id;
  await page.check(`#sel-${other}`);
  await page.selectOption('#bulk-action', 'delete');
  await Promise.all([page.waitForLoadState(), page.click('#bulk button[type=submit]')]);
  assert.match(await page.textContent('h1'), /Delete 1 comment\?/);
  await fits(page, 'phone confirm');
  await shot(page, 'desk-phone-bulk-delete-asks');
  await Promise.all([page.waitForURL(/\/mod\/\?status=pending/), page.click('text=No, go back')]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${other}`)[0].status, 'pending');
  // Undo the delete from its notice, still without script.
  await page.goto(`${s.base}/mod/audit?what=delete`);
  await ctx.close();
  // The deleted comment back for the tests after.
  s.sql(`UPDATE comments SET status = 'pending' WHERE id = ${id}`);
});

test('phone: a ban from the queue asks the expiry and the reason, and says what happens to the comment', async () => {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await login(ctx);
  const id = s.sql("SELECT id FROM comments WHERE author = 'Dana'")[0].id;
  // The card: one score, the reasons, the parent rendered.
  const card = page.locator(`#c${id}`);
  assert.equal((await card.locator('.mod-facts').textContent()).match(/0\.95/g).length, 1);
  assert.match(await card.locator('.mod-reasons').textContent(), /the form token is missing \(0\.60\)/);
  assert.equal(await card.locator('.mod-parent blockquote em').textContent(), 'first');
  await Promise.all([page.waitForURL(/\/ban\?kind=email/), card.locator('a.mod-ban', { hasText: 'Ban e-mail' }).click()]);
  assert.equal(await page.inputValue('#ban-days'), '30');
  assert.equal(await page.inputValue('#ban-reason'), 'Spam');
  assert.equal(await page.isChecked('#then-spam'), true);
  await fits(page, 'phone ban form');
  await page.selectOption('#ban-days', '7');
  await page.fill('#ban-reason', 'Watch spam, three threads');
  await shot(page, 'desk-phone-ban-form');
  await Promise.all([page.waitForURL(/done=\d+/), page.click('button.mod-danger')]);
  assert.match(await page.textContent('#mod-notice'), /Banned ban:\d+: email:dana@example\.org; until .*; reason: Watch spam, three threads; from comment:\d+\. Marked comment:\d+ as spam\./);
  const ban = s.sql("SELECT reason, expires - created AS span FROM bans WHERE value = 'dana@example.org'")[0];
  assert.equal(ban.reason, 'Watch spam, three threads');
  assert.ok(Math.abs(ban.span - 7 * 86400) <= 1);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'spam');
  await shot(page, 'desk-phone-banned');
  await ctx.close();
});

test('articles: create one on a phone; reopen one that age closed, and it stays open', async () => {
  const ctx = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  const page = await login(ctx);
  await page.goto(`${s.base}/mod/articles`);
  await page.click('details.mod-new summary');
  await page.fill('#art-uri', '/2026/12/phone-made/');
  await page.fill('#art-title', 'Made on a phone');
  await page.fill('#art-body', 'With a *body*.');
  await Promise.all([page.waitForURL(/\/mod\/articles\/\d+\?done=\d+/), page.click('details.mod-new button[type=submit]')]);
  assert.match(await page.textContent('#mod-notice'), /Added article:\d+\./);
  assert.equal(await page.textContent('h1'), 'Made on a phone');
  const made = s.sql("SELECT id, body FROM articles WHERE uri = '/2026/12/phone-made/'")[0];
  assert.equal(made.body, 'With a *body*.');
  await fits(page, 'phone article');
  await axeCheck(page, assert, 'phone article page');
  await shot(page, 'desk-phone-article-made');

  const old = Number(s.cli(['article', 'add', '--uri', '/2020/old/', '--title', 'An old story']).stdout);
  s.sql(`UPDATE articles SET created = created - 10 * 86400 WHERE id = ${old}`);
  await page.goto(`${s.base}/mod/articles`);
  const row = page.locator(`#article-${old}`);
  assert.equal((await row.locator('td[data-label="State"]').textContent()).trim(), 'closed by age');
  await shot(page, 'desk-phone-articles-aged');
  await Promise.all([page.waitForURL(/done=\d+/), row.locator('button', { hasText: 'Open' }).click()]);
  assert.match(await page.textContent('#mod-notice'), /it stays open until it is closed again/);
  assert.deepEqual(s.sql(`SELECT closed, kept_open FROM articles WHERE id = ${old}`)[0], { closed: 0, kept_open: 1 });
  assert.equal((await page.locator(`#article-${old} td[data-label="State"]`).textContent()).trim(), 'open');
  // A reader can comment there now.
  await post(old, { body: 'Still open for comments' });
  await shot(page, 'desk-phone-articles-reopened');
  await ctx.close();
});

test('the audit log, filtered on a phone, targets linked', async () => {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await login(ctx);
  await page.goto(`${s.base}/mod/audit`);
  await page.fill('#f-who', 'mona');
  await page.selectOption('#f-what', 'ban');
  await Promise.all([page.waitForURL(/who=mona/), page.click('.mod-filters button[type=submit]')]);
  const actions = await page.$$eval('td[data-label="Action"]', (t) => t.map((x) => x.textContent));
  assert.ok(actions.length >= 1 && actions.every((a) => a === 'ban'), actions.join());
  assert.equal(await page.inputValue('#f-who'), 'mona');
  await fits(page, 'phone audit filtered');
  await shot(page, 'desk-phone-audit-filtered');
  // The target links to the ban.
  await Promise.all([page.waitForURL(/\/mod\/bans#ban-\d+/), page.locator('td[data-label="Target"] a').first().click()]);
  await ctx.close();
});

test('desktop: keyboard triage: j, d asks, Enter confirms, u undoes', async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await login(ctx);
  const first = s.sql("SELECT id FROM comments WHERE status = 'pending' ORDER BY id LIMIT 1")[0].id;
  await page.keyboard.press('j');
  await page.keyboard.press('d');
  assert.equal(await page.evaluate((id) => document.querySelector(`#c${id} details.mod-confirm`).open, first), true);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Yes, delete it');
  await shot(page, 'desk-desktop-delete-asks');
  await Promise.all([page.waitForURL(/done=\d+/), page.keyboard.press('Enter')]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${first}`)[0].status, 'deleted');
  const deleted = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== deleted && /done=\d+/.test(u.href)), page.keyboard.press('u')]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${first}`)[0].status, 'pending');
  assert.match(await page.textContent('#mod-notice'), /Undone: comment:\d+ is pending again\./);
  await shot(page, 'desk-desktop-undone');
  await ctx.close();
});
