// concurrency.test.mjs: everything a worker does, at once, on 2 workers of
// 4 threads: readers of cached pages and of the API, posters through the
// spam hook and the group-commit writer, a moderator whose corrections go
// to the feedback thread, logins sharing the hash slots, and SIGHUPs
// reloading the blocklist under them. Every answer is right and nothing is
// lost; under `make tsan` (build/tsan/palaver) any data race in those paths
// fails the test through the log check in lib.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ROOT, modLogin, modPost } from './lib.mjs';

const PW = 'a long password here';
const POSTERS = 6;
const POSTS = 15;
const READERS = 4;
const READS = 30;

let s;
let dir;
let blocklist;
let hookLog;
const arts = [];

before(async () => {
  dir = fs.mkdtempSync('/tmp/palaver-conc-');
  fs.chmodSync(dir, 0o777);
  blocklist = path.join(dir, 'blocklist.txt');
  hookLog = path.join(dir, 'hook.log');
  fs.writeFileSync(blocklist, 'cheap pills\n');
  fs.chmodSync(blocklist, 0o644);
  s = await new Server({
    spam: { hook: path.join(ROOT, 'tests/e2e/hooks/score.sh'), hook_env: 'HOOK_LOG', blocklist, posts_per_minute: 0 },
    auth: { pwhash_mem: 8192, pwhash_ops: 1, login_attempts: 100 },
  }, { HOOK_LOG: hookLog }).start();
  for (const n of [1, 2]) {
    arts.push({ id: Number(s.cli(['article', 'add', '--uri', `/conc/${n}/`, '--title', `Busy ${n}`]).stdout), uri: `/conc/${n}/` });
  }
  assert.equal(s.cli(['user', 'add', 'mod'], { input: `${PW}\n` }).status, 0);
});

