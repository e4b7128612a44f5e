// german.test.mjs: a German palaver ([site] language = de) in a real
// browser with JavaScript on: its own pages, and the widget on another
// site's English page, which takes its strings from palaver's catalog
// (GET /api/strings): what a reader sees and hears (text, labels, the
// status messages after posting) holds no English word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, fresh } from '../e2e/lib.mjs';
import { readPo, monthNames, vocabulary, englishPieces, foreign } from '../e2e/i18nlib.mjs';
import { launch, shot, axeCheck } from './browser.mjs';

const DE = readPo('de');
const USER = ['Zorkel Bumm', 'Gruselbumm Artikel', 'Wumms wumms blubb',
  'Knorz knarz', 'Antwort blubb', 'palaver', 'Ein Blog', 'Artikel eins',
  'Kommentare', '/a/de/', 'Nicht zum Thema'];
// The script writes times with the browser's Intl in the site's language
// ("vor 3 Minuten", "Montag, 30. November 2026 um 14:05"): its words are
// German as the month names are.
function intlWords() {
  const out = [];
  const rt = new Intl.RelativeTimeFormat('de', { numeric: 'auto' });
  for (const u of ['second', 'minute', 'hour', 'day']) {
    for (const n of [0, -1, -2, -5]) out.push(rt.format(n, u));
  }
  for (let d = 0; d < 7; d++) {
    const t = new Date(Date.UTC(2026, 10, 23 + d, 14, 5));
    out.push(new Intl.DateTimeFormat('de', { dateStyle: 'full', timeStyle: 'short' }).format(t));
    out.push(new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(t));
  }
  return out;
}
const VOCAB = vocabulary(DE, [...USER, ...monthNames('de_DE.UTF-8'), ...intlWords()]);
const ENGLISH = englishPieces(DE);

let s, site, O, browser;

// What a person meets in el: its text as the browser lays it out, and
// the labels read out (aria-label, title, placeholder, alt).
async function seen(page, selector) {
  return page.$eval(selector, (el) => {
    const out = [el.innerText];
    for (const e of el.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        if (e.hasAttribute(a)) out.push(e.getAttribute(a));
      }
    }
    return out.join('\n').split('\n').map((t) => t.trim()).filter(Boolean);
  });
}

async function german(page, selector, label) {
  const bad = foreign(await seen(page, selector), VOCAB, ENGLISH);
  assert.deepEqual(bad, [], `${label} is not all German:\n${bad.join('\n')}`);
}

