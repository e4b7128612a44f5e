// alerts.test.mjs: moderators' alerts by mail (each held comment, or a
// digest) with one-click links that only act through a confirmation page,
// audited as that moderator, refused once the comment was decided; the
// account page; privacy export and erase; the sendmail transport.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, SQL, modLogin, modPost } from './lib.mjs';
import { Smtp, until, links, secret, signLink, forge, post } from './maillib.mjs';

// The action of a page's one form.
const formAction = (body) => body.match(/<form method="post" action="([^"]+)"/)[1].replaceAll('&amp;', '&');

describe('moderators\' alerts', () => {
  let s, smtp, art, mo, base;

  before(async () => {
    smtp = await new Smtp().start();
    s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off', action_hours: 2 },
      moderation: { mode: 'pre' },
      spam: { posts_per_minute: 0 },
    }).start();
    base = s.base;
    art = Number(s.cli(['article', 'add', '--uri', '/a/1/', '--title', 'Alerts']).stdout);
    s.cli(['user', 'add', 'mona'], { input: 'a long password 1\n' });
    mo = await modLogin(s, 'mona', 'a long password 1');
  });

  after(async () => {
    await s.stop();
    await smtp.stop();
  });

  test('the account page sets the address and alerts, refuses what will not do, and audits', async () => {
    const g = await s.get('/mod/account', { headers: { cookie: mo.cookie } });
    assert.equal(g.status, 200);
    assert.match(g.body, /Alerts by e-mail/);
    let r = await modPost(s, mo, '/mod/account', { email: '', alerts: 'each', minutes: '60' });
    assert.equal(r.status, 422);
    assert.match(r.body, /need your e-mail address/);
    r = await modPost(s, mo, '/mod/account', { email: 'mona@example.org', alerts: 'digest', minutes: '2' });
    assert.equal(r.status, 422);
    assert.match(r.body, /5 to 10080 minutes/);
    r = await modPost(s, mo, '/mod/account', { email: 'Mona@Example.org', alerts: 'each', minutes: '60' });
    assert.equal(r.status, 200);
    assert.match(r.body, /Saved/);
    assert.deepEqual(s.sql("SELECT email, alerts FROM moderators WHERE name = 'mona'"), [{ email: 'mona@example.org', alerts: 'each' }]);
    assert.equal(s.sql("SELECT after FROM audit WHERE action = 'alerts'")[0].after, 'each to mona@example.org');
    // No CSRF token: refused.
    const bad = await s.fetch('/mod/account', { method: 'POST', body: 'alerts=none',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: mo.cookie } });
    assert.equal(bad.status, 403);
  });

  let held, approveLink, spamLink;

  test('a held comment sends one alert with its text, score, reasons and links', async () => {
    held = await post(s, art, { author: 'Hank', email: 'hank@example.org', body: 'Please *hold* me', website: 'https://hank.example/' });
    const m = await until(() => smtp.to('mona@example.org')[0], 'the alert');
    assert.match(m.headers.subject[0], /^Held for moderation: Hank on “Alerts”$/);
    assert.match(m.text, /Please \*hold\* me/);
    assert.match(m.text, /spam score 0\.00/);
    assert.match(m.html, /<em>hold<\/em>/);
    assert.equal(m.headers['auto-submitted'][0], 'auto-generated');
    const ls = links(m.text, base);
    approveLink = ls.find((u) => /\/mail\/moderate\?t=m\.\d+\.\d+\.1\./.test(u));
    spamLink = ls.find((u) => /\/mail\/moderate\?t=m\.\d+\.\d+\.2\./.test(u));
    assert.ok(approveLink && spamLink && ls.some((u) => /\.3\.\d+\./.test(u)), 'approve, spam and delete');
    assert.ok(ls.includes(`${base}/mod/`));
  });

  test('the approve link asks first (a GET changes nothing), then approves as that moderator', async () => {
    const g = await s.get(approveLink.slice(base.length));
    assert.equal(g.status, 200);
    assert.match(g.body, /You act as <strong>mona<\/strong>/);
    assert.match(g.body, new RegExp(`Approve comment ${held}`));
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${held}`)[0].status, 'pending', 'scanners do not act');
    const p = await s.fetch(formAction(g.body), { method: 'POST' });
    assert.equal(p.status, 200);
    assert.match(await p.text(), new RegExp(`Comment ${held} is approved, by mona`));
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${held}`)[0].status, 'approved');
    const audit = s.sql(`SELECT actor, action, target, before, after, moderator FROM audit WHERE target = 'comment:${held}'`);
    assert.deepEqual(audit, [{ actor: 'mona', action: 'approve', target: `comment:${held}`, before: 'pending', after: 'approved', moderator: s.sql("SELECT id FROM moderators WHERE name = 'mona'")[0].id }]);
    // The page for readers shows it now.
    assert.match((await s.get(`/articles/${art}`)).body, new RegExp(`id="c${held}"`));
  });

  test('once decided, every link of it is refused and changes nothing', async () => {
    for (const u of [approveLink, spamLink]) {
      const g = await s.get(u.slice(base.length));
      assert.equal(g.status, 409);
      assert.match(g.body, /decided already \(it is approved\)/);
      assert.doesNotMatch(g.body, /<form method="post" action="\/mail/);
      const p = await s.fetch(u.slice(base.length), { method: 'POST' });
      assert.equal(p.status, 409);
    }
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${held}`)[0].status, 'approved');
    assert.equal(s.sql(`SELECT count(*) AS n FROM audit WHERE target = 'comment:${held}'`)[0].n, 1);
  });

  test('forged, expired, other moderators\' and cross-site links are refused', async () => {
    const c = await post(s, art, { author: 'Ivy', body: 'Another held one' });
    const m = await until(() => smtp.to('mona@example.org').find((x) => x.text.includes('Another held one')), 'the second alert');
    const link = links(m.text, base).find((u) => /\.1\.\d+\./.test(u));
    const tok = link.split('t=')[1];
    const mod = Number(tok.split('.')[1]);
    const key = secret(s);
    const now = Math.floor(Date.now() / 1000);
    const expired = signLink(key, 'm', mod, c, 1, now - 1, 'mona@example.org');
    const otherAddr = signLink(key, 'm', mod, c, 1, now + 999, 'eve@example.org');
    for (const t of [forge(tok), expired, otherAddr, tok.replace(`.${c}.`, `.${c + 1000}.`)]) {
      for (const method of ['GET', 'POST']) {
        const r = await s.fetch(`/mail/moderate?t=${t}`, { method });
        assert.equal(r.status, 403, `${method} ${t}`);
      }
    }
    // The real link from another site's page: refused, nothing done.
    const x = await s.fetch(`/mail/moderate?t=${tok}`, { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(x.status, 403);
    assert.equal(s.sql(`SELECT status FROM comments WHERE id = ${c}`)[0].status, 'pending');
    // A new address ends the links sent to the old one.
    await modPost(s, mo, '/mod/account', { email: 'mona2@example.org', alerts: 'each', minutes: '60' });
    assert.equal((await s.fetch(`/mail/moderate?t=${tok}`)).status, 403);
  });

  test('a digest every N minutes lists what was held since the last one', async () => {
    await modPost(s, mo, '/mod/account', { email: 'mona@example.org', alerts: 'digest', minutes: '5' });
    const n = smtp.to('mona@example.org').length;
    const a1 = await post(s, art, { author: 'Jo', body: 'Digest one' });
    const a2 = await post(s, art, { author: 'Kim', body: 'Digest two' });
    await sleep(3000);
    assert.equal(smtp.to('mona@example.org').length, n, 'nothing before the five minutes');
    // Five minutes pass (the mark is moved back, as time would).
    s.sql("UPDATE moderators SET digest_last = digest_last - 301 WHERE name = 'mona'");
    const m = await until(() => smtp.to('mona@example.org')[n], 'the digest');
    assert.match(m.headers.subject[0], /^\d+ comments held for moderation on palaver$/);
    assert.match(m.text, new RegExp(`Comment ${a1} by Jo`));
    assert.match(m.text, new RegExp(`Comment ${a2} by Kim`));
    assert.equal(links(m.text, base).filter((u) => u.includes('/mail/moderate')).length % 3, 0);
    await sleep(3000);
    assert.equal(smtp.to('mona@example.org').length, n + 1, 'one digest');
  });
});

describe('privacy export and erase', () => {
  let s, smtp, art;

  before(async () => {
    smtp = await new Smtp().start();
    s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off' },
      spam: { posts_per_minute: 0 },
    }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/p/1/', '--title', 'Privacy']).stdout);
  });

  after(async () => {
    await s.stop();
    await smtp.stop();
  });

  test('export shows what is kept; erase anonymises, forgets and is audited', async () => {
    const c1 = await post(s, art, { author: 'Lea', email: 'Lea@Example.org', website: 'https://lea.example/', body: 'Mine', notify: '1' });
    await post(s, art, { author: 'Other', email: 'other@example.org', body: 'Not hers' });
    await until(() => smtp.to('lea@example.org')[0], 'the confirmation');
    let r = s.cli(['privacy', 'export', '--email', 'lea@EXAMPLE.org']);
    assert.equal(r.status, 0, r.stderr);
    let x = JSON.parse(r.stdout);
    assert.equal(x.email, 'lea@example.org');
    assert.deepEqual(x.comments.map((c) => [c.id, c.author, c.website, c.body]), [[c1, 'Lea', 'https://lea.example/', 'Mine']]);
    assert.equal(x.comments[0].article.uri, '/p/1/');
    assert.ok(x.comments[0].address_hash);
    assert.equal(x.subscriber.confirmed, null);
    assert.deepEqual(x.subscriptions.map((s_) => s_.comment), [c1]);
    assert.deepEqual(x.messages.map((m) => [m.what, m.state]), [['confirm', 'sent']]);
    r = s.cli(['privacy', 'erase', '--email', 'lea@example.org']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'erased lea@example.org: 1 comments anonymised, 1 subscriber, 1 messages\n');
    assert.deepEqual(s.sql(`SELECT author, email, website, addr_hash, user_agent, body FROM comments WHERE id = ${c1}`),
      [{ author: 'Anonymous', email: null, website: null, addr_hash: null, user_agent: null, body: 'Mine' }]);
    assert.equal(s.sql('SELECT count(*) AS n FROM subscribers')[0].n, 0);
    assert.equal(s.sql('SELECT count(*) AS n FROM subscriptions')[0].n, 0);
    assert.equal(s.sql("SELECT count(*) AS n FROM outbox WHERE target LIKE '%lea%'")[0].n, 0);
    assert.equal(s.sql(SQL.searchCount('lea'))[0].n, 0, 'not searchable either');
    const audit = s.sql("SELECT actor, action, target, after FROM audit WHERE action = 'privacy-erase'");
    assert.deepEqual(audit, [{ actor: 'cli', action: 'privacy-erase', target: 'email:(erased)', after: '1 comments anonymised, 1 subscriber, 1 messages' }]);
    assert.ok(!JSON.stringify(s.sql('SELECT * FROM audit')).includes('lea@'), 'the audit log keeps no address');
    // The page shows the comment anonymised.
    const page = await s.get(`/articles/${art}`);
    assert.match(page.body, /Anonymous/);
    assert.doesNotMatch(page.body, />Lea<|lea\.example/);
    x = JSON.parse(s.cli(['privacy', 'export', '--email', 'lea@example.org']).stdout);
    assert.deepEqual([x.comments, x.subscriber, x.subscriptions, x.messages], [[], null, [], []]);
    assert.equal(s.sql("SELECT count(*) AS n FROM comments WHERE email = 'other@example.org'")[0].n, 1, 'others untouched');
    assert.equal(s.cli(['privacy', 'erase']).status, 2);
    assert.equal(s.cli(['privacy', 'export', '--email', 'not an address']).status, 2);
  });
});

describe('the sendmail transport', () => {
  let s, dir, art;

  before(async () => {
    // A stand-in for /usr/sbin/sendmail: keeps its arguments and input.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-sendmail-'));
    fs.chmodSync(dir, 0o777);
    const prog = path.join(dir, 'sendmail');
    fs.writeFileSync(prog, `#!/bin/sh\nn=$(date +%s%N)\nprintf '%s\\n' "$@" > ${dir}/args.$n\ncat > ${dir}/msg.$n\n` +
      `grep -q '^To: <fail@' ${dir}/msg.$n && exit 67\nexit 0\n`, { mode: 0o755 });
    s = await new Server({
      site: { base_url: 'auto' },
      mail: { transport: 'sendmail', sendmail: prog, from: 'noreply@example.org' },
    }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/s/1/', '--title', 'Sendmail']).stdout);
  });

  after(async () => {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('messages go to sendmail -t -i with LF line ends; exit 67 fails for good', async () => {
    await post(s, art, { email: 'sam@example.org', body: 'x', notify: '1' });
    // The file appears when the stand-in starts writing it; once the outbox
    // says "sent", sendmail has exited and the message is whole.
    await until(() => s.sql("SELECT state FROM outbox WHERE target = 'sam@example.org'")[0]?.state === 'sent', 'recorded as sent');
    const f = fs.readdirSync(dir).find((n) => n.startsWith('msg.'));
    const msg = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.deepEqual(fs.readFileSync(path.join(dir, f.replace('msg', 'args')), 'utf8'), '-t\n-i\n');
    assert.match(msg, /^From: <noreply@example\.org>\nTo: <sam@example\.org>\n/);
    assert.ok(!msg.includes('\r'), 'LF line ends for sendmail');
    await post(s, art, { email: 'fail@example.org', body: 'y', notify: '1' });
    await until(() => s.sql("SELECT state FROM outbox WHERE target = 'fail@example.org'")[0]?.state === 'failed', 'failed for good');
    assert.match(s.sql("SELECT last_error FROM outbox WHERE target = 'fail@example.org'")[0].last_error, /status 67/);
  });
});
