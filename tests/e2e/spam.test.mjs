// spam.test.mjs: the scoring pipeline through nginx: built-in rules, the
// hook and its failures, edits, a slow hook under load, and the feedback
// loop with a fake Akismet on loopback.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ROOT, modLogin, modPost, doneOf } from './lib.mjs';

const HOOKS = path.join(ROOT, 'tests/e2e/hooks');
const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };
const PW = 'a long password here';

async function post(s, art, fields, cookie) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const t0 = Date.now();
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    body: new URLSearchParams(fields).toString(), headers });
  const body = await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0, ms: Date.now() - t0, headers: r.headers, body };
}

function row(s, id) {
  return s.sql(`SELECT status, score, reasons FROM comments WHERE id = ${id}`)[0];
}

describe('rules and the hook', () => {
  let s;
  let art;
  let hookLog;
  let blocklist;
  before(async () => {
    const dir = fs.mkdtempSync('/tmp/palaver-spam-');
    fs.chmodSync(dir, 0o777);
    hookLog = path.join(dir, 'hook.log');
    blocklist = path.join(dir, 'blocklist.txt');
    fs.writeFileSync(blocklist, '# words, addresses, e-mails\ncheap pills\nbad@example.com\n');
    fs.chmodSync(blocklist, 0o644);
    s = await new Server({
      spam: { hook: path.join(HOOKS, 'score.sh'), hook_env: 'HOOK_LOG', blocklist, posts_per_minute: 0, max_links: 2 },
      site: { base_url: 'https://comments.example.org' },
    }, { HOOK_LOG: hookLog, NOT_PASSED: 'secret' }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/s/1/', '--title', 'Spam']).stdout);
  });
  after(async () => { await s.stop(); });

  test('a clean comment is published; the hook read the whole object', async () => {
    const r = await post(s, art, { author: 'Hana', email: 'hana@example.org', website: 'https://hana.example/', body: 'A fine remark.' });
    assert.equal(r.status, 303);
    const c = row(s, r.id);
    assert.equal(c.status, 'approved');
    assert.equal(c.score, 0.1);
    assert.match(c.reasons, /hook: looks fine/);
    const lines = fs.readFileSync(hookLog, 'utf8').trim().split('\n');
    const input = JSON.parse(lines[lines.length - 1]);
    assert.deepEqual(input.comment, { author: 'Hana', email: 'hana@example.org', website: 'https://hana.example/',
      body: 'A fine remark.', parent: null, type: 'comment' });
    assert.deepEqual(input.article, { uri: '/s/1/', title: 'Spam', permalink: `https://comments.example.org/articles/${art}` });
    assert.equal(input.request.address, '127.0.0.1');
    assert.match(input.request.user_agent, /node/i);
    assert.equal(input.site.url, 'https://comments.example.org');
    // Clean environment: only what hook_env names.
    assert.ok(!lines.join('').includes('secret'));
  });

  test('a reply is typed "reply" with its parent', async () => {
    const p = await post(s, art, { body: 'parent for a reply' });
    const r = await post(s, art, { parent: String(p.id), body: 'the reply' });
    const lines = fs.readFileSync(hookLog, 'utf8').trim().split('\n');
    const input = JSON.parse(lines[lines.length - 1]);
    assert.equal(input.comment.type, 'reply');
    assert.equal(input.comment.parent, p.id);
    assert.equal(row(s, r.id).status, 'approved');
  });

  test('from hold the comment waits; from reject it is spam, invisible, but its author sees it waiting', async () => {
    const held = await post(s, art, { body: 'Is this HOLDWORD fine?' });
    assert.equal(held.status, 303);
    assert.equal(row(s, held.id).status, 'pending');
    assert.match(row(s, held.id).reasons, /0\.60 hook: the hook is unsure/);
    const spam = await post(s, art, { author: 'Spammer', body: 'Buy SPAMWORD now' });
    assert.equal(spam.status, 303);
    const c = row(s, spam.id);
    assert.equal(c.status, 'spam');
    assert.equal(c.score, 1);
    for (const p of [`/articles/${art}`, `/api/comments?uri=${encodeURIComponent('/s/1/')}`]) {
      const page = await s.get(p);
      assert.ok(!page.body.includes('SPAMWORD'), p);
      assert.ok(!page.body.includes('HOLDWORD'), p);
    }
    const cookie = spam.headers.get('set-cookie').split(';')[0];
    const mine = await s.get(`/articles/${art}?posted=${spam.id}`, { headers: { cookie } });
    assert.match(mine.body, /awaiting moderation/);
    assert.match(mine.body, new RegExp(`id="c${spam.id}"`));
    // The API tells its author the same: waiting, never "spam".
    const api = JSON.parse((await s.get(`/api/comments?uri=${encodeURIComponent('/s/1/')}`, { headers: { cookie } })).body);
    const own = api.comments.find((c) => c.id === spam.id);
    assert.equal(own.status, 'pending');
    assert.ok(!JSON.stringify(api).includes('"spam"'));
  });

  test('the honeypot, too many links and a duplicate each count', async () => {
    const hp = await post(s, art, { body: 'innocent text', hp: 'http://bot.example/' });
    assert.equal(row(s, hp.id).status, 'spam');
    assert.match(row(s, hp.id).reasons, /1\.00 the hidden field people never fill was filled/);
    const links = await post(s, art, { body: 'see https://a.example/ and https://b.example/ and https://c.example/' });
    assert.equal(row(s, links.id).status, 'pending');
    assert.match(row(s, links.id).reasons, /3 links \(more than 2\)/);
    const first = await post(s, art, { body: 'Exactly the   same words.' });
    assert.equal(row(s, first.id).status, 'approved');
    const again = await post(s, art, { body: 'exactly the same\nwords.' });
    assert.equal(row(s, again.id).status, 'pending');
    assert.match(row(s, again.id).reasons, new RegExp(`same text as comment ${first.id}`));
  });

  test('the blocklist matches words and e-mails, and is reloaded on SIGHUP', async () => {
    const w = await post(s, art, { body: 'Get CHEAP PILLS here' });
    assert.equal(row(s, w.id).status, 'spam');
    assert.match(row(s, w.id).reasons, /blocklist: text "cheap pills"/);
    const e = await post(s, art, { body: 'hello there', email: 'Bad@Example.com' });
    assert.equal(row(s, e.id).status, 'spam');
    const before = await post(s, art, { body: 'a fresh scam word' });
    assert.equal(row(s, before.id).status, 'approved');
    fs.appendFileSync(blocklist, 'fresh scam\n');
    process.kill(s.proc.pid, 'SIGHUP');
    let status = '';
    for (let i = 0; i < 20 && status !== 'spam'; i++) {
      await sleep(100);
      const r = await post(s, art, { body: `a fresh scam word, try ${i}` });
      status = row(s, r.id).status;
    }
    assert.equal(status, 'spam');
    assert.match(s.log(), /blocklist .*: 3 entries/);
  });

  test('edits are scored again: an approved comment edited into spam is no longer shown', async () => {
    const r = await post(s, art, { body: 'harmless at first' });
    const cookie = r.headers.get('set-cookie').split(';')[0];
    assert.equal(row(s, r.id).status, 'approved');
    const e = await s.fetch(`/articles/${art}/comments/${r.id}/edit`, { method: 'POST',
      body: 'body=now+with+HOLDWORD', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
    assert.equal(e.status, 303);
    assert.equal(row(s, r.id).status, 'pending');
    assert.ok(!(await s.get(`/articles/${art}`)).body.includes('HOLDWORD'));
  });

  test('a failing hook never loses and never publishes the comment', async () => {
    const cases = [
      ['timeout.sh', /hook timed out after 300 ms/],
      ['crash.sh', /signal 11/],
      ['garbage.sh', /not a score/],
      ['fail.sh', /status 3/],
    ];
    for (const [hook, why] of cases) {
      await s.reconfigure({ spam: { hook: path.join(HOOKS, hook), hook_timeout_ms: 300 } });
      const r = await post(s, art, { author: 'Kept', body: `still here with ${hook}` });
      assert.equal(r.status, 303, hook);
      assert.ok(r.ms < 3000, `${hook}: answered in ${r.ms} ms`);
      const c = row(s, r.id);
      assert.equal(c.status, 'pending', hook);
      assert.match(c.reasons, why, hook);
      assert.match(c.reasons, /held for a moderator/);
    }
    // Megabytes after a good first line: the score counts.
    await s.reconfigure({ spam: { hook: path.join(HOOKS, 'flood.sh'), hook_timeout_ms: 5000 } });
    const r = await post(s, art, { body: 'a chatty hook' });
    assert.equal(row(s, r.id).status, 'approved');
    assert.match(row(s, r.id).reasons, /fine, with a lot to say/);
    // Nothing left running under palaver's name.
    await sleep(200);
    const ps = s.workers().flatMap((w) => fs.readFileSync(`/proc/${w}/task/${w}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
    assert.deepEqual(ps, []);
  });
});

describe('the form token', () => {
  let s;
  let art;
  before(async () => {
    s = await new Server({ spam: { min_submit_seconds: 2, posts_per_minute: 0 } }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/t/1/', '--title', 'Tokens']).stdout);
  });
  after(async () => { await s.stop(); });

  async function token() {
    const page = await s.get(`/articles/${art}`);
    return page.body.match(/name="ts" value="([^"]+)"/)[1];
  }

  test('too fast, missing, forged, replayed and honest forms', async () => {
    let ts = await token();
    const fast = await post(s, art, { ts, body: 'typed at superhuman speed' });
    assert.equal(row(s, fast.id).status, 'spam');
    assert.match(row(s, fast.id).reasons, /after the form was served \(under 2 s\)/);
    const none = await post(s, art, { body: 'no token at all' });
    assert.equal(row(s, none.id).status, 'pending');
    assert.match(row(s, none.id).reasons, /no valid form token/);
    const forged = await post(s, art, { ts: `${Math.floor(Date.now() / 1000) - 60}.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, body: 'forged' });
    assert.equal(row(s, forged.id).status, 'pending');
    ts = await token();
    await sleep(2100);
    const ok = await post(s, art, { ts, body: 'an honest reader' });
    assert.equal(row(s, ok.id).status, 'approved');
    // A form may be shared (a cached page, a static fragment): what may
    // not come twice is the same submission, the token with the text.
    const replay = await post(s, art, { ts, body: 'an honest reader' });
    assert.equal(row(s, replay.id).status, 'spam');
    assert.match(row(s, replay.id).reasons, /replay/);
    const shared = await post(s, art, { ts, body: 'another reader, same page' });
    assert.equal(row(s, shared.id).status, 'approved');
  });
});

describe('a slow hook under load', () => {
  let s;
  let art;
  before(async () => {
    s = await new Server({ spam: { hook: path.join(HOOKS, 'slow.sh'), posts_per_minute: 0 },
      server: { workers: 2, threads: 8 } }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/l/1/', '--title', 'Load']).stdout);
  });
  after(async () => { await s.stop(); });

  test('200 comments with a 100 ms hook: all stored right, reads never wait for hooks', async () => {
    let done = false;
    const reads = [];
    const reader = (async () => {
      while (!done) {
        const t0 = Date.now();
        const r = await s.get(`/articles/${art}`);
        assert.equal(r.status, 200);
        reads.push(Date.now() - t0);
        await sleep(20);
      }
    })();
    const clients = Array.from({ length: 10 }, (_, c) => (async () => {
      const ids = [];
      for (let i = 0; i < 20; i++) {
        const r = await post(s, art, { author: `c${c}`, body: `load ${c}/${i}` });
        assert.equal(r.status, 303);
        ids.push(r.id);
      }
      return ids;
    })());
    const ids = (await Promise.all(clients)).flat();
    done = true;
    await reader;
    assert.equal(new Set(ids).size, 200);
    const rows = s.sql(`SELECT status, reasons FROM comments WHERE article = ${art}`);
    assert.equal(rows.length, 200);
    assert.ok(rows.every((x) => x.status === 'approved' && /slow but fine/.test(x.reasons)), JSON.stringify(rows.filter((x) => x.status !== 'approved' || !/slow but fine/.test(x.reasons)).slice(0, 3)));
    // Reads are served by threads no hook holds: none waits behind the
    // hooks' 100 ms (the bound is generous for the sanitizer build).
    reads.sort((a, b) => a - b);
    assert.ok(reads.length > 10, `${reads.length} reads`);
    assert.ok(reads[Math.floor(reads.length / 2)] < 100, `median read ${reads[Math.floor(reads.length / 2)]} ms`);
  });
});

describe('Akismet, with a fake Akismet on loopback', () => {
  let s;
  let art;
  let fake;
  const calls = [];
  before(async () => {
    fake = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        calls.push({ path: req.url, form });
        if (req.url === '/1.1/comment-check') {
          res.end(/viagra/i.test(form.comment_content) ? 'true' : 'false');
        } else {
          res.end('Thanks for making the web a better place.');
        }
      });
    });
    await new Promise((r) => fake.listen(0, '127.0.0.1', r));
    s = await new Server({
      spam: { hook: path.join(ROOT, 'conf/hooks/akismet'), hook_env: 'AKISMET_KEY AKISMET_URL', posts_per_minute: 0 },
      site: { base_url: 'https://blog.example.org' },
      auth: CHEAP,
    }, { AKISMET_KEY: 'test-key', AKISMET_URL: `http://127.0.0.1:${fake.address().port}` }).start();
    art = Number(s.cli(['article', 'add', '--uri', '/ak/1/', '--title', 'Akismet']).stdout);
    assert.equal(s.cli(['user', 'add', 'mia'], { input: `${PW}\n` }).status, 0);
  });
  after(async () => {
    await s.stop();
    fake.close();
  });

  async function waitFor(pathname, n) {
    for (let i = 0; i < 100; i++) {
      const got = calls.filter((c) => c.path === pathname);
      if (got.length >= n) return got;
      await sleep(100);
    }
    return calls.filter((c) => c.path === pathname);
  }

  test('ham is published, spam lands in the spam tab; corrections reach Akismet', async () => {
    const ham = await post(s, art, { author: 'Ola', email: 'ola@example.org', body: 'A thoughtful comment.' });
    assert.equal(row(s, ham.id).status, 'approved');
    const check = calls.find((c) => c.path === '/1.1/comment-check' && c.form.comment_content === 'A thoughtful comment.');
    assert.ok(check, 'comment-check was called');
    assert.equal(check.form.api_key, 'test-key');
    assert.equal(check.form.user_ip, '127.0.0.1');
    assert.equal(check.form.comment_type, 'comment');
    assert.equal(check.form.comment_author, 'Ola');
    assert.equal(check.form.comment_author_email, 'ola@example.org');
    assert.equal(check.form.permalink, `https://blog.example.org/articles/${art}`);
    assert.equal(check.form.blog, 'https://blog.example.org');

    const spam = await post(s, art, { author: 'Vic', body: 'cheap viagra here' });
    assert.equal(row(s, spam.id).status, 'spam');
    assert.match(row(s, spam.id).reasons, /akismet: spam/);
    const mod = await modLogin(s, 'mia', PW);
    const tab = await s.get('/mod/?status=spam', { headers: { cookie: mod.cookie } });
    assert.ok(tab.body.includes('cheap viagra here'));
    assert.ok(!(await s.get(`/articles/${art}`)).body.includes('viagra'));

    // The moderator disagrees both ways; Akismet hears of it, off the
    // request path, with the same parameters as the check.
    assert.equal((await modPost(s, mod, `/mod/comments/${ham.id}/spam`)).status, 303);
    assert.equal((await modPost(s, mod, `/mod/comments/${spam.id}/approve`)).status, 303);
    const sp = await waitFor('/1.1/submit-spam', 1);
    const hm = await waitFor('/1.1/submit-ham', 1);
    assert.equal(sp.length, 1);
    assert.equal(hm.length, 1);
    assert.equal(sp[0].form.comment_content, 'A thoughtful comment.');
    assert.equal(sp[0].form.user_ip, '127.0.0.1');
    assert.equal(hm[0].form.comment_content, 'cheap viagra here');
    // Delivered: the queue is empty.
    for (let i = 0; i < 30 && s.sql('SELECT count(*) AS n FROM feedback')[0].n > 0; i++) await sleep(100);
    assert.equal(s.sql('SELECT count(*) AS n FROM feedback')[0].n, 0);
  });

  test('a correction undone before it is sent never reaches Akismet, or is answered by the opposite one', async () => {
    const body = 'An undone correction, kept as it was.';
    const r = await post(s, art, { author: 'Uli', body });
    assert.equal(row(s, r.id).status, 'approved');
    const mod = await modLogin(s, 'mia', PW);
    const batch = doneOf(await modPost(s, mod, `/mod/comments/${r.id}/spam`));
    assert.equal((await modPost(s, mod, '/mod/undo', { batch: String(batch) })).status, 303);
    assert.equal(row(s, r.id).status, 'approved');
    // At once: the queued "spam" is gone and no "ham" stands in for it,
    // unless a sender had taken the "spam" already (then "ham" follows).
    const q = s.sql(`SELECT kind, attempts FROM feedback WHERE comment = ${r.id} ORDER BY id`);
    assert.ok(q.length === 0 || (q.every((x) => x.kind === 'submit-ham' || x.attempts > 0) &&
      q.some((x) => x.kind === 'submit-ham')), JSON.stringify(q));
    // A row leaves the queue only once it is told (or withdrawn): an
    // empty queue means every call Akismet will get has been made.
    for (let i = 0; i < 60 && s.sql('SELECT count(*) AS n FROM feedback')[0].n > 0; i++) await sleep(100);
    assert.equal(s.sql('SELECT count(*) AS n FROM feedback')[0].n, 0);
    const told = calls.filter((c) => c.path !== '/1.1/comment-check' && c.form.comment_content === body).map((c) => c.path);
    // Withdrawn while queued: nothing.  Taken by the sender before the
    // undo (a narrow window): spam, then ham to put it right.
    assert.ok(told.length === 0 || JSON.stringify(told) === JSON.stringify(['/1.1/submit-spam', '/1.1/submit-ham']), JSON.stringify(told));
  });
});