before(async () => {
  // The embedding site: an English page (lang="en") with the widget.
  site = http.createServer((req, res) => {
    const P = s.base;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src ${P}; style-src 'self' ${P}; ` +
        `connect-src ${P}; img-src 'self' data:; form-action 'self' ${P}; base-uri 'none'`,
    });
    const body = req.url.startsWith('/index/')
      ? '<a href="/a/de/#palaver-thread" data-palaver-count="/a/de/">comments</a>'
      : '<section id="palaver-thread" data-uri="/a/de/" data-title="Gruselbumm Artikel"></section>';
    res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ein Blog</title></head><body><main><h1>Artikel eins</h1>${body}</main>
<script src="${P}/static/embed.js" data-palaver="${P}/" data-min-submit="0" defer></script>
</body></html>`);
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  O = `http://127.0.0.1:${site.address().port}`;
  s = await new Server({ site: { language: 'de', allowed_origins: O } }).start();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (s) await s.stop();
  if (site) site.close();
});

test('the widget on an English page speaks German, before and after posting', async () => {
  const page = await browser.newPage();
  await page.goto(`${O}/a/de/`);
  await page.waitForSelector('#palaver-thread h2');
  assert.equal((await page.textContent('#palaver-thread h2')).trim(), '0 Kommentare');
  assert.equal(await page.textContent('#palaver-thread form button[type="submit"]'), 'Kommentar senden');
  await german(page, '#palaver-thread', 'the empty widget');

  await page.fill('#f-author', 'Zorkel Bumm');
  await page.fill('#f-body', 'Wumms wumms blubb');
  await page.click('#palaver-thread form button[type="submit"]');
  await page.waitForSelector('#palaver-thread li.comment');
  await page.waitForFunction(() => /veröffentlicht/.test(
    document.querySelector('#palaver-thread [role="status"]').textContent));
  assert.equal((await page.textContent('#palaver-thread h2')).trim(), '1 Kommentar');
  // The reader's own comment: edit, delete and the window's end.
  assert.match(await page.textContent('#palaver-thread li.comment'), /Bearbeiten/);
  assert.match(await page.textContent('#palaver-thread li.comment'), /Sie können das bis/);
  await german(page, '#palaver-thread', 'the widget after posting');

  // The reply form, and a refusal from the server, shown at the form.
  await page.click('#palaver-thread li.comment a.reply');
  await page.waitForSelector('#palaver-thread li.comment form');
  await german(page, '#palaver-thread', 'the reply form');
  await page.fill('#r-body', 'Antwort blubb');
  // ftp: is a URL to the browser, not to palaver.
  await page.fill('#r-website', 'ftp://x.example');
  await page.click('#reply-1 button[type="submit"]');
  await page.waitForSelector('#r-error[role=alert]');
  assert.match(await page.textContent('#r-error'), /Die Website muss/);
  assert.equal(await page.getAttribute('#r-website', 'aria-invalid'), 'true');
  await german(page, '#palaver-thread', 'a refused reply');
  await shot(page, 'german-widget');
  await page.close();
  // axe is an inline script to the site's CSP: a page that lets it in.
  const ctx = await browser.newContext({ bypassCSP: true });
  // A reader without the token, past nginx's microcache: the thread as
  // the first page read it, empty, may be served for up to a second.
  await ctx.route((u) => u.origin === s.base && u.pathname === '/api/comments',
    (route) => route.continue({ url: fresh(route.request().url()) }));
  const p2 = await ctx.newPage();
  await p2.goto(`${O}/a/de/`);
  await p2.waitForSelector('#palaver-thread li.comment');
  await axeCheck(p2, assert, 'the German widget', '#palaver-thread');
  await ctx.close();
});

test('count links on an index page in German', async () => {
  const page = await browser.newPage();
  await page.goto(`${O}/index/`);
  await page.waitForFunction(() => /Kommentar/.test(document.querySelector('[data-palaver-count]').textContent));
  assert.equal(await page.textContent('[data-palaver-count]'), '1 Kommentar');
  await page.close();
});

test("palaver's own German pages with JavaScript on", async () => {
  const page = await browser.newPage();
  await page.goto(`${s.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await german(page, 'body', 'the index');
  await page.click('ul.articles a');
  await page.waitForSelector('#comments');
  await german(page, 'body', 'the article');
  await page.fill('#f-author', 'Zorkel Bumm');
  await page.fill('#f-body', 'Knorz knarz');
  // The reader script posts in place (no reload), and says so in German.
  await page.click('#comment-form button[type="submit"]:not([name])');
  await page.waitForFunction(() => /Ihr Kommentar ist veröffentlicht\./.test(
    document.querySelector('#comments [role="status"]').textContent));
  await german(page, 'body', 'the article after posting');
  await page.goto(`${s.base}/mod/login`);
  await german(page, 'body', 'the login page');
  await shot(page, 'german-login');
  await page.close();
});

test("readers' words in German with JavaScript: folded replies, a vote, a report in place, a preview", async () => {
  const art = s.sql("SELECT id FROM articles WHERE uri = '/a/de/'")[0].id;
  const first = s.sql(`SELECT id FROM comments WHERE article = ${art} AND parent IS NULL ORDER BY id LIMIT 1`)[0].id;
  // A reply (by form, without script), so a subthread folds.
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ author: 'Zorkel Bumm', body: 'Antwort blubb', parent: String(first) }).toString() });
  assert.equal(r.status, 303);
  const page = await browser.newPage();
  // Past nginx's microcache: the copy of this page from before the reply
  // may be served for up to a second.
  await page.goto(s.base + fresh(`/articles/${art}`));
  await page.waitForSelector(`#c${first} > article form.vote`);
  await german(page, 'body', 'the article with votes and reports');
  // Folded replies: the summary counts them.
  const d = page.locator(`#c${first} > details.replies`);
  await d.locator('summary').click();
  assert.match(await d.locator('summary').textContent(), /1 Antwort zeigen/);
  await german(page, 'body', 'folded replies');
  await d.locator('summary').click();
  // A vote without a reload.
  await page.click(`#c${first} > article form.vote button.up`);
  await page.waitForFunction((id) => document.querySelector(`#c${id} > article form.vote button.up .n`).textContent === '1', first);
  await german(page, 'body', 'after a vote');
  // The report form in place, and its notice.
  await page.click(`#c${first} > article a.report`);
  const f = page.locator(`#c${first} > article form.report-form`);
  await f.waitFor();
  assert.match(await f.textContent(), /Was stimmt mit diesem Kommentar nicht\?/);
  await german(page, 'body', 'the report form');
  await f.locator('input[value=off-topic]').check();
  await f.locator('input[name=text]').fill('Nicht zum Thema');
  await f.locator('button[type=submit]').click();
  await page.locator(`#c${first} > article .notice`).waitFor();
  assert.match(await page.textContent(`#c${first} > article .notice`), /Moderatoren/);
  await german(page, 'body', 'after a report');
  // A preview, rendered by the server.
  await page.fill('#f-body', 'Knorz **knarz**');
  await page.click('#comment-form button[name=preview]');
  await page.locator('#comment-form section.preview').waitFor();
  assert.match(await page.textContent('#comment-form section.preview'), /Vorschau/);
  await german(page, 'body', 'a preview');
  await shot(page, 'german-readers');
  await page.close();
});
