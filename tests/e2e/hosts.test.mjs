// hosts.test.mjs: two palaver hosts of one site (two palaver processes,
// each with its own configuration, socket and log, as on two machines) on
// one database, behind one nginx upstream: what one host does holds on
// the other.  On PostgreSQL the database is a server both reach; on
// SQLite both share the file (two hosts of one machine).  Each host can
// also be reached alone, to say which one serves a request.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hosts, Server, PG, PGBIN, ROOT, modLogin, modPost, fresh } from './lib.mjs';

const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };
const SITE = 'https://blog.example.org';
const PW = 'a long password here';
const FORM = 'application/x-www-form-urlencoded';

async function formPost(base, p, fields, { addr, headers = {} } = {}) {
  const h = { 'content-type': FORM, ...headers };
  if (addr) h['x-forwarded-for'] = addr;
  const r = await fetch(base + p, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams(fields).toString(), headers: h });
  const body = await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  return { status: r.status, id: m ? Number(m[1]) : 0, headers: r.headers, body };
}

async function apiPost(base, uri, obj, addr) {
  const r = await fetch(`${base}/api/comments?uri=${encodeURIComponent(uri)}`, { method: 'POST',
    body: JSON.stringify(obj), headers: { 'content-type': 'application/json', origin: SITE,
      'x-forwarded-for': addr } });
  const text = await r.text();
  return { status: r.status, json: r.status < 300 ? JSON.parse(text) : null, text };
}

async function get(base, p, headers = {}) {
  const r = await fetch(base + p, { redirect: 'manual', headers });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

function article(s, uri) {
  const r = s.cli(['article', 'add', '--uri', uri, '--title', 'Shared']);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout);
}