after(async () => {
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(art, body) {
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    body: new URLSearchParams({ author: 'conc', body }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0 };
}

// What each kind of body must come to, whatever else is going on.
const KINDS = [
  { word: '', want: 'approved' },
  { word: ' HOLDWORD', want: 'pending' },
  { word: ' SPAMWORD', want: 'spam' },
  { word: ' cheap pills', want: 'spam' },	// in every version of the blocklist
];

test('readers, posters, a moderator, logins and SIGHUPs at once: every answer right, nothing lost', async () => {
  let done = false;
  const posted = [];
  const errors = [];
  const check = (what, ok) => { if (!ok) errors.push(what); };

  const posters = Array.from({ length: POSTERS }, (_, c) => (async () => {
    for (let i = 0; i < POSTS; i++) {
      const art = arts[(c + i) % 2];
      const kind = KINDS[(c + i) % KINDS.length];
      const body = `poster ${c} post ${i}${kind.word}`;
      const r = await post(art.id, body);
      check(`post ${body}: ${r.status}`, r.status === 303 && r.id > 0);
      posted.push({ id: r.id, body, want: kind.want });
    }
  })());

  const readers = Array.from({ length: READERS }, (_, c) => (async () => {
    for (let i = 0; i < READS; i++) {
      const art = arts[(c + i) % 2];
      const page = await s.get(i % 3 === 2 ? `/articles/${art.id}?order=newest` : `/articles/${art.id}`);
      check(`page ${art.id}: ${page.status}`, page.status === 200 && page.body.endsWith('</html>\n'));
      check(`page ${art.id}: a marker left`, !page.body.includes('\u0001'));
      check(`page ${art.id}: spam shown`, !/SPAMWORD|cheap pills/.test(page.body));
      const api = await s.get(`/api/comments?uri=${encodeURIComponent(art.uri)}`);
      check(`api ${art.uri}: ${api.status}`, api.status === 200);
      const j = JSON.parse(api.body);
      check(`api ${art.uri}: form token ${j.form_token}`, /^\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(j.form_token || ''));
      const counts = await s.get(`/api/counts?uri=${encodeURIComponent(arts[0].uri)}&uri=${encodeURIComponent(arts[1].uri)}`);
      check(`counts: ${counts.status}`, counts.status === 200);
    }
  })());

  // Logins hash passwords in the slots, beside the posters' work.  More
  // at once than a worker has slots and places to wait for one are told
  // to come back (503 with Retry-After), as a person would be; they do.
  const patiently = async () => {
    for (let i = 0; ; i++) {
      try {
        return await modLogin(s, 'mod', PW);
      } catch (e) {
        if (!/login failed: 503/.test(e.message) || i >= 50) throw e;
        await sleep(100);
      }
    }
  };
  const logins = Array.from({ length: 3 }, patiently);

  // The moderator approves what waits and marks published comments as
  // spam: each correction is queued for the feedback thread.
  const corrected = new Map();
  const moderator = (async () => {
    const who = await patiently();
    while (!done) {
      const rows = s.sql(`SELECT id, status FROM comments WHERE status IN ('pending', 'approved')
        AND body LIKE 'poster %' ORDER BY random() LIMIT 2`);
      for (const r of rows) {
        if (corrected.has(r.id)) continue;
        const action = r.status === 'pending' ? 'approve' : 'spam';
        const m = await modPost(s, who, `/mod/comments/${r.id}/${action}`);
        check(`mod ${action} ${r.id}: ${m.status}`, m.status === 303);
        corrected.set(r.id, action === 'approve' ? 'approved' : 'spam');
      }
      await sleep(30);
    }
  })();

  // The blocklist changes under the posters: SIGHUP to the supervisor,
  // which passes it on to each worker's signal thread.
  let hups = 0;
  const hupper = (async () => {
    while (!done) {
      fs.writeFileSync(blocklist, `cheap pills\nword ${hups}\n`);
      process.kill(s.proc.pid, 'SIGHUP');
      hups++;
      await sleep(100);
    }
  })();

  await Promise.all([...posters, ...readers]);
  for (const l of await Promise.all(logins)) check('login', Boolean(l.cookie));
  done = true;
  await Promise.all([moderator, hupper]);
  assert.deepEqual(errors, []);

  // Nothing lost, nothing doubled, each where its rules put it (or where
  // the moderator moved it).
  assert.equal(posted.length, POSTERS * POSTS);
  assert.equal(new Set(posted.map((p) => p.id)).size, posted.length);
  const rows = new Map(s.sql("SELECT id, body, status FROM comments WHERE body LIKE 'poster %'").map((r) => [r.id, r]));
  assert.equal(rows.size, posted.length);
  for (const p of posted) {
    const r = rows.get(p.id);
    assert.equal(r.body, p.body);
    assert.equal(r.status, corrected.get(p.id) || p.want, `${p.body}: ${r.status}`);
  }
  // Each article's count followed every change, and what readers are
  // told now is what the database holds.
  const counts = JSON.parse((await s.get(`/api/counts?uri=${encodeURIComponent(arts[0].uri)}&uri=${encodeURIComponent(arts[1].uri)}`)).body);
  for (const a of arts) {
    const [{ n }] = s.sql(`SELECT count(*) AS n FROM comments WHERE article = ${a.id} AND status = 'approved'`);
    assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${a.id}`)[0].ncomments, n);
    assert.equal(counts[a.uri], n);
  }
  // The workers reloaded the list, and the moderator's corrections all
  // reached the hook through the feedback threads.
  assert.ok(hups >= 2, `${hups} SIGHUPs`);
  assert.ok((s.log().match(/blocklist .*: 2 entries/g) || []).length >= 2, 'blocklist reloaded');
  assert.ok(corrected.size > 0, 'the moderator corrected something');
  for (let i = 0; i < 100 && s.sql('SELECT count(*) AS n FROM feedback')[0].n > 0; i++) await sleep(100);
  assert.equal(s.sql('SELECT count(*) AS n FROM feedback')[0].n, 0);
  s.assertClean();
});
