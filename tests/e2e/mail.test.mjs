// mail.test.mjs: reply notifications and moderator alerts through a real
// SMTP server on loopback (aiosmtpd): the messages are parsed by Python's
// e-mail parser, their links followed through nginx, and the database
// read after each step.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, modLogin, modPost, assertSecurityHeaders } from './lib.mjs';
import { Smtp, until, links, secret, signLink, forge, post } from './maillib.mjs';

const FROM = 'Palaver Tests <noreply@example.org>';

// What every message palaver sends must be.
function assertWellFormed(m, base) {
  const h = m.headers;
  assert.equal(m.content_type, 'multipart/alternative');
  assert.deepEqual(m.parts, ['multipart/alternative', 'text/plain', 'text/html']);
  assert.deepEqual(m.charsets, ['utf-8', 'utf-8']);
  assert.deepEqual(m.defects, []);
  assert.match(h['message-id'][0], /^<[A-Za-z0-9_-]+@example\.org>$/);
  assert.match(h.date[0], /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
  assert.equal(h['auto-submitted'][0], 'auto-generated');
  assert.equal(h['mime-version'][0], '1.0');
  assert.match(h.from[0], /noreply@example\.org/);
  assert.equal(m.from, 'noreply@example.org');
  // Lines within RFC 5322's limits (78, or 998 for a URL that cannot be
  // folded), CRLF only.
  for (const line of m.raw.split('\r\n')) {
    assert.ok(line.length <= (/https?:\/\/\S{40,}/.test(line) ? 998 : 78), `line too long: ${line}`);
    assert.ok(!line.includes('\n') && !line.includes('\r'), 'bare line end');
  }
  // Every link is absolute, under base_url.
  for (const u of (m.text.match(/https?:\/\/\S+/g) || [])) assert.ok(u.startsWith(base), u);
}

// Is message m the notification of reply id?
const about = (m, id) => new RegExp(`/c/${id}\\b`).test(m.text || '');

describe('reply notifications', () => {
  let s, smtp, art, base;

  before(async () => {
    smtp = await new Smtp().start();
    s = await new Server({
      site: { base_url: 'auto', name: 'Tëst Site' },
      mail: { transport: smtp.url(), from: FROM, starttls: 'off', retry_seconds: 1 },
      spam: { posts_per_minute: 0 },
    }).start();
    base = s.base;
    art = Number(s.cli(['article', 'add', '--uri', '/m/1/', '--title', 'Ünïcode — and a rather long title that needs folding in the subject line']).stdout);
  });

  after(async () => {
    await s.stop();
    await smtp.stop();
  });

  test('the page offers the box, labelled with e-mail, and links its feed', async () => {
    const r = await s.get(`/articles/${art}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /<label><input type="checkbox" name="notify" value="1"> E-mail me replies/);
    assert.match(r.body, new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]*" href="/articles/${art}/feed">`));
    const api = JSON.parse((await s.get('/api/comments?uri=/m/1/')).body);
    assert.equal(api.notify, true);
  });

  test('the box without an address is refused, with the text kept', async () => {
    const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
      body: new URLSearchParams({ author: 'Zed', body: 'Tell me', notify: '1' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 422);
    const body = await r.text();
    assert.match(body, /give your e-mail address too/);
    assert.match(body, /Tell me/);
    assert.match(body, /name="notify" value="1" checked/);
    const api = await s.fetch('/api/comments?uri=/m/1/', { method: 'POST',
      body: JSON.stringify({ body: 'x', email: 'ünï@example.org', notify: true }),
      headers: { 'content-type': 'application/json' } });
    assert.equal(api.status, 422);
    assert.equal((await api.json()).field, 'email');
  });

  let ann, confirmLink;

  test('a first ask sends one confirmation; nothing else before it is answered', async () => {
    ann = await post(s, art, { author: 'Ann', email: 'Ann@Example.org', body: 'What do you think?', notify: '1' });
    const m = await until(() => smtp.to('<ann@example.org>')[0] || smtp.to('ann@example.org')[0], 'the confirmation');
    assertWellFormed(m, base);
    assert.match(m.headers.subject[0], /Confirm e-mail about replies from Tëst Site/);
    assert.equal(m.headers['list-unsubscribe'], undefined);
    const [first] = links(m.text, base);
    assert.match(first, /\/mail\/confirm\?t=c\./);
    assert.equal(links(m.html, base)[0], first, 'the HTML part confirms first too');
    confirmLink = first;
    const row = s.sql("SELECT email, confirmed FROM subscribers");
    assert.deepEqual(row, [{ email: 'ann@example.org', confirmed: null }]);
    // A second comment with the box: no second question the same day.
    await post(s, art, { author: 'Ann', email: 'ann@example.org', body: 'And another thing', notify: '1' });
    // A reply to Ann now: she has not confirmed, so she hears nothing.
    await post(s, art, { author: 'Bob', email: 'bob@example.org', body: 'Early reply', parent: String(ann) });
    await sleep(3500);
    assert.equal(smtp.to('ann@example.org').length, 1, 'only the confirmation');
    assert.equal(s.sql("SELECT count(*) AS n FROM events")[0].n, 0, 'every event was handled');
  });

  test('the confirmation link: GET only asks, its single form confirms by POST', async () => {
    const path = confirmLink.slice(base.length);
    const g = await s.get(path);
    assert.equal(g.status, 200);
    assertSecurityHeaders(assert, g.headers);
    assert.equal(g.headers.get('cache-control'), 'no-store');
    assert.equal((g.body.match(/<form /g) || []).length, 1);
    assert.match(g.body, /ann@example\.org/);
    assert.equal(s.sql('SELECT confirmed FROM subscribers')[0].confirmed, null, 'a GET (a mail scanner) confirms nothing');
    const action = g.body.match(/<form method="post" action="([^"]+)"/)[1].replaceAll('&amp;', '&');
    const p = await s.fetch(action, { method: 'POST' });
    assert.equal(p.status, 200);
    assert.match(await p.text(), /replies to your comments will be e-mailed/);
    assert.ok(s.sql('SELECT confirmed FROM subscribers')[0].confirmed > 0);
  });

  test('forged, damaged and expired confirmation links are refused', async () => {
    const tok = confirmLink.split('t=')[1];
    const sub = s.sql('SELECT id FROM subscribers')[0].id;
    const expired = signLink(secret(s), 'c', sub, 0, 0, Math.floor(Date.now() / 1000) - 10, 'ann@example.org');
    const wrongAddr = signLink(secret(s), 'c', sub, 0, 0, Math.floor(Date.now() / 1000) + 999, 'eve@example.org');
    for (const t of [forge(tok), tok.slice(0, -3), expired, wrongAddr, 'c.1.0.0.0.x', `u${tok.slice(1)}`]) {
      for (const method of ['GET', 'POST']) {
        const r = await s.fetch(`/mail/confirm?t=${encodeURIComponent(t)}`, { method });
        assert.equal(r.status, 403, `${method} ${t}`);
        assert.match(await r.text(), /This link is not valid/);
      }
    }
    const r = await s.get('/mail/confirm');
    assert.equal(r.status, 400);
  });

  let bobReply;

  test('one message for a published reply, with its text, the title and a link', async () => {
    bobReply = await post(s, art, { author: 'Bob <b>', email: 'bob@example.org', body: 'I think **so**, & more.', parent: String(ann) });
    const m = await until(() => smtp.to('ann@example.org').find((x) => about(x, bobReply)), 'the notification');
    assertWellFormed(m, base);
    assert.equal(m.headers.subject[0], 'Bob <b> replied to your comment on “Ünïcode — and a rather long title that needs folding in the subject line”');
    assert.match(m.text, /I think \*\*so\*\*, & more\./);
    assert.match(m.html, /<strong>so<\/strong>, &amp; more\./);
    assert.match(m.html, /Bob &lt;b&gt;/, 'the name is escaped in the HTML part');
    const permalink = links(m.text, base).find((u) => u.includes('/c/'));
    assert.equal(permalink, `${base}/c/${bobReply}`);
    const to = await s.fetch(permalink.slice(base.length));
    assert.equal(to.status, 303);
    assert.match(to.headers.get('location'), new RegExp(`/articles/${art}.*#c${bobReply}$`));
    const page = await s.get(to.headers.get('location').split('#')[0]);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`id="c${bobReply}"`));
    // RFC 8058: an https (here the test's http) link and the one-click header.
    const lu = m.headers['list-unsubscribe'][0];
    assert.match(lu, new RegExp(`^<${base}/mail/unsubscribe\\?t=u\\.[^>]+>$`));
    assert.equal(m.headers['list-unsubscribe-post'][0], 'List-Unsubscribe=One-Click');
    await sleep(2500);
    assert.equal(smtp.to('ann@example.org').filter((x) => about(x, bobReply)).length, 1, 'exactly one');
  });

  test('no mail for pending, spam, deleted or one\'s own replies; one when a held reply is approved', async () => {
    const before = smtp.to('ann@example.org').length;
    // Ann answers herself: no mail about her own reply.
    await post(s, art, { author: 'Ann', email: 'ann@example.org', body: 'Replying to myself', parent: String(ann) });
    // A reply that fills the honeypot goes to spam.
    await post(s, art, { author: 'Bot', body: 'Cheap pills', parent: String(ann), hp: 'x' });
    // Held: the article in pre-moderation.
    assert.equal(s.cli(['article', 'set', String(art), '--mode', 'pre']).status, 0);
    const held = await post(s, art, { author: 'Cy', body: 'Held reply', parent: String(ann) });
    const gone = await post(s, art, { author: 'Di', body: 'Deleted reply', parent: String(ann) });
    await sleep(3500);
    assert.equal(smtp.to('ann@example.org').length, before, 'nothing for pending, spam or own');
    assert.deepEqual(s.sql(`SELECT status FROM comments WHERE id IN (${held}, ${gone}) ORDER BY id`).map((r) => r.status), ['pending', 'pending']);
    s.cli(['user', 'add', 'mo', '--role', 'admin'], { input: 'a long password 1\n' });
    const mo = await modLogin(s, 'mo', 'a long password 1');
    assert.equal((await modPost(s, mo, `/mod/comments/${gone}/delete`, { confirm: 'yes' })).status, 303);
    assert.equal((await modPost(s, mo, `/mod/comments/${held}/approve`)).status, 303);
    const m = await until(() => smtp.to('ann@example.org').find((x) => about(x, held)), 'the approved reply');
    assert.match(m.text, /Held reply/);
    await sleep(2500);
    assert.equal(smtp.to('ann@example.org').length, before + 1, 'one, for the approved reply only');
    // Published again after a round trip through spam: still one message.
    assert.equal((await modPost(s, mo, `/mod/comments/${held}/spam`)).status, 303);
    assert.equal((await modPost(s, mo, `/mod/comments/${held}/approve`)).status, 303);
    await sleep(3000);
    assert.equal(smtp.to('ann@example.org').length, before + 1, 'never twice for one reply');
    assert.equal(s.cli(['article', 'set', String(art), '--mode', 'default']).status, 0);
  });

  test('one click (RFC 8058 POST) ends the thread\'s replies; the page offers all', async () => {
    const m = smtp.to('ann@example.org').find((x) => about(x, bobReply));
    const lu = m.headers['list-unsubscribe'][0].slice(1, -1);
    const path = lu.slice(base.length);
    // The page a person sees: what the button does, and "all".
    const g = await s.get(path);
    assert.equal(g.status, 200);
    assert.match(g.body, /Stop replies from this thread/);
    assert.match(g.body, /Stop all e-mail from this site/);
    assert.match(g.body, /scope=all/);
    assert.equal(s.sql('SELECT count(*) AS n FROM subscriptions')[0].n, 2, 'a GET changes nothing');
    // What a mail provider sends: multipart, no Origin, no cookie.
    const fd = new FormData();
    fd.append('List-Unsubscribe', 'One-Click');
    const p = await s.fetch(path, { method: 'POST', body: fd });
    assert.equal(p.status, 200);
    assert.match(await p.text(), /no more e-mail about replies/);
    assert.equal(s.sql('SELECT count(*) AS n FROM subscriptions')[0].n, 0);
    assert.ok(s.sql('SELECT confirmed FROM subscribers')[0].confirmed > 0, 'other threads would still be sent');
    const n = smtp.to('ann@example.org').length;
    await post(s, art, { author: 'Bob', body: 'After the unsubscribe', parent: String(ann) });
    await sleep(3500);
    assert.equal(smtp.to('ann@example.org').length, n, 'nothing after one click');
    // Twice is fine; a forged one is not.
    assert.equal((await s.fetch(path, { method: 'POST' })).status, 200);
    assert.equal((await s.fetch(`/mail/unsubscribe?t=${forge(path.split('t=')[1])}`, { method: 'POST' })).status, 403);
    // "All": the address must confirm again before anything more.
    const all = await s.fetch(`${path}&scope=all`, { method: 'POST' });
    assert.equal(all.status, 200);
    assert.match(await all.text(), /no more e-mail/);
    assert.equal(s.sql('SELECT confirmed FROM subscribers')[0].confirmed, null);
  });
});

