// desk.test.mjs: the moderators' desk (issue 15) through nginx: notices
// with an undo for single and bulk actions, asking before deleting,
// select-all, bulk actions that fit the tab, bans from the queue that ask
// and record what was chosen, articles made and changed on the web and
// the command line (auto-close included), an honest audit log with
// filters, paging and CSV, and the queue's card.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server, SQL, modLogin, modPost, doneOf } from './lib.mjs';

const PW = 'a long password here';
const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };

let s;
let boss;
let mona;
let art;

function form(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) p.append(k, v);
  return p.toString();
}

async function comment(article, fields) {
  const r = await s.fetch(`/articles/${article}/comments`, { method: 'POST',
    body: form({ parent: '', ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, await r.text());
  return Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
}

// A moderator's post with repeated fields.
async function postMany(who, path, pairs) {
  const r = await s.fetch(path, { method: 'POST', body: form([['csrf', who.csrf], ...pairs]),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie } });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

function get(who, path) {
  return s.get(path, { headers: { cookie: who.cookie } });
}

function status(id) {
  return s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status;
}

function log(target) {
  return s.sql(`SELECT id, actor, action, before, after, coalesce(batch, id) AS batch FROM audit
    WHERE target = '${target}' ORDER BY id`);
}

// The notice of the page an action returned to.
async function notice(who, r) {
  const page = await get(who, r.headers.get('location'));
  assert.equal(page.status, 200);
  const m = page.body.match(/<div class="mod-notice" role="status" id="mod-notice">\n<p>([\s\S]*?)<\/p>/);
  assert.ok(m, 'a notice');
  return { text: m[1].replace(/<[^>]+>/g, ''), html: m[1], page: page.body };
}

before(async () => {
  s = await new Server({
    auth: CHEAP,
    moderation: { mode: 'pre', page_size: 2, auto_close_days: 1 },
    spam: { posts_per_minute: 0 },
  }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/desk/1/', '--title', 'The desk']).stdout);
  for (const [name, role] of [['boss', 'admin'], ['mona', 'moderator']]) {
    assert.equal(s.cli(['user', 'add', name, '--role', role], { input: `${PW}\n` }).status, 0);
  }
  boss = await modLogin(s, 'boss', PW);
  mona = await modLogin(s, 'mona', PW);
});
after(async () => { await s.stop(); });

describe('act with confidence', () => {
  test('one action: a notice says what was done; Undo restores it, audited as an undo', async () => {
    const id = await comment(art, { author: 'Ada', body: 'approve me' });
    const r = await modPost(s, boss, `/mod/comments/${id}/approve`, { back: '/mod/?status=pending' });
    const batch = doneOf(r);
    assert.equal(status(id), 'approved');
    const n = await notice(boss, r);
    assert.equal(n.text, `Approved comment:${id}.`);
    assert.ok(n.html.includes(`<a href="/mod/comments/${id}">comment:${id}</a>`));
    assert.ok(n.page.includes(`<input type="hidden" name="batch" value="${batch}">`));
    assert.ok(n.page.includes('<input type="hidden" name="back" value="/mod/?status=pending">'));

    const u = await modPost(s, boss, '/mod/undo', { batch: String(batch), back: '/mod/?status=pending' });
    const undoBatch = doneOf(u);
    assert.equal(status(id), 'pending');
    assert.deepEqual(log(`comment:${id}`).map((x) => [x.action, x.before, x.after, x.actor]),
      [['approve', 'pending', 'approved', 'boss'], ['undo', 'approved', 'pending', 'boss']]);
    assert.equal(log(`comment:${id}`)[1].batch, undoBatch);
    const un = await notice(boss, u);
    assert.equal(un.text, `Undone: comment:${id} is pending again.`);
    assert.ok(!un.page.includes('class="mod-undo"'), 'an undo is not undone in turn');
    assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${art}`)[0].ncomments, 0);

    // Twice: nothing left to restore, nothing written, said so.
    const again = await modPost(s, boss, '/mod/undo', { batch: String(batch), back: '/mod/' });
    assert.equal(again.headers.get('location'), '/mod/?note=unchanged');
    assert.equal(log(`comment:${id}`).length, 2);
    assert.match((await get(boss, '/mod/?note=unchanged')).body, /Nothing changed: it was that way already\./);
    // Another moderator's action is not theirs to undo, nor to be told.
    const theirs = await modPost(s, mona, '/mod/undo', { batch: String(batch) });
    assert.equal(theirs.status, 404);
    assert.match(theirs.body, /nothing of yours to undo/);
    assert.ok(!(await get(mona, `/mod/?done=${batch}`)).body.includes('mod-notice'));
    assert.equal((await modPost(s, boss, '/mod/undo', { batch: '99999999' })).status, 404);
    assert.equal((await modPost(s, boss, '/mod/undo', { batch: 'x' })).status, 422);
  });

  test('bulk: one notice, one Undo for all; what changed since is left alone', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await comment(art, { author: `B${i}`, body: `bulk ${i}` }));
    const r = await postMany(boss, '/mod/comments/bulk', [...ids.map((x) => ['id', String(x)]),
      ['action', 'approve'], ['back', '/mod/']]);
    const batch = doneOf(r);
    assert.deepEqual(ids.map(status), ['approved', 'approved', 'approved']);
    assert.equal((await notice(boss, r)).text, 'Approved 3 comments.');
    // Meanwhile another moderator marks one as spam.
    assert.equal((await modPost(s, mona, `/mod/comments/${ids[2]}/spam`)).status, 303);
    const u = await modPost(s, boss, '/mod/undo', { batch: String(batch), back: '/mod/' });
    doneOf(u);
    assert.deepEqual(ids.map(status), ['pending', 'pending', 'spam']);
    assert.equal((await notice(boss, u)).text, 'Undone: 2 changes.');
    assert.deepEqual(log(`comment:${ids[2]}`).map((x) => x.action), ['approve', 'spam']);
  });

  test('an edit is undone to the text before', async () => {
    const id = await comment(art, { body: 'teh *original*' });
    const r = await modPost(s, boss, `/mod/comments/${id}/edit`, { body: 'the **edit**' });
    const batch = doneOf(r);
    assert.equal((await notice(boss, r)).text, `Saved your edit of comment:${id}.`);
    // The same text again is no edit at all.
    const same = await modPost(s, boss, `/mod/comments/${id}/edit`, { body: 'the **edit**' });
    assert.equal(same.headers.get('location'), '/mod/?note=unchanged');
    doneOf(await modPost(s, boss, '/mod/undo', { batch: String(batch) }));
    const row = s.sql(`SELECT body, html FROM comments WHERE id = ${id}`)[0];
    assert.equal(row.body, 'teh *original*');
    assert.match(row.html, /<em>original<\/em>/);
    assert.deepEqual(log(`comment:${id}`).map((x) => [x.action, x.before, x.after]),
      [['edit', 'teh *original*', 'the **edit**'], ['undo', 'the **edit**', 'teh *original*']]);
  });

  test('delete asks first, without script: in place, or on a page; nothing is deleted unasked', async () => {
    const id = await comment(art, { body: 'delete me' });
    const q = await get(boss, '/mod/');
    const item = q.body.match(new RegExp(`<li class="mod-item" id="c${id}"[\\s\\S]*?</article>\n</li>`))[0];
    assert.match(item, new RegExp(`<details class="mod-confirm" data-key="d"><summary>Delete\u2026</summary>[\\s\\S]*?` +
      `formaction="/mod/comments/${id}/delete" name="confirm" value="yes"`));
    const ask = await modPost(s, boss, `/mod/comments/${id}/delete`, { back: '/mod/?status=pending' });
    assert.equal(ask.status, 200);
    assert.equal(status(id), 'pending');
    assert.ok(ask.body.includes(`<li>Comment ${id} by Anonymous on The desk</li>`));
    assert.ok(ask.body.includes('<input type="hidden" name="back" value="/mod/?status=pending">'));
    assert.ok(ask.body.includes('<a href="/mod/?status=pending">No, go back</a>'));
    const yes = await modPost(s, boss, `/mod/comments/${id}/delete`, { back: '/mod/?status=pending',
      confirm: 'yes' });
    doneOf(yes);
    assert.equal(status(id), 'deleted');
    assert.equal((await notice(boss, yes)).text, `Deleted comment:${id}.`);
    // A confirm that is not "yes" is refused, not taken for one.
    const id2 = await comment(art, { body: 'not deleted' });
    const bad = await modPost(s, boss, `/mod/comments/${id2}/delete`, { confirm: 'sure' });
    assert.equal(bad.status, 200, 'asked again');
    assert.equal(status(id2), 'pending');
  });

  test('select-all without script, and a bulk action that fits the tab and defaults to nothing', async () => {
    await comment(art, { body: 'one more' });
    let r = await get(boss, '/mod/?status=pending');
    const boxes = [...r.body.matchAll(/<input type="checkbox" form="bulk" name="id" value="(\d+)" id="sel-\d+"( checked)?>/g)];
    assert.ok(boxes.length >= 2);
    assert.ok(boxes.every((m) => !m[2]), 'none ticked');
    assert.ok(r.body.includes(`<a class="mod-selall" href="/mod/?status=pending&amp;select=all" data-all="0">Select all ${boxes.length}</a>`));
    const opts = (b) => [...b.match(/<select id="bulk-action" name="action" required>([\s\S]*?)<\/select>/)[1]
      .matchAll(/<option value="([^"]*)"( selected)?>/g)].map((m) => m[1] + (m[2] ? '*' : ''));
    assert.deepEqual(opts(r.body), ['*', 'approve', 'spam', 'delete']);
    r = await get(boss, '/mod/?status=pending&select=all');
    const all = [...r.body.matchAll(/<input type="checkbox" form="bulk" name="id" value="\d+" id="sel-\d+"( checked)?>/g)];
    assert.ok(all.length >= 2 && all.every((m) => m[1] === ' checked'));
    assert.ok(r.body.includes('data-all="1">Select none</a>'));
    // The other tabs offer what fits them.
    const spamId = await comment(art, { body: 'spammy' });
    await modPost(s, boss, `/mod/comments/${spamId}/spam`);
    assert.deepEqual(opts((await get(boss, '/mod/?status=spam')).body), ['*', 'approve', 'delete']);
    await modPost(s, boss, `/mod/comments/${spamId}/approve`);
    assert.deepEqual(opts((await get(boss, '/mod/?status=approved')).body), ['*', 'spam', 'delete']);
    // Nothing chosen: refused, nothing changed.
    const before = s.sql('SELECT count(*) AS n FROM audit')[0].n;
    r = await postMany(boss, '/mod/comments/bulk', [['id', String(spamId)], ['action', '']]);
    assert.equal(r.status, 422);
    assert.match(r.body, /Choose what to do with the selected comments/);
    assert.equal(s.sql('SELECT count(*) AS n FROM audit')[0].n, before);
  });
});

describe('bans from the queue', () => {
  test('the form asks how long, why and what becomes of the comment, with defaults; the record is what was chosen', async () => {
    const id = await comment(art, { author: 'Troll', email: 'Troll@Example.net', body: 'trolling' });
    const q = await get(boss, '/mod/');
    const link = `/mod/comments/${id}/ban?kind=email&amp;back=%2Fmod%2F%3Fstatus%3Dpending`;
    assert.ok(q.body.includes(`href="${link}">Ban e-mail\u2026</a>`));
    let r = await get(boss, link.replaceAll('&amp;', '&'));
    assert.equal(r.status, 200);
    assert.match(r.body, /<option value="30" selected>30 days<\/option>/);
    assert.match(r.body, /<option value="">No end<\/option>/);
    assert.match(r.body, /id="ban-reason" name="reason" type="text" maxlength="200" value="Spam"/);
    assert.match(r.body, /<input type="radio" name="then" id="then-spam" value="spam" checked>/);
    assert.match(r.body, /<input type="radio" name="then" id="then-keep" value="keep">\n<label for="then-keep">Leave it as it is \(pending\)/);
    assert.ok(r.body.includes('<input type="hidden" name="back" value="/mod/?status=pending">'));
    assert.equal(status(id), 'pending', 'asking changes nothing');
    assert.equal(s.sql("SELECT count(*) AS n FROM bans WHERE value = 'troll@example.net'")[0].n, 0);

    // Without saying what becomes of the comment: the form again.
    r = await modPost(s, boss, `/mod/comments/${id}/ban`, { kind: 'email', days: '7', reason: 'trolls' });
    assert.equal(r.status, 422);
    assert.match(r.body, /class="form-error"/);
    assert.ok(r.body.includes('value="trolls"'), 'what was typed comes back');
    for (const bad of [{ days: '4000' }, { days: 'soon' }, { reason: 'two\nlines' }]) {
      r = await modPost(s, boss, `/mod/comments/${id}/ban`, { kind: 'email', then: 'keep', ...bad });
      assert.equal(r.status, 422, JSON.stringify(bad));
    }
    assert.equal(s.sql("SELECT count(*) AS n FROM bans WHERE value = 'troll@example.net'")[0].n, 0);

    // Leave it as it is: the ban alone, with its reason and end.
    r = await modPost(s, boss, `/mod/comments/${id}/ban`, { kind: 'email', days: '7',
      reason: 'trolls every thread', then: 'keep', back: '/mod/?status=pending' });
    doneOf(r);
    assert.equal(status(id), 'pending', 'not moved unasked');
    const ban = s.sql("SELECT * FROM bans WHERE kind = 'email' AND value = 'troll@example.net'")[0];
    assert.equal(ban.reason, 'trolls every thread');
    assert.ok(Math.abs(ban.expires - ban.created - 7 * 86400) <= 1);
    let trail = log(`ban:${ban.id}`);
    assert.equal(trail.length, 1);
    assert.equal(trail[0].before, null);
    assert.match(trail[0].after, new RegExp(`^email:troll@example.net; until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; ` +
      `reason: trolls every thread; from comment:${id}$`));
    assert.equal(log(`comment:${id}`).length, 0);

    // Again, to spam, for good: the ban replaced (before: what it was)
    // and the comment moved, in one action an Undo takes back.
    r = await modPost(s, boss, `/mod/comments/${id}/ban`, { kind: 'email', days: '', reason: '',
      then: 'spam', back: '/mod/?status=pending' });
    const batch = doneOf(r);
    assert.equal(status(id), 'spam');
    trail = log(`ban:${ban.id}`);
    assert.equal(trail.length, 2);
    assert.equal(trail[1].before, trail[0].after.replace(`; from comment:${id}`, ''));
    assert.equal(trail[1].after, `email:troll@example.net; no end; reason: (none given); from comment:${id}`);
    assert.deepEqual(log(`comment:${id}`).map((x) => [x.action, x.before, x.after, x.batch]),
      [['spam', 'pending', 'spam', batch]]);
    assert.equal(s.sql(`SELECT expires FROM bans WHERE id = ${ban.id}`)[0].expires, null);
    const n = await notice(boss, r);
    assert.equal(n.text, `Banned ban:${ban.id}: email:troll@example.net; no end; reason: (none given); ` +
      `from comment:${id}. Marked comment:${id} as spam.`);
    assert.ok(n.html.includes(`<a href="/mod/bans#ban-${ban.id}">ban:${ban.id}</a>`));
    doneOf(await modPost(s, boss, '/mod/undo', { batch: String(batch) }));
    assert.equal(status(id), 'pending');
    assert.equal(s.sql(`SELECT count(*) AS n FROM bans WHERE id = ${ban.id}`)[0].n, 0, 'the ban lifted');
    assert.deepEqual(log(`ban:${ban.id}`).map((x) => x.action), ['ban', 'ban', 'undo']);
  });

  test('an address ban, and what cannot be banned', async () => {
    const id = await comment(art, { author: 'NoMail', body: 'no e-mail here' });
    let r = await get(boss, `/mod/comments/${id}/ban?kind=email`);
    assert.equal(r.status, 422);
    assert.match(r.body, /no e-mail address to ban/);
    assert.equal((await get(boss, `/mod/comments/${id}/ban?kind=prefix`)).status, 422);
    assert.equal((await get(boss, `/mod/comments/${id}/ban?kind=website`)).status, 400);
    assert.equal((await get(boss, '/mod/comments/999999/ban?kind=email')).status, 404);
    r = await get(boss, `/mod/comments/${id}/ban?kind=addr_hash`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Address keys change every 30 days, so such a ban ends after 60 days at most/);
    r = await modPost(s, boss, `/mod/comments/${id}/ban`, { kind: 'addr_hash', days: '1', reason: 'flood',
      then: 'delete' });
    doneOf(r);
    assert.equal(status(id), 'deleted');
    const hash = s.sql(`SELECT addr_hash FROM comments WHERE id = ${id}`)[0].addr_hash;
    const ban = s.sql(`SELECT id, reason FROM bans WHERE kind = 'addr_hash' AND value = '${hash}'`)[0];
    assert.equal(ban.reason, 'flood');
    assert.deepEqual(log(`comment:${id}`).map((x) => [x.action, x.after]), [['delete', 'deleted']]);
    // It is our own address: lift it, asked.
    assert.equal((await modPost(s, boss, `/mod/bans/${ban.id}/delete`, { confirm: 'yes' })).status, 303);
  });
});

describe('articles on the web and the command line', () => {
  test('create an article: checked, audited, refused with the form filled in', async () => {
    let r = await modPost(s, mona, '/mod/articles', { uri: '/2026/desk/', title: 'Made <on> the web',
      body: 'Some *text*.' });
    assert.equal(r.status, 303);
    const m = r.headers.get('location').match(/^\/mod\/articles\/(\d+)\?done=\d+$/);
    assert.ok(m, r.headers.get('location'));
    const id = Number(m[1]);
    const row = s.sql(`SELECT uri, title, body, body_html, made_by FROM articles WHERE id = ${id}`)[0];
    assert.deepEqual([row.uri, row.title, row.body, row.made_by], ['/2026/desk/', 'Made <on> the web', 'Some *text*.', 'admin']);
    assert.match(row.body_html, /<em>text<\/em>/);
    assert.deepEqual(log(`article:${id}`).map((x) => [x.action, x.actor, x.after]),
      [['article-add', 'mona', '/2026/desk/ Made <on> the web']]);
    const page = await get(mona, r.headers.get('location'));
    assert.ok(page.body.includes('<h1>Made &lt;on&gt; the web</h1>'));
    assert.match(page.body, new RegExp(`Added <a href="/mod/articles/${id}">article:${id}</a>\\.`));
    const pub = await s.get(`/articles/${id}`);
    assert.equal(pub.status, 200);
    assert.match(pub.body, /<em>text<\/em>/);

    const n0 = s.sql('SELECT count(*) AS n FROM articles')[0].n;
    for (const [fields, code, msg] of [
      [{ uri: 'no-slash', title: 'x' }, 422, /address|path/i],
      [{ uri: '/2026/desk/', title: 'Again' }, 409, /article at this address already/],
      [{ uri: '/2026/other/', title: '' }, 422, /title/i],
      [{ uri: '/2026/other/', title: 'two\nlines' }, 422, /title/i],
    ]) {
      r = await modPost(s, mona, '/mod/articles', fields);
      assert.equal(r.status, code, JSON.stringify(fields));
      assert.match(r.body, msg);
      assert.match(r.body, /<details class="mod-form mod-new" open>/);
    }
    r = await modPost(s, mona, '/mod/articles', { uri: '"><b>x', title: 'x' });
    assert.ok(r.body.includes('value="&quot;&gt;&lt;b&gt;x"'));
    assert.equal(s.sql('SELECT count(*) AS n FROM articles')[0].n, n0);
  });

  test('an auto-closed article is reopened and stays open; Open on an open one changes and records nothing', async () => {
    const id = Number(s.cli(['article', 'add', '--uri', '/old/1/', '--title', 'Old']).stdout);
    s.sql(`UPDATE articles SET created = created - 3 * 86400 WHERE id = ${id}`);
    // Closed by age everywhere: the list, the page, posting, the CLI.
    let l = await get(boss, '/mod/articles');
    assert.match(l.body, new RegExp(`<tr id="article-${id}">[\\s\\S]*?<td data-label="State">closed by age</td>`));
    assert.ok(l.body.includes(`action="/mod/articles/${id}/open"`));
    let p = await s.fetch(`/articles/${id}/comments`, { method: 'POST', body: 'parent=&body=late',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(p.status, 403);
    assert.match(s.cli(['article', 'list']).stdout, new RegExp(`^${id}\\t0\\tclosed\\tdefault\\t/old/1/\\tOld$`, 'm'));

    const r = await modPost(s, boss, `/mod/articles/${id}/open`, { back: '/mod/articles' });
    doneOf(r);
    const row = s.sql(`SELECT closed, kept_open FROM articles WHERE id = ${id}`)[0];
    assert.deepEqual(row, { closed: 0, kept_open: 1 });
    assert.deepEqual(log(`article:${id}`).map((x) => [x.action, x.before, x.after]),
      [['article-add', null, '/old/1/ Old'], ['open', 'closed by age', 'open']]);
    assert.match((await notice(boss, r)).text, /^Opened article:\d+; it stays open until it is closed again\.$/);
    assert.equal((await comment(id, { body: 'reopened' })) > 0, true);
    assert.match(s.cli(['article', 'list']).stdout, new RegExp(`^${id}\\t0\\topen\\tdefault\\t/old/1/`, 'm'));
    l = await get(boss, `/mod/articles/${id}`);
    assert.match(l.body, /open \(reopened: it stays open until closed again\)/);

    // Open again: nothing to do, nothing in the log, and it says so.
    const again = await modPost(s, boss, `/mod/articles/${id}/open`, { back: '/mod/articles' });
    assert.equal(again.headers.get('location'), '/mod/articles?note=unchanged');
    assert.equal(log(`article:${id}`).length, 2);
    // Closed again, age counts again.
    doneOf(await modPost(s, boss, `/mod/articles/${id}/close`));
    assert.deepEqual(s.sql(`SELECT closed, kept_open FROM articles WHERE id = ${id}`)[0], { closed: 1, kept_open: 0 });
    assert.equal((await modPost(s, boss, `/mod/articles/${id}/close`)).headers.get('location'),
      `/mod/articles/${id}?note=unchanged`);
    assert.equal((await modPost(s, boss, `/mod/articles/${id}/shut`)).status, 404);
    assert.equal((await modPost(s, boss, '/mod/articles/999999/open')).status, 404);
  });

  test('moderation mode and title on the web, with before and after; the proposed title taken', async () => {
    const id = Number(s.cli(['article', 'add', '--uri', '/modes/', '--title', 'Modes']).stdout);
    let r = await modPost(s, boss, `/mod/articles/${id}/mode`, { mode: 'post' });
    doneOf(r);
    assert.equal(s.sql(`SELECT mode FROM articles WHERE id = ${id}`)[0].mode, 'post');
    const c = await comment(id, { body: 'published at once here' });
    assert.equal(status(c), 'approved', 'post mode on a pre site');
    r = await modPost(s, boss, `/mod/articles/${id}/mode`, { mode: 'default' });
    doneOf(r);
    assert.equal(s.sql(`SELECT mode FROM articles WHERE id = ${id}`)[0].mode, null);
    assert.equal((await modPost(s, boss, `/mod/articles/${id}/mode`, { mode: 'sometimes' })).status, 422);
    assert.equal((await modPost(s, boss, `/mod/articles/${id}/mode`, {})).status, 422);
    r = await modPost(s, boss, `/mod/articles/${id}/title`, { title: 'Modes & more' });
    doneOf(r);
    assert.equal((await notice(boss, r)).text, `The title of article:${id} is now: Modes &amp; more.`);
    assert.equal((await modPost(s, boss, `/mod/articles/${id}/title`, { title: ' ' })).status, 422);
    assert.deepEqual(log(`article:${id}`).slice(1).map((x) => [x.action, x.before, x.after]), [
      ['mode', 'default', 'post'], ['mode', 'post', 'default'], ['title', 'Modes', 'Modes & more']]);
    // No proposed title to take: refused, nothing changed.
    r = await modPost(s, boss, `/mod/articles/${id}/proposed`);
    assert.equal(r.status, 409);
    assert.match(r.body, /no proposed title/);

    // A thread made by its first comment shows its path until then.
    s.sql("INSERT INTO articles (uri, title, title_proposed, made_by, created) VALUES " +
      "('/reader/thread/', '/reader/thread/', 'What the <page> says', 'reader', " + SQL.now + ")");
    const t = s.sql("SELECT id FROM articles WHERE uri = '/reader/thread/'")[0].id;
    const page = await get(boss, `/mod/articles/${t}`);
    assert.ok(page.body.includes('Its page proposed: <q>What the &lt;page&gt; says</q>'));
    assert.ok(page.body.includes(`action="/mod/articles/${t}/proposed"`));
    assert.match((await get(boss, '/mod/articles')).body, /a title is proposed/);
    doneOf(await modPost(s, boss, `/mod/articles/${t}/proposed`, { back: `/mod/articles/${t}` }));
    assert.deepEqual(s.sql(`SELECT title, title_proposed FROM articles WHERE id = ${t}`)[0],
      { title: 'What the <page> says', title_proposed: null });
    assert.deepEqual(log(`article:${t}`).map((x) => [x.action, x.before, x.after]),
      [['title', '/reader/thread/', 'What the <page> says']]);
  });

  test('the command line changes articles through the same rules, audited as cli', async () => {
    const id = Number(s.cli(['article', 'add', '--uri', '/cli/1/', '--title', 'From the shell']).stdout);
    let r = s.cli(['article', 'set', String(id), '--mode', 'pre', '--close', '--title', 'Shell']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(s.cli(['article', 'list']).stdout, new RegExp(`^${id}\\t0\\tclosed\\tpre\\t/cli/1/\\tShell$`, 'm'));
    assert.deepEqual(log(`article:${id}`).map((x) => [x.actor, x.action, x.before, x.after]), [
      ['cli', 'article-add', null, '/cli/1/ From the shell'], ['cli', 'close', 'open', 'closed'],
      ['cli', 'mode', 'default', 'pre'], ['cli', 'title', 'From the shell', 'Shell']]);
    // The same again: nothing changes, nothing is written.
    r = s.cli(['article', 'set', String(id), '--mode', 'pre', '--close']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(log(`article:${id}`).length, 4);
    r = s.cli(['article', 'add', '--uri', '/cli/1/', '--title', 'dup']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exists already/);
    assert.equal(s.cli(['article', 'set', '999999', '--open']).status, 1);
    // Every line: id, comments, open or closed, mode, uri, title.
    for (const line of s.cli(['article', 'list']).stdout.trim().split('\n')) {
      assert.match(line, /^\d+\t\d+\t(open|closed)\t(pre|post|default)\t\/[^\t]*\t[^\t]*(\t[^\t]*)?$/, line);
    }
  });
});

describe('the audit log', () => {
  test('filters by who, action, target and day; pages keep the filters; targets link', async () => {
    let r = await get(mona, '/mod/audit?who=mona');
    assert.equal(r.status, 200);
    const who = [...r.body.matchAll(/<td data-label="Who">([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.ok(who.length > 0 && who.every((x) => x === 'mona'), who.join());
    r = await get(mona, '/mod/audit?what=undo');
    const what = [...r.body.matchAll(/<td data-label="Action">([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.ok(what.length >= 3 && what.every((x) => x === 'undo'));
    assert.ok(r.body.includes('<option value="undo" selected>undo</option>'));
    const id = s.sql("SELECT target FROM audit WHERE action = 'edit' LIMIT 1")[0].target;
    r = await get(mona, `/mod/audit?target=${encodeURIComponent(id)}`);
    const targets = [...r.body.matchAll(/<tr id="a(\d+)">/g)].length;
    assert.equal(targets, s.sql(`SELECT count(*) AS n FROM audit WHERE target = '${id}'`)[0].n);
    const today = new Date().toISOString().slice(0, 10);
    r = await get(mona, `/mod/audit?from=${today}&to=${today}&what=approve`);
    assert.ok([...r.body.matchAll(/<tr id="a\d+">/g)].length > 0);
    r = await get(mona, '/mod/audit?from=2001-01-01&to=2001-01-02');
    assert.match(r.body, /Nothing matches\./);
    for (const bad of ['from=2026-02-30', 'to=yesterday', 'from=1969-12-31', 'who=a%0Ab']) {
      assert.equal((await get(mona, `/mod/audit?${bad}`)).status, 400, bad);
    }
    // Targets link to what they name.
    r = await get(boss, '/mod/audit');
    assert.match(r.body, /<a href="\/mod\/articles\/\d+">article:\d+<\/a>/);
    assert.match(r.body, /<a href="\/mod\/bans#ban-\d+">ban:\d+<\/a>/);
    assert.match(r.body, /<a href="\/mod\/users#user-mona">user:mona<\/a>/);
    // A comment readers see has its permalink too; one they do not, the
    // card alone (it knows where it would be).
    const shown = s.sql("SELECT id FROM comments WHERE status = 'approved' AND id IN (SELECT CAST(substr(target, 9) AS INTEGER) FROM audit WHERE target LIKE 'comment:%') LIMIT 1")[0].id;
    const hidden = s.sql("SELECT id FROM comments WHERE status != 'approved' AND id IN (SELECT CAST(substr(target, 9) AS INTEGER) FROM audit WHERE target LIKE 'comment:%') LIMIT 1")[0].id;
    r = await get(boss, `/mod/audit?target=comment:${shown}`);
    assert.ok(r.body.includes(`<a href="/mod/comments/${shown}">comment:${shown}</a> <a class="mod-context" href="/c/${shown}">in context</a>`));
    const perma = await s.get(`/c/${shown}`);
    assert.equal(perma.status, 303);
    assert.match(perma.headers.get('location'), new RegExp(`#c${shown}$`));
    r = await get(boss, `/mod/audit?target=comment:${hidden}`);
    assert.ok(r.body.includes(`<a href="/mod/comments/${hidden}">comment:${hidden}</a></td>`));
    r = await get(boss, '/mod/audit');
    // Moderators see user targets as text: the accounts page is admins'.
    assert.ok(!(await get(mona, '/mod/audit')).body.includes('href="/mod/users#'));

    // Paging: 50 a page, the next link keeps the filters.
    for (let i = 0; i < 60; i++) s.sql(`INSERT INTO audit (at, actor, action, target) VALUES (${SQL.now}, 'bot', 'approve', 'comment:1')`);
    r = await get(boss, '/mod/audit?who=bot&what=approve');
    const rows = [...r.body.matchAll(/<tr id="a(\d+)">/g)].map((m) => Number(m[1]));
    assert.equal(rows.length, 50);
    const next = r.body.match(/<a rel="next" href="([^"]+)">Older entries<\/a>/)[1].replaceAll('&amp;', '&');
    assert.equal(next, `/mod/audit?who=bot&what=approve&before=${rows[49]}`);
    const rows2 = [...(await get(boss, next)).body.matchAll(/<tr id="a(\d+)">/g)].map((m) => Number(m[1]));
    assert.equal(rows2.length, 10);
    assert.ok(Math.max(...rows2) < Math.min(...rows));
  });

  test('CSV export: admins only, the filters apply, fields quoted and formulas defused', async () => {
    const id = await comment(art, { body: '=HYPERLINK("http://evil.example"), "quoted"\nand a second line' });
    doneOf(await modPost(s, boss, `/mod/comments/${id}/edit`, { body: '+plus, "q"' }));
    assert.equal((await get(mona, '/mod/audit.csv')).status, 403);
    assert.ok(!(await get(mona, '/mod/audit')).body.includes('audit.csv'));
    assert.ok((await get(boss, '/mod/audit?who=boss')).body.includes('href="/mod/audit.csv?who=boss" download>'));
    const r = await s.fetch(`/mod/audit.csv?target=comment%3A${id}`, { headers: { cookie: boss.cookie } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="palaver-audit\.csv"$/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const text = await r.text();
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'id,time,actor,action,target,before,after,address_hash');
    assert.equal(lines.at(-1), '');
    const auditId = s.sql(`SELECT id, addr_hash FROM audit WHERE target = 'comment:${id}'`)[0];
    assert.match(lines[1], new RegExp(`^${auditId.id},\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ,"boss","edit","comment:${id}",` +
      `"'=HYPERLINK\\(""http://evil.example""\\), ""quoted""\\nand a second line","'\\+plus, ""q""","${auditId.addr_hash}"$`));
    assert.equal(lines.length, 3, 'one row, the filter applied');
    // Without filters: every row, newest first.
    const all = (await (await s.fetch('/mod/audit.csv', { headers: { cookie: boss.cookie } })).text());
    const n = s.sql('SELECT count(*) AS n FROM audit')[0].n;
    const ids = [...all.matchAll(/\r\n(\d+),/g)].map((m) => Number(m[1]));
    assert.equal(ids.length, n);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
  });
});

describe('the queue card', () => {
  test('one score and the reasons; the parent rendered; view in context goes to the page that holds it', async () => {
    const a = Number(s.cli(['article', 'add', '--uri', '/ctx/', '--title', 'Context']).stdout);
    s.cli(['article', 'set', String(a), '--mode', 'post']);
    const roots = [];
    for (let i = 0; i < 3; i++) roots.push(await comment(a, { author: `R${i}`, body: `root **${i}**` }));
    assert.deepEqual(roots.map(status), ['approved', 'approved', 'approved']);
    s.cli(['article', 'set', String(a), '--mode', 'pre']);
    const reply = await comment(a, { parent: String(roots[2]), author: 'Late', body: 'a reply, held' });
    const first = await comment(a, { parent: String(roots[0]), author: 'Early', body: 'held on page 1' });
    // A score and reasons as the rules leave them.
    s.sql(`UPDATE comments SET score = 0.95, reasons = '0.60 the form token is missing' || ${SQL.nl} ||
      '0.95 this form was sent before (a replay)' WHERE id = ${reply}`);
    const r = await get(boss, `/mod/?article=${a}`);
    const item = r.body.match(new RegExp(`<li class="mod-item" id="c${reply}"[\\s\\S]*?</article>\n</li>`))[0];
    assert.equal(item.match(/0\.95/g).length, 1, 'the score once');
    assert.ok(item.includes('<dt>Spam score</dt><dd><span class="mod-score">0.95</span></dd>'));
    assert.ok(item.includes('<li>the form token is missing <span class="mod-reason-score">(0.60)</span></li>'));
    assert.ok(item.includes('<li>this form was sent before (a replay)</li>'), item);
    assert.ok(item.includes(`<p id="c${reply}-p">In reply to <strong>R2</strong>:</p>`));
    assert.ok(item.includes('<p>root <strong>2</strong></p>'), 'the parent rendered, not Markdown');
    assert.ok(!item.includes('root **2**'));
    // page_size is 2: the third root is on the second page.
    assert.ok(item.includes(`<a class="mod-context" href="/articles/${a}?after=${roots[2] - 1}#c${reply}">View in context</a>`));
    const page = await s.get(`/articles/${a}?after=${roots[2] - 1}`);
    assert.ok(page.body.includes(`id="c${roots[2]}"`), 'that page holds its thread');
    const early = r.body.match(new RegExp(`<li class="mod-item" id="c${first}"[\\s\\S]*?</article>\n</li>`))[0];
    assert.ok(early.includes(`href="/articles/${a}#c${first}">View in context</a>`));
    assert.ok(!/<dt>Reports<\/dt>/.test(item), 'no reports until readers can report');

    // The card alone, the audit's link for a comment.
    const card = await get(boss, `/mod/comments/${reply}`);
    assert.equal(card.status, 200);
    assert.ok(card.body.includes(`<h1>Comment ${reply}</h1>`));
    assert.ok(card.body.includes('<dt>Status</dt><dd>pending</dd>'));
    assert.ok(card.body.includes(`href="/mod/audit?target=comment%3A${reply}"`));
    assert.ok(!card.body.includes('form="bulk"'));
    const act = await modPost(s, boss, `/mod/comments/${reply}/approve`, { back: `/mod/comments/${reply}` });
    assert.match(act.headers.get('location'), new RegExp(`^/mod/comments/${reply}\\?done=\\d+$`));
    assert.equal((await get(boss, '/mod/comments/999999')).status, 404);
  });
});