describe('two hosts, one database', () => {
  let hs;
  let a;	// host A
  let b;	// host B
  let art;
  before(async () => {
    hs = await new Hosts(2, { auth: { ...CHEAP, login_attempts: 3 }, spam: { posts_per_minute: 2 },
      site: { allowed_origins: SITE, base_url: 'http://comments.example' } }).start();
    [a, b] = hs.hosts;
    art = article(a, '/hosts/');
    assert.equal(a.cli(['user', 'add', 'hana', '--role', 'admin'], { input: `${PW}\n` }).status, 0);
  });
  after(async () => { await hs.stop(); });

  test('the upstream takes both hosts in turn', async () => {
    // Each past nginx's microcache (fresh), so each reaches a host.
    for (let i = 0; i < 8; i++) assert.equal((await hs.get(fresh(`/articles/${art}`))).status, 200);
    const served = (h) => (h.log().match(new RegExp(`GET /articles/${art} 200`, 'g')) || []).length;
    assert.ok(served(a) > 0 && served(b) > 0, `A served ${served(a)}, B ${served(b)}`);
  });

  test('a session made on one host works on the other, and ends on both', async () => {
    const who = await modLogin(a, 'hana', PW);
    const q = await get(b.base, '/mod/', { cookie: who.cookie });
    assert.equal(q.status, 200);
    assert.match(q.body, /hana/);
    // Logged out through B: A no longer knows the session.
    assert.equal((await modPost(b, who, '/mod/logout')).status, 303);
    const gone = await get(a.base, '/mod/', { cookie: who.cookie });
    assert.equal(gone.status, 303);
    assert.match(gone.headers.get('location'), /\/mod\/login/);
  });

  test('a login throttle reached through one host holds on the other', async () => {
    const login = async (base, password) => {
      const g = await fetch(base + '/mod/login', { headers: { 'x-forwarded-for': '192.0.2.77' } });
      const ck = (g.headers.get('set-cookie') || '').split(';')[0];
      const csrf = (await g.text()).match(/name="csrf" value="([^"]+)"/)[1];
      const r = await fetch(base + '/mod/login', { method: 'POST', redirect: 'manual',
        body: new URLSearchParams({ name: 'hana', password, csrf }).toString(),
        headers: { 'content-type': FORM, cookie: ck, 'x-forwarded-for': '192.0.2.77' } });
      await r.text();
      return r.status;
    };
    for (let i = 0; i < 3; i++) assert.equal(await login(a.base, 'wrong wrong wrong'), 403);
    // B says wait, even with the right password, from that network.
    assert.equal(await login(b.base, PW), 429);
  });

  test('the posting limit counts posts through every host', async () => {
    const addr = '198.51.100.7';
    assert.equal((await formPost(a.base, `/articles/${art}/comments`, { body: 'one' }, { addr })).status, 303);
    assert.equal((await formPost(b.base, `/articles/${art}/comments`, { body: 'two' }, { addr })).status, 303);
    const third = await formPost(a.base, `/articles/${art}/comments`, { body: 'three' }, { addr });
    assert.equal(third.status, 429);
    assert.equal((await formPost(b.base, `/articles/${art}/comments`, { body: 'four' }, { addr })).status, 429);
  });

  test("a comment posted through one host is on the other's page at once (no stale cache)", async () => {
    // B draws the page and keeps it; A takes a comment; B's next page has it.
    const p1 = await get(b.base, fresh(`/articles/${art}`));
    const p2 = await get(b.base, fresh(`/articles/${art}`), { 'if-none-match': p1.headers.get('etag') });
    assert.equal(p2.status, 304);
    const api1 = await get(b.base, fresh(`/api/comments?uri=${encodeURIComponent('/hosts/')}`));
    const r = await formPost(a.base, `/articles/${art}/comments`, { body: 'news from host A' },
      { addr: '198.51.100.30' });
    assert.equal(r.status, 303);
    const p3 = await get(b.base, fresh(`/articles/${art}`), { 'if-none-match': p1.headers.get('etag') });
    assert.equal(p3.status, 200);
    assert.match(p3.body, /news from host A/);
    assert.notEqual(p3.headers.get('etag'), p1.headers.get('etag'));
    const api2 = await get(b.base, fresh(`/api/comments?uri=${encodeURIComponent('/hosts/')}`));
    assert.ok(!api1.body.includes('news from host A'));
    assert.ok(api2.body.includes('news from host A'));
  });

  test('a ban made on one host holds on the other', async () => {
    const who = await modLogin(a, 'hana', PW);
    assert.equal((await modPost(a, who, '/mod/bans', { kind: 'email', value: 'pest@example.org',
      reason: 'floods' })).status, 303);
    const r = await formPost(b.base, `/articles/${art}/comments`, { body: 'from a banned reader',
      email: 'pest@example.org' }, { addr: '198.51.100.40' });
    assert.equal(r.status, 303);
    assert.equal(hs.sql(`SELECT status FROM comments WHERE id = ${r.id}`)[0].status, 'spam');
    // And the audit log, one for both, has the ban.
    const audit = await get(b.base, '/mod/audit', { cookie: who.cookie });
    assert.match(audit.body, /pest@example\.org/);
  });

  test('first comments on one new thread through both hosts at once make one thread', async () => {
    const uri = '/hosts/brand-new/';
    const rs = await Promise.all(Array.from({ length: 24 }, (_, i) =>
      apiPost(i % 2 ? a.base : b.base, uri, { body: `first words ${i}` }, `10.1.${i}.1`)));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const arts = hs.sql(`SELECT id, ncomments, version FROM articles WHERE uri = '${uri}'`);
    assert.equal(arts.length, 1);
    const rows = hs.sql(`SELECT id, root, depth FROM comments WHERE article = ${arts[0].id}`);
    assert.equal(rows.length, 24);
    assert.equal(arts[0].ncomments, 24);
    for (const c of rows) assert.deepEqual([c.root, c.depth], [c.id, 0]);
  });

  test('replies from both hosts at once: unique keys, right roots, counts and versions', async () => {
    const root = await formPost(a.base, `/articles/${art}/comments`, { body: 'the root' }, { addr: '203.0.113.1' });
    const v0 = hs.sql(`SELECT version, ncomments FROM articles WHERE id = ${art}`)[0];
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      formPost(i % 2 ? a.base : b.base, `/articles/${art}/comments`,
        { body: `reply ${i}`, parent: String(root.id) }, { addr: `203.0.113.${10 + i}` })));
    for (const r of rs) assert.equal(r.status, 303, r.body);
    const rows = hs.sql(`SELECT id, parent, root, depth FROM comments WHERE parent = ${root.id}`);
    assert.equal(rows.length, 30);
    for (const c of rows) assert.deepEqual([c.root, c.depth], [root.id, 1]);
    const v1 = hs.sql(`SELECT version, ncomments FROM articles WHERE id = ${art}`)[0];
    assert.equal(v1.ncomments, v0.ncomments + 30);
    assert.equal(v1.version, v0.version + 30);
    const dup = hs.sql(`SELECT count(*) AS n FROM (SELECT article, path FROM comments
      GROUP BY article, path HAVING count(*) > 1) d`)[0].n;
    assert.equal(dup, 0);
  });

  test('a host whose address key file differs is refused, saying what to do', () => {
    const c = new Server({}, {}, { share: a, nginx: false });
    // A third host set up without copying the key file.
    c.dir = fs.mkdtempSync('/tmp/palaver-e2e-third-');
    fs.chmodSync(c.dir, 0o755);
    c.db = a.db;
    c.url = a.url;
    c.pgdb = a.pgdb;
    c.sock = path.join(c.dir, 'palaver.sock');
    c.conf = path.join(c.dir, 'palaver.conf');
    c.writeConfig();
    if (process.getuid() === 0) execFileSync('chown', ['-R', 'palaver:palaver', c.dir]);
    const r = c.cli(['init']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /address key is not the one the other hosts/);
    assert.match(r.stderr, /copy their key file here/);
    fs.rmSync(c.dir, { recursive: true, force: true });
  });
});