describe('the hourly cap and delivery failures', () => {
  let s, smtp, art;

  before(async () => {
    smtp = await new Smtp(['--reject', 'nobody@example.org']).start();
    s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off', hourly_cap: 2 },
      spam: { posts_per_minute: 0 },
    }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/m/2/', '--title', 'Capped']).stdout);
  });

  after(async () => {
    await s.stop();
    await smtp.stop();
  });

  test('an address gets at most hourly_cap messages an hour; the rest are dropped and shown', async () => {
    const c = await post(s, art, { author: 'Ed', email: 'ed@example.org', body: 'Top', notify: '1' });
    const m = await until(() => smtp.to('ed@example.org')[0], 'the confirmation');
    const path = links(m.text, s.base)[0].slice(s.base.length);
    const g = await s.get(path);
    const action = g.body.match(/<form method="post" action="([^"]+)"/)[1].replaceAll('&amp;', '&');
    assert.equal((await s.fetch(action, { method: 'POST' })).status, 200);
    for (let i = 0; i < 3; i++) await post(s, art, { author: `R${i}`, body: `Reply ${i}`, parent: String(c) });
    await until(() => s.sql("SELECT count(*) AS n FROM outbox WHERE state != 'queued'")[0].n === 4, 'all four handled');
    // "sent" is marked once the server said 250; the test's server may
    // hand the message over a moment later.
    await until(() => smtp.to('ed@example.org').length >= 2, 'the reply received');
    assert.equal(smtp.to('ed@example.org').length, 2, 'the confirmation and one reply: the cap is 2');
    const rows = s.sql("SELECT what, state, last_error FROM outbox ORDER BY id");
    assert.deepEqual(rows.map((r) => r.state), ['sent', 'sent', 'dropped', 'dropped']);
    assert.match(rows[2].last_error, /hourly cap of 2/);
    s.cli(['user', 'add', 'ad', '--role', 'admin'], { input: 'a long password 2\n' });
    s.cli(['user', 'add', 'md'], { input: 'a long password 3\n' });
    const ad = await modLogin(s, 'ad', 'a long password 2');
    const d = await s.get('/mod/deliveries', { headers: { cookie: ad.cookie } });
    assert.equal(d.status, 200);
    assert.match(d.body, /2 sent, 0 failed for good, 2 dropped/);
    assert.match(d.body, /over the hourly cap of 2 messages/);
    const md = await modLogin(s, 'md', 'a long password 3');
    assert.equal((await s.get('/mod/deliveries', { headers: { cookie: md.cookie } })).status, 403, 'admins only');
  });

  test('a recipient the server refuses (550) fails for good, at once', async () => {
    await post(s, art, { author: 'No', email: 'nobody@example.org', body: 'x', notify: '1' });
    await until(() => s.sql("SELECT state FROM outbox WHERE target = 'nobody@example.org'")[0]?.state === 'failed', 'the failure');
    const r = s.sql("SELECT attempts, last_error FROM outbox WHERE target = 'nobody@example.org'")[0];
    assert.equal(r.attempts, 1);
    assert.match(r.last_error, /550/);
    assert.equal(smtp.to('nobody@example.org').length, 0);
  });
});

