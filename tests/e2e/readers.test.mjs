// readers.test.mjs: reports and the hold after report_hold of them, the
// Markdown preview (form and API), edits and deletes that answer with a
// redirect, notices beside the comment, times in [site] timezone, and
// ?c= for a comment of an embedded thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, modLogin, modPost } from './lib.mjs';

let s;
let art;
const ids = [];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSONH = { 'content-type': 'application/json' };

async function post(fields, headers = {}) {
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST', headers: { ...FORM, ...headers },
    body: new URLSearchParams(fields).toString() });
  const body = await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0, headers: r.headers, body,
    cookie: (r.headers.get('set-cookie') || '').split(';')[0] };
}

async function report(id, reason, text, addr) {
  const r = await s.fetch(`/api/comments/${id}/report`, { method: 'POST',
    headers: { ...JSONH, 'x-forwarded-for': addr }, body: JSON.stringify({ reason, text }) });
  return { status: r.status, j: await r.json(), headers: r.headers };
}

before(async () => {
  s = await new Server({ moderation: { page_size: 2, report_hold: 3, reports_per_hour: 4 },
    spam: { posts_per_minute: 0 }, site: { timezone: 'Europe/Berlin', allowed_origins: 'http://site.example' } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/readers/', '--title', 'Readers']).stdout);
  for (let i = 0; i < 6; i++) ids.push((await post({ body: `comment ${i}`, author: `A${i}` })).id);
});
after(async () => { await s.stop(); });

test('reports: counted once an address, held at report_hold, in the queue with reasons, never who', async () => {
  const id = ids[1];
  let r = await report(id, 'spam', 'Sells watches', '127.0.5.1');
  assert.equal(r.status, 200);
  assert.deepEqual(r.j, { id, reported: true });
  // The same address again: its report changes, it counts once.
  r = await report(id, 'abuse', 'Rude, too', '127.0.5.1');
  assert.equal(r.status, 200);
  assert.deepEqual(s.sql(`SELECT reason, text FROM reports WHERE comment = ${id}`), [{ reason: 'abuse', text: 'Rude, too' }]);
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
  r = await report(id, 'off-topic', '', '127.0.5.2');
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
  const version = s.sql(`SELECT version FROM articles WHERE id = ${art}`)[0].version;
  r = await report(id, 'other', 'Doxxing', '127.0.5.3');
  assert.equal(r.status, 200);
  // The third: back to pending, off the page, a new version.
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'pending');
  assert.ok(s.sql(`SELECT version FROM articles WHERE id = ${art}`)[0].version > version);
  assert.doesNotMatch((await s.get(`/articles/${art}`)).body, new RegExp(`id="c${id}"`));
  // Audited, without any reporter's address.
  const audit = s.sql(`SELECT actor, action, target, after, addr_hash FROM audit WHERE target = 'comment:${id}' ORDER BY id`);
  assert.deepEqual(audit.map((a) => a.action), ['report', 'report', 'report', 'report', 'report-hold']);
  assert.ok(audit.every((a) => a.addr_hash === null && (a.actor === 'reader' || a.actor === 'reports')));
  assert.equal(audit[3].after, 'other: Doxxing');
  // A moderator sees the reasons, not who.
  const pw = 'a long enough password';
  assert.equal(s.cli(['user', 'add', 'max'], { input: `${pw}\n` }).status, 0);
  const who = await modLogin(s, 'max', pw);
  const q = await s.get('/mod/?status=pending', { headers: { cookie: who.cookie } });
  const item = q.body.slice(q.body.indexOf(`id="c${id}"`));
  assert.match(item, /<dt>Reports<\/dt><dd>3 open<ul class="mod-reports"><li>abuse: Rude, too /);
  assert.match(item, /<li>off-topic <time/);
  assert.match(item, /<li>other: Doxxing /);
  const hashes = s.sql(`SELECT addr_hash FROM reports WHERE comment = ${id}`).map((x) => x.addr_hash);
  for (const h of hashes) assert.ok(!q.body.includes(h), 'a reporter\'s hash is never shown');
  // The queue's "in context" link goes to the page that holds it; the
  // permalink lands there for a moderator too.
  assert.match(item, new RegExp(`<a class="mod-context" href="/articles/\\d+(\\?[^"#]*)?#c${id}">`));
  assert.equal((await s.get(`/c/${id}`, { headers: { cookie: who.cookie } })).status, 303);
  assert.equal((await s.get(`/c/${id}`)).status, 404);
  // Approving settles the reports: one more report does not hold it again.
  assert.equal((await modPost(s, who, `/mod/comments/${id}/approve`)).status, 303);
  assert.deepEqual(s.sql(`SELECT count(*) AS n FROM reports WHERE comment = ${id} AND settled = 0`), [{ n: 0 }]);
  await report(id, 'spam', '', '127.0.5.4');
  assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 'approved');
});

