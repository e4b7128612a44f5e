// webhooks.test.mjs: signed webhooks to receivers on loopback: the
// signature checked as a receiver would, events in order, retries with
// back-off that keep the order, failures shown to admins, nothing from the
// request path, and every event exactly once across a restart.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, modLogin, modPost } from './lib.mjs';
import { until, post } from './maillib.mjs';

const SECRET = 'whsec_test secret ✓';

// A receiver: checks each delivery's signature and keeps it; `answer`
// decides the status.
class Receiver {
  constructor(answer = () => 200) {
    this.answer = answer;
    this.got = [];
    this.tries = 0;
  }

  async start() {
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.tries++;
        const status = await this.answer(this.tries, raw);
        const sig = req.headers['x-palaver-signature'] || '';
        const m = sig.match(/^t=(\d+),v1=([0-9a-f]{64})$/);
        const want = m && crypto.createHmac('sha256', SECRET).update(`${m[1]}.${raw}`).digest('hex');
        const rec = { status, raw, headers: req.headers, method: req.method, url: req.url,
          valid: !!m && crypto.timingSafeEqual(Buffer.from(want), Buffer.from(m[2])),
          t: m ? Number(m[1]) : 0, body: JSON.parse(raw) };
        if (status >= 200 && status < 300) this.got.push(rec);
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${this.server.address().port}/hook`;
    return this;
  }

  stop() {
    return new Promise((r) => this.server.close(r));
  }
}

describe('webhooks', () => {
  let s, a, b, art, mo;

  before(async () => {
    a = await new Receiver().start();
    // b refuses its first three tries: retried, in order.
    b = await new Receiver((n) => (n <= 3 ? 503 : 200)).start();
    s = await new Server({
      webhooks: { urls: `${a.url} ${b.url}`, secret: SECRET, retry_seconds: 1 },
      spam: { posts_per_minute: 0 },
    }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/w/1/', '--title', 'Hooks']).stdout);
    s.cli(['user', 'add', 'wm', '--role', 'admin'], { input: 'a long password 1\n' });
    mo = await modLogin(s, 'wm', 'a long password 1');
  });

  after(async () => {
    await s.stop();
    await a.stop();
    await b.stop();
  });

  let c1, c2;

  test('published, held and deleted events, signed, in order, to every URL', async () => {
    c1 = await post(s, art, { author: 'Ann <a>', body: 'Hello *hooks*' });
    assert.equal(s.cli(['article', 'set', String(art), '--mode', 'pre']).status, 0);
    c2 = await post(s, art, { author: 'Bob', body: 'Held one', parent: String(c1) });
    assert.equal((await modPost(s, mo, `/mod/comments/${c2}/approve`)).status, 303);
    assert.equal((await modPost(s, mo, `/mod/comments/${c1}/delete`, { confirm: 'yes' })).status, 303);
    const want = [['published', c1], ['held', c2], ['published', c2], ['deleted', c1]];
    for (const r of [a, b]) {
      await until(() => r.got.length === want.length, `${want.length} deliveries`, 20000);
      assert.deepEqual(r.got.map((d) => [d.body.event, d.body.comment.id]), want);
      for (const d of r.got) {
        assert.ok(d.valid, `a valid signature: ${d.headers['x-palaver-signature']}`);
        assert.ok(Math.abs(d.t - Date.now() / 1000) < 60);
        assert.equal(d.method, 'POST');
        assert.equal(d.url, '/hook');
        assert.match(d.headers['content-type'], /^application\/json/);
        assert.equal(d.headers['x-palaver-event'], d.body.event);
      }
      const ids = r.got.map((d) => d.body.id);
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'in the order of the changes');
    }
    const first = a.got[0].body;
    assert.deepEqual(Object.keys(first).sort(), ['at', 'comment', 'event', 'id']);
    assert.equal(first.comment.uri, '/w/1/');
    assert.equal(first.comment.article.uri, '/w/1/');
    assert.equal(first.comment.author, 'Ann <a>');
    assert.equal(first.comment.html, '<p>Hello <em>hooks</em></p>\n');
    assert.equal(first.comment.status, 'approved');
    assert.equal(typeof first.comment.created, 'number');
    assert.equal(a.got[1].body.comment.status, 'pending');
    assert.equal(a.got[3].body.comment.status, 'deleted');
    // b's three refusals were retried; the later events waited for it.
    assert.equal(b.tries, 3 + want.length);
    const row = s.sql(`SELECT attempts, state, last_error FROM outbox WHERE target = '${b.url}' ORDER BY id LIMIT 1`)[0];
    assert.deepEqual([row.attempts, row.state], [4, 'sent']);
    assert.match(row.last_error, /503/);
    assert.equal(s.cli(['article', 'set', String(art), '--mode', 'default']).status, 0);
  });

  test('a tampered body or another secret does not verify', () => {
    const d = a.got[0];
    const [, t, v1] = d.headers['x-palaver-signature'].match(/^t=(\d+),v1=(\w+)$/);
    const other = crypto.createHmac('sha256', SECRET).update(`${t}.${d.raw.replace('Hello', 'Hullo')}`).digest('hex');
    assert.notEqual(other, v1);
    const wrong = crypto.createHmac('sha256', 'another secret').update(`${t}.${d.raw}`).digest('hex');
    assert.notEqual(wrong, v1);
  });

  test('readers\' reports are "reported" events, once an address; report_hold of them "held"', async () => {
    const c = await post(s, art, { author: 'Rita', body: 'Reported soon' });
    const report = (addr, reason) => s.fetch(`/api/comments/${c}/report`, { method: 'POST',
      body: JSON.stringify({ reason }), headers: { 'content-type': 'application/json', 'x-forwarded-for': addr } });
    assert.equal((await report('127.0.12.1', 'spam')).status, 200);
    assert.equal((await report('127.0.12.1', 'abuse')).status, 200);	// the same reader: once
    assert.equal((await report('127.0.12.2', 'spam')).status, 200);
    assert.equal((await report('127.0.12.3', 'off-topic')).status, 200);	// report_hold = 3: held
    const mine = () => a.got.filter((x) => x.body.comment.id === c).map((x) => x.body.event);
    await until(() => mine().length === 5, 'published, three reports and the hold', 20000);
    assert.deepEqual(mine(), ['published', 'reported', 'reported', 'reported', 'held']);
    const held = a.got.find((x) => x.body.comment.id === c && x.body.event === 'held');
    assert.equal(held.body.comment.status, 'pending');
    // Nothing says who reported.
    for (const x of a.got.filter((y) => y.body.comment.id === c))
      assert.ok(!x.raw.includes('127.0.12.'), 'no reporter in a webhook');
  });

  test('a reader\'s own deletion is an event too, with the comment as it was', async () => {
    const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
      body: new URLSearchParams({ body: 'Mine, then gone' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const id = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
    const cookie = r.headers.getSetCookie()[0].split(';')[0];
    const d = await s.fetch(`/articles/${art}/comments/${id}/delete`, { method: 'POST', body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
    // POST-redirect-GET: back to the page, saying so.
    assert.equal(d.status, 303);
    assert.match(d.headers.get('location'), new RegExp(`deleted=${id}`));
    const ev = await until(() => a.got.find((x) => x.body.event === 'deleted' && x.body.comment.id === id), 'the deletion');
    assert.match(ev.body.comment.html, /Mine, then gone/, 'a copy from before it went');
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments WHERE id = ${id}`)[0].n, 0);
  });
});