describe('delivery: retries, credentials, STARTTLS and sendmail', () => {
  test('temporary failures are retried with back-off, then delivered once', async () => {
    const smtp = await new Smtp(['--tempfail', '2']).start();
    const s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off', retry_seconds: 1 },
    }).start();
    try {
      const art = Number(s.cli(['article', 'add', '--uri', '/m/3/', '--title', 'T']).stdout);
      await post(s, art, { email: 'fay@example.org', body: 'x', notify: '1' });
      await until(() => smtp.to('fay@example.org').length === 1, 'delivery after two refusals');
      assert.equal(smtp.events.filter((e) => e.tempfail).length, 2);
      const r = s.sql("SELECT state, attempts, last_error FROM outbox")[0];
      assert.equal(r.state, 'sent');
      assert.equal(r.attempts, 3);
      assert.match(r.last_error, /451/, 'the last failure is kept for admins');
    } finally {
      await s.stop();
      await smtp.stop();
    }
  });

  test('SMTP credentials from a file; STARTTLS required against a server without it waits', async () => {
    const smtp = await new Smtp(['--auth', 'relay:s3cret pass']).start();
    const s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off', user: 'relay' },
    });
    // The password file, readable by the service alone.
    const fs = await import('node:fs');
    const os = await import('node:os');
    const p = await import('node:path');
    const dir = fs.mkdtempSync(p.join(os.tmpdir(), 'palaver-pw-'));
    fs.writeFileSync(p.join(dir, 'pw'), 's3cret pass\n', { mode: 0o600 });
    s.overrides.mail.password_file = p.join(dir, 'pw');
    await s.start();
    try {
      const art = Number(s.cli(['article', 'add', '--uri', '/m/4/', '--title', 'T']).stdout);
      await post(s, art, { email: 'gil@example.org', body: 'x', notify: '1' });
      const m = await until(() => smtp.to('gil@example.org')[0], 'delivery with AUTH');
      assert.equal(m.auth, true);
      // Now require STARTTLS: the server has none, so nothing goes and the
      // reason is kept (a configuration to fix, not a lost message).
      await s.reconfigure({ mail: { starttls: 'required' } });
      await post(s, art, { email: 'hal@example.org', body: 'y', notify: '1' });
      await until(() => s.sql("SELECT last_error FROM outbox WHERE target = 'hal@example.org'")[0]?.last_error, 'the failed try');
      const r = s.sql("SELECT state, last_error FROM outbox WHERE target = 'hal@example.org'")[0];
      assert.equal(r.state, 'queued', 'kept for the next try');
      assert.match(r.last_error, /SSL|TLS/i);
      assert.equal(smtp.to('hal@example.org').length, 0);
    } finally {
      await s.stop();
      await smtp.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