test('bad reports and the per-address limit', async () => {
  for (const [body, status, field] of [[{ reason: 'boring' }, 422, 'reason'], [{}, 422, 'reason'],
    [{ reason: 'spam', text: 'two\nlines' }, 422, 'text'], [{ reason: 'spam', text: 'x'.repeat(201) }, 422, 'text'],
    [{ reason: 7 }, 422, 'reason'], [{ reason: ['spam'] }, 400, 'reason']]) {
    const r = await s.fetch(`/api/comments/${ids[2]}/report`, { method: 'POST', headers: JSONH, body: JSON.stringify(body) });
    assert.equal(r.status, status, JSON.stringify(body));
    const j = await r.json();
    assert.equal(j.field, field);
    assert.ok(j.error.length > 10);
  }
  assert.equal((await report(99999999, 'spam', '', '127.0.6.1')).status, 404);
  // reports_per_hour = 4, by address.
  const got = [];
  for (const id of ids) got.push((await report(id, 'spam', '', '127.0.6.2')).status);
  assert.deepEqual(got.slice(0, 4), [200, 200, 200, 200]);
  assert.equal(got[4], 429);
  const r = await report(ids[5], 'spam', '', '127.0.6.2');
  assert.match(r.j.error, /sent 4 reports in the last hour/);
});