describe('webhook failures and restarts', () => {
  test('a slow receiver never slows a post; a refusing one fails for good and admins see it', async () => {
    const slow = await new Receiver(async () => { await sleep(3000); return 200; }).start();
    const gone = await new Receiver(() => 410).start();
    const s = await new Server({
      webhooks: { urls: `${slow.url} ${gone.url}`, secret: SECRET, events: 'published', timeout: 10 },
    }).start();
    try {
      const art = Number(s.cli(['article', 'add', '--uri', '/w/2/', '--title', 'Slow']).stdout);
      const t0 = Date.now();
      await post(s, art, { body: 'Quick' });
      await post(s, art, { body: 'Quick again' });
      assert.ok(Date.now() - t0 < 1500, `posting took ${Date.now() - t0} ms: the request path never waits`);
      await until(() => slow.got.length === 2, 'the slow deliveries', 20000);
      await until(() => s.sql(`SELECT count(*) AS n FROM outbox WHERE target = '${gone.url}' AND state = 'failed'`)[0].n === 2, 'the failures');
      assert.equal(gone.tries, 2, '410 is not retried');
      s.cli(['user', 'add', 'adm', '--role', 'admin'], { input: 'a long password 1\n' });
      const adm = await modLogin(s, 'adm', 'a long password 1');
      const p = await s.get('/mod/deliveries', { headers: { cookie: adm.cookie } });
      assert.equal(p.status, 200);
      assert.match(p.body, /2 failed for good/);
      assert.match(p.body, /the receiver answered 410/);
      assert.ok(p.body.includes(gone.url));
    } finally {
      await s.stop();
      await slow.stop();
      await gone.stop();
    }
  });

  test('events queued while the receiver is down arrive once each after a restart', async () => {
    let up = false;
    const r = await new Receiver(() => (up ? 200 : 503)).start();
    const s = await new Server({
      webhooks: { urls: r.url, secret: SECRET, retry_seconds: 1 },
      spam: { posts_per_minute: 0 },
    }).start();
    try {
      const art = Number(s.cli(['article', 'add', '--uri', '/w/3/', '--title', 'Restart']).stdout);
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push(await post(s, art, { body: `Event ${i}` }));
      await until(() => r.tries >= 2, 'a refused try');
      assert.equal((await s.stopPalaver()).code, 0);
      assert.equal(s.sql("SELECT count(*) AS n FROM outbox WHERE state = 'queued'")[0].n, 6);
      up = true;
      await s.startPalaver();
      await until(() => r.got.length === 6, 'six deliveries', 30000);
      await sleep(2500);
      assert.deepEqual(r.got.map((d) => d.body.comment.id), ids, 'once each, in order');
      assert.ok(r.got.every((d) => d.valid));
      assert.deepEqual(s.sql('SELECT state, count(*) AS n FROM outbox GROUP BY state'), [{ state: 'sent', n: 6 }]);
    } finally {
      await s.stop();
      await r.stop();
    }
  });
});