describe('forms and background jobs, whichever host', () => {
  let hs;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync('/tmp/palaver-hosts-hook-');
    fs.chmodSync(dir, 0o777);
    const hook = path.join(dir, 'hook.sh');
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(hook, '#!/bin/sh\necho "$1" >> "$HOOK_LOG"\ncat > /dev/null\necho 0.1 fine\n');
    fs.chmodSync(hook, 0o755);
    fs.writeFileSync(log, '');
    fs.chmodSync(log, 0o666);
    hs = await new Hosts(2, { auth: CHEAP, spam: { hook, hook_env: 'HOOK_LOG', min_submit_seconds: 1 } },
      { HOOK_LOG: log }).start();
  });
  after(async () => {
    await hs.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a form used through one host is a replay through the other', async () => {
    const [a, b] = hs.hosts;
    const art = article(a, '/replay/');
    const page = await get(a.base, `/articles/${art}`);
    await sleep(1100);
    const ts = page.body.match(/name="ts" value="([^"]+)"/)[1];
    const fields = { ts, hp: '', body: 'said once, sent twice' };
    const first = await formPost(a.base, `/articles/${art}/comments`, fields, { addr: '198.51.100.20' });
    assert.equal(first.status, 303, first.body);
    const again = await formPost(b.base, `/articles/${art}/comments`, fields, { addr: '198.51.100.20' });
    assert.equal(again.status, 303);
    assert.equal(hs.sql(`SELECT status FROM comments WHERE id = ${first.id}`)[0].status, 'approved');
    assert.equal(hs.sql(`SELECT status FROM comments WHERE id = ${again.id}`)[0].status, 'spam');
  });

  test('each correction reaches the hook once, not once a host', async () => {
    const [a, b] = hs.hosts;
    const art = article(a, '/jobs/');
    assert.equal(a.cli(['user', 'add', 'jo', '--role', 'admin'], { input: `${PW}\n` }).status, 0);
    const ids = [];
    for (let i = 0; i < 6; i++) {
      const r = await formPost(i % 2 ? a.base : b.base, `/articles/${art}/comments`,
        { body: `ordinary words ${i}` }, { addr: `192.0.2.${150 + i}` });
      assert.equal(r.status, 303);
      ids.push(r.id);
    }
    const who = await modLogin(b, 'jo', PW);
    for (const id of ids) assert.equal((await modPost(i2host(id), who, `/mod/comments/${id}/spam`)).status, 303);
    function i2host(id) { return id % 2 ? a : b; }
    // Four feedback threads (two workers a host) look every two seconds.
    for (let i = 0; i < 80 && hs.sql('SELECT count(*) AS n FROM feedback')[0].n > 0; i++) await sleep(100);
    assert.equal(hs.sql('SELECT count(*) AS n FROM feedback')[0].n, 0);
    await sleep(2500);
    const calls = fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
    assert.equal(calls.filter((c) => c === 'submit-spam').length, ids.length);
    // The prune: one turn noted, however many workers asked.
    assert.equal(hs.sql("SELECT count(*) AS n FROM jobs WHERE name = 'prune'")[0].n, 1);
  });
});

