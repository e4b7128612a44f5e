// moderate.test.mjs: the whole loop in real browsers: a reader replies in
// pre-moderation mode and sees it waiting; a moderator logs in, finds it
// in the queue and approves it (with the keyboard); the reader sees it
// published.  Screenshots of each step go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, fresh } from '../e2e/lib.mjs';
import { launch, shot } from './browser.mjs';

const PW = 'correct horse battery staple';
let s;
let browser;
let art;
let parent;

before(async () => {
  s = await new Server({ moderation: { mode: 'pre' }, spam: { posts_per_minute: 0 },
    auth: { pwhash_mem: 8192, pwhash_ops: 1 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/m/1/', '--title', 'Moderated thread']).stdout);
  assert.equal(s.cli(['user', 'add', 'mona', '--role', 'admin'], { input: `${PW}\n` }).status, 0);
  // One published comment to reply to.
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST', body: 'author=Ada&body=First+words.',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  parent = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
  s.sql(`UPDATE comments SET status = 'approved' WHERE id = ${parent};
    UPDATE articles SET ncomments = 1, version = version + 1 WHERE id = ${art}`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await s.stop();
});

test('a reply waits for a moderator, who approves it; the reader then sees it published', async () => {
  // The reader, without JavaScript.
  const reader = await browser.newContext({ javaScriptEnabled: false });
  const rp = await reader.newPage();
  await rp.goto(`${s.base}/articles/${art}?reply=${parent}#reply-${parent}`);
  await rp.fill(`#reply-${parent} textarea[name=body]`, 'A reply that needs a *moderator*.');
  await rp.fill(`#reply-${parent} input[name=author]`, 'Rex');
  await Promise.all([rp.waitForURL(/posted=\d+/), rp.click(`#reply-${parent} button[type=submit]:not([name])`)]);
  const id = Number(new URL(rp.url()).searchParams.get('posted'));
  // Said beside the comment, where the reader is, not at the top.
  assert.match(await rp.textContent(`#c${id} .notice`), /awaiting moderation/);
  assert.match(await rp.textContent(`#c${id}`), /Awaiting moderation/);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'pending');
  await shot(rp, 'moderate-1-reader-waiting');

  // Somebody else does not see it.
  const other = await browser.newContext({ javaScriptEnabled: false });
  const op = await other.newPage();
  await op.goto(`${s.base}/articles/${art}`);
  assert.equal(await op.locator(`#c${id}`).count(), 0);

  // The moderator, with JavaScript (keyboard shortcuts).
  const mod = await browser.newContext();
  const mp = await mod.newPage();
  await mp.goto(`${s.base}/mod/`);
  assert.match(mp.url(), /\/mod\/login$/);
  await mp.fill('#login-name', 'mona');
  await mp.fill('#login-password', PW);
  await Promise.all([mp.waitForURL(/\/mod\/$/), mp.click('button[type=submit]')]);
  assert.ok(await mp.getByText('A reply that needs a').count() > 0);
  await shot(mp, 'moderate-2-queue');
  // j focuses the first item (the oldest pending: ours), a approves it.
  await mp.keyboard.press('j');
  await Promise.all([mp.waitForNavigation(), mp.keyboard.press('a')]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
  const audit = s.sql(`SELECT actor, action, target FROM audit WHERE target = 'comment:${id}'`);
  assert.deepEqual(audit.map((x) => [x.actor, x.action]), [['mona', 'approve']]);
  await shot(mp, 'moderate-3-approved');

  // The reader reloads: published, nested under the comment it answers.
  await rp.goto(`${s.base}/articles/${art}`);
  assert.equal(await rp.locator(`#c${parent} #c${id} .body em`).textContent(), 'moderator');
  assert.equal(await rp.locator(`#c${id} .awaiting`).count(), 0);
  // Past nginx's microcache: this reader's copy from before the approval
  // may be served for up to a second.
  await op.goto(s.base + fresh(`/articles/${art}`));
  assert.equal(await op.locator(`#c${id}`).count(), 1);
  await shot(op, 'moderate-4-published');
  await reader.close();
  await other.close();
  await mod.close();
});