test('without script: the report form, refused filled in, sent, a notice at the comment', async () => {
  const id = ids[3];
  const page = await s.get(`/articles/${art}?after=${ids[1]}&report=${id}`);
  assert.match(page.body, new RegExp(`<form class="report-form" method="post" action="/articles/${art}/comments/${id}/report#report-${id}" id="report-${id}">`));
  assert.match(page.body, /<legend>What is wrong with this comment\?<\/legend>/);
  // Refused: the page with the form filled in, 422, the message at it.
  const bad = await s.fetch(`/articles/${art}/comments/${id}/report`, { method: 'POST', headers: FORM,
    body: new URLSearchParams({ reason: 'spam', text: 'x'.repeat(250) }).toString() });
  assert.equal(bad.status, 422);
  const body = await bad.text();
  assert.match(body, /<p class="form-error" role="alert" id="p-error">/);
  assert.match(body, new RegExp(`value="spam" required checked aria-invalid|value="spam" required checked`));
  assert.match(body, new RegExp(`name="text" type="text" maxlength="200" value="${'x'.repeat(250)}" aria-invalid="true"`));
  const ok = await s.fetch(`/articles/${art}/comments/${id}/report`, { method: 'POST',
    headers: { ...FORM, 'x-forwarded-for': '127.0.7.1' }, body: 'reason=off-topic&text=Not+about+this' });
  assert.equal(ok.status, 303);
  const loc = ok.headers.get('location');
  assert.match(loc, new RegExp(`reported=${id}#c${id}$`));
  const landed = await s.get(loc.replace(/#.*/, ''));
  assert.match(landed.body, new RegExp(`id="c${id}"[^]*?<p class="notice">Thank you: the moderators will look at this`));
});

test('preview: the server renders exactly what it would publish, and stores nothing', async () => {
  const n = s.sql('SELECT count(*) AS n FROM comments')[0].n;
  const r = await s.fetch('/api/preview', { method: 'POST', headers: JSONH,
    body: JSON.stringify({ body: 'Hi *there* <script>alert(1)</script> [x](javascript:alert(1))' }) });
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.match(j.html, /<em>there<\/em>/);
  assert.doesNotMatch(j.html, /<script|javascript:/);
  assert.equal((await s.fetch('/api/preview', { method: 'POST', headers: JSONH, body: '{"body": ""}' })).status, 422);
  // The form's Preview button: the page again, 200, the text kept, the
  // preview above the buttons; nothing posted.
  const p = await post({ body: '**bold** move', author: 'Pre', preview: '1', ts: 'x' });
  assert.equal(p.status, 200);
  assert.match(p.body, /<section class="preview" aria-labelledby="f-preview-h"><h4 id="f-preview-h">Preview: this is how it will look<\/h4><div class="body"><p><strong>bold<\/strong> move<\/p>/);
  assert.match(p.body, /<textarea id="f-body" name="body" rows="6" required>\*\*bold\*\* move<\/textarea>/);
  assert.match(p.body, /id="f-author" name="author" type="text" autocomplete="name" value="Pre"/);
  assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, n);
});

test('edits and deletes answer with a redirect to the comment, with a notice there', async () => {
  const mine = await post({ body: 'my words', author: 'Me' });
  assert.equal(mine.status, 303);
  const cookie = mine.cookie;
  // The page the post lands on says what became of it beside the comment.
  const landed = await s.get(mine.headers.get('location').replace(/#.*/, ''), { headers: { cookie } });
  assert.match(landed.body, new RegExp(`<li class="comment posted" id="c${mine.id}">[^]*?<p class="notice">Your comment is published.</p>`));
  const e = await s.fetch(`/articles/${art}/comments/${mine.id}/edit`, { method: 'POST', headers: { ...FORM, cookie },
    body: 'body=my+better+words' });
  assert.equal(e.status, 303);
  assert.match(e.headers.get('location'), new RegExp(`edited=${mine.id}#c${mine.id}$`));
  const after = await s.get(e.headers.get('location').replace(/#.*/, ''), { headers: { cookie } });
  assert.match(after.body, /Your changes are saved/);
  assert.match(after.body, /my better words/);
  // A refused edit is the form again, filled in, with its status.
  const bad = await s.fetch(`/articles/${art}/comments/${mine.id}/edit`, { method: 'POST', headers: { ...FORM, cookie },
    body: 'body=' });
  assert.equal(bad.status, 422);
  // Delete: a redirect too; the comment is gone from the page.
  const d = await s.fetch(`/articles/${art}/comments/${mine.id}/delete`, { method: 'POST', headers: { ...FORM, cookie }, body: '' });
  assert.equal(d.status, 303);
  assert.match(d.headers.get('location'), new RegExp(`deleted=${mine.id}`));
  const gone = await s.get(d.headers.get('location').replace(/#.*/, ''), { headers: { cookie } });
  assert.match(gone.body, /<div class="status" role="status" aria-live="polite"><p class="notice">Your comment is deleted.<\/p>/);
  // Not theirs: 403, and no redirect.
  const other = await s.fetch(`/articles/${art}/comments/${ids[0]}/delete`, { method: 'POST', headers: FORM, body: '' });
  assert.equal(other.status, 403);
});

test('times: the page shows [site] timezone, <time datetime> stays UTC', async () => {
  s.sql(`UPDATE comments SET created = 1785592800 WHERE id = ${ids[0]}`); // 2026-08-01 14:00 UTC
  s.sql(`UPDATE comments SET created = 1798812000 WHERE id = ${ids[2]}`); // 2027-01-01 14:00 UTC
  s.sql(`UPDATE articles SET version = version + 1 WHERE id = ${art}`);
  const p1 = await s.get(`/articles/${art}`);
  assert.match(p1.body, /<time datetime="2026-08-01T14:00:00Z">1 Aug 2026, 16:00 CEST<\/time>/);
  const p2 = await s.get(`/c/${ids[2]}`);
  const page = await s.get(p2.headers.get('location').replace(/#.*/, ''));
  assert.match(page.body, /<time datetime="2027-01-01T14:00:00Z">1 Jan 2027, 15:00 CET<\/time>/);
});

test('a bad [site] timezone stops palaver with a message naming it', async () => {
  for (const tz of ['Mars/Olympus', '../etc/passwd', 'Europe/Berlin; rm']) {
    const r = s.cli(['-c', s.conf, 'article', 'list'], { env: {} });
    assert.equal(r.status, 0);
    const fs = await import('node:fs');
    const conf = fs.readFileSync(s.conf, 'utf8').replace(/^timezone = .*$/m, `timezone = ${tz}`);
    const bad = `${s.dir}/bad.conf`;
    fs.writeFileSync(bad, conf);
    const out = s.cli(['-c', bad, 'article', 'list']);
    assert.notEqual(out.status, 0, tz);
    assert.match(out.stderr, /\[site\] timezone: /, tz);
  }
});

test('?c= finds the page of an embedded thread that holds a comment', async () => {
  const last = ids[5];
  const j = await (await s.fetch(`/api/comments?uri=/readers/&c=${last}`)).json();
  assert.ok(j.comments.some((c) => c.id === last));
  const first = await (await s.fetch('/api/comments?uri=/readers/')).json();
  assert.ok(!first.comments.some((c) => c.id === last));
  const frag = await s.get(`/embed?uri=/readers/&c=${last}`);
  assert.match(frag.body, new RegExp(`id="c${last}"`));
  // Another thread's comment, an unknown one or garbage: the first page.
  assert.deepEqual((await (await s.fetch('/api/comments?uri=/readers/&c=99999999')).json()).comments.map((c) => c.id),
    first.comments.map((c) => c.id));
  assert.equal((await s.fetch('/api/comments?uri=/readers/&c=abc')).status, 400);
  assert.equal((await s.get('/embed?uri=/readers/&c=abc')).status, 200);
});