// A cluster of our own: this test stops PostgreSQL in the middle.
function cluster() {
  const out = execFileSync('sh', [path.join(ROOT, 'tests/pg.sh'), 'start'], { encoding: 'utf8' });
  return out.trim();
}

function pgctl(dir, ...args) {
  const as = process.getuid() === 0 ? ['setpriv', '--reuid=palaver', '--regid=palaver', '--clear-groups'] : [];
  const cmd = [...as, path.join(PGBIN, 'pg_ctl'), '-D', path.join(dir, 'data'), ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl ${args.join(' ')}: ${r.stderr}`);
}

describe('durability with two hosts', () => {
  let hs;
  let own;
  before(async () => {
    if (PG) own = cluster();
    hs = await new Hosts(2, { spam: { posts_per_minute: 0 } }, {}, { cluster: own }).start();
  });
  after(async () => {
    await hs.stop();
    if (own) execFileSync('sh', [path.join(ROOT, 'tests/pg.sh'), 'stop', own]);
  });

  test(`hosts SIGKILLed${PG ? ' and PostgreSQL stopped -m immediate' : ''} under load: every acknowledged comment is there`, async () => {
    const [a, b] = hs.hosts;
    const art = article(a, '/durable/');
    const acked = new Map();
    let stop = false;
    let seq = 0;
    let refused = 0;
    const client = async (c) => {
      while (!stop) {
        const body = `client ${c} post ${seq++}`;
        try {
          const r = await fetch(`${hs.base}/articles/${art}/comments`, {
            method: 'POST', redirect: 'manual', body: new URLSearchParams({ body }).toString(),
            headers: { 'content-type': FORM }, signal: AbortSignal.timeout(8000),
          });
          await r.text();
          if (r.status === 303) acked.set(body, Number(r.headers.get('location').match(/#c(\d+)$/)[1]));
          else { refused++; await sleep(20); }
        } catch {
          refused++;
          await sleep(20);
        }
      }
    };
    const kill = (h) => h.killHard();
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    const rounds = [];
    for (let round = 0; round < 6; round++) {
      await sleep(300 + Math.floor(Math.random() * 400));
      const n = acked.size;
      const what = round % 3;
      if (what === 0) {
        await kill(round % 2 ? a : b);
        await (round % 2 ? a : b).startPalaver();
      } else if (what === 1 && PG) {
        pgctl(own, '-m', 'immediate', 'stop');
        await sleep(200);
        pgctl(own, '-l', path.join(own, 'server.log'), '-w', 'start');
      } else {
        // Both hosts at once (and the server with them).
        await Promise.all([kill(a), kill(b)]);
        if (PG) {
          pgctl(own, '-m', 'immediate', 'stop');
          pgctl(own, '-l', path.join(own, 'server.log'), '-w', 'start');
        }
        await a.startPalaver();
        await b.startPalaver();
      }
      // Service comes back: posts are acknowledged again.
      for (let i = 0; i < 100 && acked.size === n; i++) await sleep(100);
      rounds.push(acked.size - n);
      assert.ok(acked.size > n, `round ${round}: nothing acknowledged after the fault`);
    }
    stop = true;
    await Promise.all(clients);
    const rows = hs.sql(`SELECT id, body FROM comments WHERE article = ${art}`);
    const stored = new Map(rows.map((r) => [r.body, r.id]));
    let missing = 0;
    for (const [body, id] of acked) if (stored.get(body) !== id) missing++;
    assert.equal(missing, 0, `${missing} of ${acked.size} acknowledged comments lost`);
    assert.equal(new Set(rows.map((r) => r.body)).size, rows.length, 'no comment stored twice');
    assert.deepEqual(a.integrityCheck(), [{ integrity_check: 'ok' }]);
    assert.deepEqual(a.foreignKeyCheck(), []);
    assert.equal(hs.sql(`SELECT ncomments FROM articles WHERE id = ${art}`)[0].ncomments, rows.length);
    // And it serves (nginx may still count a restarted host as down for
    // a moment: its fail_timeout).
    let page;
    for (let i = 0; i < 50; i++) {
      page = await hs.get(`/articles/${art}`);
      if (page.status === 200) break;
      await sleep(200);
    }
    assert.equal(page.status, 200);
    console.log(`# two hosts: ${acked.size} acknowledged, ${rows.length} stored, ${refused} refused during faults; acknowledged after each fault: ${rounds.join(', ')}`);
  });
});
