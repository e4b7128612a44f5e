// port.test.mjs: moving a site in and out through the real binary and real
// nginx: palaver export and import palaver (a restore gives back the same
// file, ids and logins, readers' votes and reports; a merge adds only what
// is new; a file cut short is refused), palaver import isso (an Isso database made from Isso's schema,
// and Isso's generic JSON), palaver remap (moves, merges, all or nothing),
// each checked on the served pages and API afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Server, SQL, BACKEND, modLogin, modPost, fresh } from './lib.mjs';
import { dataDir, scratch } from './importlib.mjs';

const D = dataDir();
const PW = 'correct horse battery';

let a;	// the site that moves
let b;	// where it goes
// Down votes too, and no limit: the tests vote from a few addresses.
const VOTES = { votes: { down: 'yes', per_minute: 0 } };
// The thread readers voted on, its top-level comments oldest first, and
// the comments they reported (two open reports; one settled).
let voted;
let roots;
let reported;
let settled;
// Where the tables of votes and reports are compared.
const VOTE_ROWS = 'SELECT comment, voter, addr_hash, value, at FROM votes ORDER BY comment, voter';
const REPORT_ROWS = 'SELECT id, comment, reason, text, created, addr_hash, net_hash, settled FROM reports ORDER BY id';
const COUNT_ROWS = 'SELECT id, up, down, best FROM comments ORDER BY id';
const ARTICLE_ROWS = 'SELECT id, version, votes, ncomments FROM articles ORDER BY id';

function put(dir, name, data) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  fs.chmodSync(p, 0o666);
  return p;
}

async function apiPost(s, uri, body) {
  const r = await s.fetch(`/api/comments?uri=${encodeURIComponent(uri)}`, { method: 'POST',
    body: JSON.stringify(body), headers: { 'content-type': 'application/json',
      'user-agent': 'port-test/1' } });
  return { status: r.status, json: await r.json() };
}

// The comment ids a reader sees on an article's page, in order.
async function shown(s, id) {
  const r = await s.get(`/articles/${id}`);
  assert.equal(r.status, 200);
  return [...r.body.matchAll(/id="c(\d+)"/g)].map((m) => Number(m[1]));
}

// A reader's vote through the API; the address tells readers apart.
async function vote(s, id, v, addr) {
  const r = await s.fetch(`/api/comments/${id}/vote`, { method: 'POST', body: JSON.stringify({ vote: v }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addr } });
  const body = await r.text();
  assert.equal(r.status, 200, body);
}

async function report(s, id, reason, text, addr) {
  const r = await s.fetch(`/api/comments/${id}/report`, { method: 'POST', body: JSON.stringify({ reason, text }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addr } });
  const body = await r.text();
  assert.equal(r.status, 200, body);
}

// A thread best first as the API gives it: ids and vote counts, nested.
async function bestFirst(s, uri) {
  const r = await s.fetch(fresh(`/api/comments?uri=${encodeURIComponent(uri)}&order=best`));
  assert.equal(r.status, 200);
  const tree = (c) => [c.id, c.up, c.down, (c.replies || []).map(tree)];
  return (await r.json()).comments.map(tree);
}

// The page best first: comment ids and the up counts shown, in order.
async function bestPage(s, id) {
  const r = await s.get(fresh(`/articles/${id}?order=best`));
  assert.equal(r.status, 200);
  return { ids: [...r.body.matchAll(/<li class="comment[^"]*" id="c(\d+)"/g)].map((m) => Number(m[1])),
    counts: [...r.body.matchAll(/<span class="n">(\d+)<\/span>/g)].map((m) => Number(m[1])) };
}

// What a moderator sees of comment id's open reports.
async function desk(s, who, id) {
  const r = await s.get(`/mod/comments/${id}`, { headers: { cookie: who.cookie } });
  assert.equal(r.status, 200);
  const m = r.body.match(/<dt>Reports<\/dt><dd>[^]*?<\/ul>/);
  return m ? m[0] : '';
}

before(async () => {
  a = await new Server(VOTES).start();
  b = await new Server(VOTES).start();
  for (const [kind, file, extra] of [['disqus', 'isso-disqus.xml', []],
    ['wordpress', 'wpimporter-theme-unit-test-data.xml', ['--pingbacks']]]) {
    const r = a.cli(['import', kind, ...extra, path.join(D, file)]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const u = a.cli(['user', 'add', 'boss', '--role', 'admin'], { input: `${PW}\n` });
  if (u.status !== 0) throw new Error(u.stderr);
  // A reader's comment (address hash, user agent, body hash, score) and
  // a moderator's work (an edit, a ban): all of it must travel.
  const uri = a.sql('SELECT uri FROM articles ORDER BY id LIMIT 1')[0].uri;
  const p = await apiPost(a, uri, { author: 'Reader', body: 'Posted *live*, 0.1 of it' });
  assert.equal(p.status, 201, JSON.stringify(p.json));
  const who = await modLogin(a, 'boss', PW);
  let m = await modPost(a, who, `/mod/comments/${p.json.id}/edit`, { body: 'Edited by the boss' });
  assert.ok(m.status < 400, m.body);
  m = await modPost(a, who, '/mod/bans', { kind: 'email', value: 'troll@example.org', reason: 'trolling' });
  assert.ok(m.status < 400, m.body);
  a.sql("UPDATE comments SET score = 0.1, reasons = 'a rule' WHERE author = 'Reader'");
  // Readers vote on a thread of the WordPress import (the merge test's
  // database has the Disqus comments already): best first is then not
  // oldest first.  A change of mind and a vote taken back move the
  // article's counter and leave one row a reader.
  const mine = "status = 'approved' AND id NOT IN (SELECT comment FROM imported WHERE source = 'disqus')";
  voted = a.sql(`SELECT article AS id FROM comments WHERE parent IS NULL AND ${mine}
    GROUP BY article ORDER BY count(*) DESC, article LIMIT 1`)[0].id;
  roots = a.sql(`SELECT id FROM comments WHERE article = ${voted} AND parent IS NULL AND ${mine}
    ORDER BY id`).map((r) => r.id);
  assert.ok(roots.length >= 3, `${roots}`);
  const plan = [[roots.at(-1), 1, '127.0.7.1'], [roots.at(-1), 1, '127.0.7.2'], [roots.at(-1), 1, '127.0.7.3'],
    [roots[1], 1, '127.0.7.4'], [roots[1], -1, '127.0.7.5'], [roots[1], 1, '127.0.7.5'],
    [roots[0], 1, '127.0.7.6'], [roots[0], -1, '127.0.7.7'], [roots[0], 1, '127.0.7.8'], [roots[0], 0, '127.0.7.8']];
  for (const [id, v, addr] of plan) await vote(a, id, v, addr);
  // Reports: two open on one comment, one a moderator settled.
  [reported, settled] = [roots[1], roots[0]];
  await report(a, reported, 'spam', 'Sells "watches" <b>', '127.0.8.1');
  await report(a, reported, 'off-topic', '', '127.0.8.2');
  await report(a, settled, 'abuse', 'Rude', '127.0.8.3');
  m = await modPost(a, who, `/mod/comments/${settled}/approve`);
  assert.ok(m.status < 400, m.body);
  assert.deepEqual(a.sql('SELECT count(*) AS n, sum(settled) AS s FROM reports'), [{ n: 3, s: 1 }]);
  assert.deepEqual(a.sql('SELECT count(*) AS n, sum(value) AS v FROM votes'), [{ n: 7, v: 5 }]);
});

after(async () => {
  await a.stop();
  await b.stop();
});

test('export: JSON Lines, a versioned header first, an end line with the counts', () => {
  const r = a.cli(['export', path.join(a.dir, 'site.jsonl')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^exported 9 articles, 39 comments, 7 votes, 3 reports, 1 accounts, 1 bans, \d+ audit entries\n$/);
  const lines = fs.readFileSync(path.join(a.dir, 'site.jsonl'), 'utf8').trimEnd().split('\n')
    .map((l) => JSON.parse(l));
  const head = lines[0];
  assert.equal(head.palaver, 'export');
  assert.equal(head.version, 2);
  assert.match(head.site, /^[0-9a-f]{32}$/);
  assert.equal(head.secrets, false);
  const types = lines.slice(1).map((l) => l.type);
  assert.deepEqual([...new Set(types)], ['account', 'article', 'comment', 'vote', 'report', 'ban', 'audit',
    'imported', 'end']);
  const end = lines.at(-1);
  assert.equal(end.comments, types.filter((t) => t === 'comment').length);
  assert.equal(end.votes, 7);
  assert.equal(end.reports, 3);
  // Votes and reports come after every comment; the counts are on the
  // comments, the vote counter on the article.
  assert.ok(types.lastIndexOf('comment') < types.indexOf('vote'));
  assert.ok(types.lastIndexOf('vote') < types.indexOf('report'));
  const top = lines.find((l) => l.type === 'comment' && l.id === roots.at(-1));
  assert.deepEqual([top.up, top.down], [3, 0]);
  const art = lines.find((l) => l.type === 'article' && l.id === voted);
  assert.equal(art.votes, a.sql(`SELECT votes FROM articles WHERE id = ${voted}`)[0].votes);
  assert.ok(art.votes >= 10);
  const votes = lines.filter((l) => l.type === 'vote');
  assert.deepEqual(votes.map((v) => [v.comment, v.value]).sort(),
    a.sql('SELECT comment, value FROM votes').map((v) => [v.comment, v.value]).sort());
  for (const v of votes) assert.deepEqual(Object.keys(v), ['type', 'comment', 'voter', 'addr_hash', 'value', 'at']);
  const reports = lines.filter((l) => l.type === 'report');
  assert.deepEqual(reports.map((x) => [x.comment, x.reason, x.text, x.settled]), [
    [reported, 'spam', 'Sells "watches" <b>', false], [reported, 'off-topic', '', false],
    [settled, 'abuse', 'Rude', true]]);
  // No secret without --with-secrets; Markdown source and moderation
  // state are there.
  const acc = lines.find((l) => l.type === 'account');
  assert.equal(acc.name, 'boss');
  assert.ok(!('hash' in acc));
  const live = lines.find((l) => l.type === 'comment' && l.author === 'Reader');
  assert.equal(live.body, 'Edited by the boss');
  assert.equal(live.edited_by, acc.id);
  assert.equal(live.score, 0.1);
  assert.equal(live.reasons, 'a rule');
  assert.equal(live.user_agent, 'port-test/1');
  assert.match(live.addr_hash, /./);
  // Parents come before their replies.
  const seen = new Set();
  for (const c of lines.filter((l) => l.type === 'comment')) {
    if (c.parent !== null) assert.ok(seen.has(c.parent), `comment ${c.id} before its parent`);
    seen.add(c.id);
  }
});

test('export -: the same bytes on standard output', () => {
  const r = a.cli(['export', '-']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, fs.readFileSync(path.join(a.dir, 'site.jsonl'), 'utf8'));
  assert.match(r.stderr, /^exported /);
});

test('import palaver into an empty database: the same site, the same export', async () => {
  const file = put(b.dir, 'site.jsonl', fs.readFileSync(path.join(a.dir, 'site.jsonl')));
  const r = b.cli(['import', 'palaver', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^restored 9 articles, 39 comments, 7 votes, 3 reports, 1 accounts, 1 bans, \d+ audit entries\n$/);
  assert.match(r.stderr, /1 accounts have no password/);
  const again = b.cli(['export', path.join(b.dir, 'again.jsonl')]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(fs.readFileSync(path.join(b.dir, 'again.jsonl'), 'utf8'),
    fs.readFileSync(path.join(a.dir, 'site.jsonl'), 'utf8'));
  // Readers see the same threads, with the same ids (anchors, tokens).
  for (const { id } of a.sql('SELECT id FROM articles')) {
    assert.deepEqual(await shown(b, id), await shown(a, id), `article ${id}`);
  }
  // No password came without secrets: the account cannot log in.
  const g = await b.get('/mod/login');
  const csrf = g.body.match(/name="csrf" value="([^"]+)"/)[1];
  const ck = (g.headers.get('set-cookie') || '').split(';')[0];
  const l = await b.fetch('/mod/login', { method: 'POST', body: new URLSearchParams({ name: 'boss',
    password: PW, csrf }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded',
    cookie: ck } });
  assert.notEqual(l.status, 303);
});

test('votes and reports after a restore: the counts, best first and the desk as they were', async () => {
  // The tables as they were, report ids included, and the counters the
  // page cache keys on.
  for (const q of [VOTE_ROWS, REPORT_ROWS, COUNT_ROWS, ARTICLE_ROWS]) assert.deepEqual(b.sql(q), a.sql(q), q);
  // Readers see the same counts in the same order, best first, on the
  // API and on the page (3 up, then 2 up, then 1 up 1 down, oldest first).
  const uri = a.sql(`SELECT uri FROM articles WHERE id = ${voted}`)[0].uri;
  const want = await bestFirst(a, uri);
  assert.deepEqual(want.slice(0, 3).map((c) => c.slice(0, 3)), [[roots.at(-1), 3, 0], [roots[1], 2, 0],
    [roots[0], 1, 1]]);
  assert.deepEqual(await bestFirst(b, uri), want);
  const page = await bestPage(a, voted);
  assert.deepEqual(page.ids.slice(0, 3), [roots.at(-1), roots[1], roots[0]]);
  assert.deepEqual(await bestPage(b, voted), page);
  // The moderators' desk: the open reports, their reasons and times.
  assert.equal(b.cli(['user', 'passwd', 'boss'], { input: `${PW}\n` }).status, 0);
  const [wa, wb] = [await modLogin(a, 'boss', PW), await modLogin(b, 'boss', PW)];
  const open = await desk(a, wa, reported);
  assert.match(open, /2 open<ul class="mod-reports"><li>spam: Sells &quot;watches&quot; &lt;b&gt; <time/);
  assert.match(open, /<li>off-topic <time/);
  assert.equal(await desk(b, wb, reported), open);
  assert.equal(await desk(b, wb, settled), await desk(a, wa, settled));
  // A new report goes on after the ids that came.
  await report(b, roots[2], 'other', 'later', '127.0.8.9');
  assert.equal(b.sql(`SELECT id FROM reports WHERE comment = ${roots[2]}`)[0].id, 4);
  b.sql(`DELETE FROM reports WHERE id = 4`);
});

test('--with-secrets: password hashes and the secret; the moderator logs in after a restore', async () => {
  const r = a.cli(['export', '--with-secrets', path.join(a.dir, 'secret.jsonl')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.statSync(path.join(a.dir, 'secret.jsonl')).mode & 0o777, 0o600);
  const text = fs.readFileSync(path.join(a.dir, 'secret.jsonl'), 'utf8');
  assert.match(text, /"type":"secret","value":"[0-9a-f]{64}"/);
  assert.match(text, /"hash":"\$argon2id\$/);
  const c = await new Server().start();
  try {
    const file = put(c.dir, 'secret.jsonl', text);
    const i = c.cli(['import', 'palaver', file]);
    assert.equal(i.status, 0, i.stderr);
    assert.doesNotMatch(i.stderr, /no password/);
    const e = c.cli(['export', '--with-secrets', '-']);
    assert.equal(e.stdout, text);
    assert.equal(c.sql(`SELECT ${SQL.hex('value')} AS v FROM settings WHERE key = 'secret'`)[0].v,
      a.sql(`SELECT ${SQL.hex('value')} AS v FROM settings WHERE key = 'secret'`)[0].v);
    await modLogin(c, 'boss', PW);
  } finally {
    await c.stop();
  }
});

test('import palaver into a database with data: only what is new, and once', () => {
  const s = scratch();
  try {
    const r0 = s.cli(['import', 'disqus', path.join(D, 'isso-disqus.xml')]);
    assert.equal(r0.status, 0, r0.stderr);
    const file = put(s.dir, 'site.jsonl', fs.readFileSync(path.join(a.dir, 'site.jsonl')));
    let r = s.cli(['import', 'palaver', file]);
    assert.equal(r.status, 0, r.stderr);
    // The five Disqus comments are here already (imported from the same
    // file): they are recognised, not doubled.
    assert.match(r.stdout, /^imported 34 comments \(5 there already\) with 7 votes and 3 reports from 9 articles\n$/);
    assert.match(r.stderr, /the audit log and the secret of the export stay out/);
    // Articles found by their key: the Disqus ones are not made twice.
    assert.equal(s.sql('SELECT count(*) AS n FROM articles')[0].n,
      a.sql('SELECT count(*) AS n FROM articles')[0].n);
    assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, 39);
    // The votes and reports went with their comments (new ids), the
    // counts too; each vote moved its article's counter.
    const readers = (x) => ({
      votes: x.sql(`SELECT c.author, c.created, v.voter, v.addr_hash, v.value, v.at FROM votes v
        JOIN comments c ON c.id = v.comment ORDER BY v.voter, c.created`),
      reports: x.sql(`SELECT c.author, c.created, r.reason, r.text, r.created AS at, r.settled FROM reports r
        JOIN comments c ON c.id = r.comment ORDER BY r.created, r.reason`),
      counts: x.sql(`SELECT author, created, up, down, best FROM comments WHERE up + down > 0
        ORDER BY created, author`),
    });
    const want = readers(a);
    assert.equal(want.votes.length, 7);
    assert.deepEqual(readers(s), want);
    const counter = () => s.sql('SELECT sum(votes) AS n FROM articles')[0].n;
    assert.equal(counter(), 7);
    r = s.cli(['import', 'palaver', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^imported 0 comments \(39 there already\) with 0 votes and 0 reports from 9 articles\n$/);
    assert.deepEqual(readers(s), want);
    assert.equal(counter(), 7);
    // Into the database it came from: nothing is new.
    const own = a.cli(['import', 'palaver', path.join(a.dir, 'site.jsonl')]);
    assert.equal(own.status, 0, own.stderr);
    assert.match(own.stdout, /^imported 0 comments \(39 there already\) with 0 votes and 0 reports/);
    assert.deepEqual(readers(a), want);
  } finally {
    s.done();
  }
});

// A site of some size restores in one transaction: 30,000 comments, a
// third of them replies, the search index written at commit.  Past some
// 20,000 SQLite 3.40 failed this with "database or disk is full", when
// palaver kept statement journals in memory up to 1 MiB (sqlite_db.c).
test('a restore of 30,000 comments in one transaction, the search index too', () => {
  const s = scratch();
  try {
    const head = JSON.parse(s.cli(['export', '-']).stdout.split('\n')[0]);
    const n = 30000;
    const arts = 30;
    const out = [JSON.stringify({ ...head, comment_seq: n })];
    let replies = 0;
    for (let a = 1; a <= arts; a++) {
      out.push(JSON.stringify({ type: 'article', id: a, uri: `/big/${a}/`, title: `Big ${a}`, body: null, created: 1700000000,
        closed: false, mode: null, version: 1, title_proposed: null, made_by: 'admin', kept_open: null, votes: 0 }));
    }
    for (let id = 1; id <= n; id++) {
      const k = (id - 1) % (n / arts);
      const parent = k % 3 === 2 ? id - 1 : null;
      replies += parent ? 1 : 0;
      out.push(JSON.stringify({ type: 'comment', id, article: Math.ceil(id / (n / arts)), parent,
        author: `Reader ${k % 97}`, email: null, website: null,
        body: `Comment ${id}: some *Markdown*, a [link](https://example.org/${id}) and a second sentence.`,
        status: 'approved', score: 0, reasons: '', created: 1700000000 + id, edited: null, edited_by: null,
        addr_hash: null, user_agent: null, body_hash: null, up: 0, down: 0 }));
    }
    out.push(JSON.stringify({ type: 'end', accounts: 0, articles: arts, comments: n, votes: 0, reports: 0, bans: 0,
      audit: 0, imported: 0 }));
    const file = put(s.dir, 'big.jsonl', out.join('\n') + '\n');
    const r = s.cli(['import', 'palaver', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^restored 30 articles, 30000 comments, /);
    assert.deepEqual(s.sql('SELECT count(*) AS n, count(parent) AS replies FROM comments'), [{ n: 30000, replies }]);
    if (BACKEND === 'sqlite') {
      assert.deepEqual(s.sql("SELECT count(*) AS n FROM comments_fts WHERE comments_fts MATCH 'sentence'"), [{ n: 30000 }]);
      assert.deepEqual(s.sql('SELECT count(*) AS n FROM fts_pending'), [{ n: 0 }]);
    }
  } finally {
    s.done();
  }
});

test('import palaver refuses what is not whole, and changes nothing', () => {
  const s = scratch();
  try {
    const lines = fs.readFileSync(path.join(a.dir, 'site.jsonl'), 'utf8').trimEnd().split('\n');
    const cases = [
      ['cut.jsonl', lines.slice(0, -1).join('\n'), /cut short: it has no end line/],
      ['miscount.jsonl', lines.filter((l, i) => i !== lines.findIndex((x) => x.includes('"type":"audit"')))
        .join('\n'), /the end line counts \d+ audit records, the file holds/],
      ['newer.jsonl', [lines[0].replace('"version":2', '"version":3'), ...lines.slice(1)].join('\n'),
        /written by a newer palaver \(format version 3; this one reads up to 2\)/],
      ['badvote.jsonl', [lines[0], '{"type":"vote","comment":1,"voter":"k","addr_hash":null,"value":2,"at":1}',
        '{"type":"end"}'].join('\n'), /line 2: "value" is not 1 or -1/],
      ['badreport.jsonl', [lines[0], '{"type":"report","id":1,"comment":1,"reason":"rude","text":"",'
        + '"created":1,"addr_hash":null,"net_hash":null,"settled":false}', '{"type":"end"}'].join('\n'),
        /line 2: "reason" is not a reason/],
      ['orphanvote.jsonl', [lines[0], '{"type":"vote","comment":77,"voter":"k","addr_hash":null,"value":1,"at":1}',
        '{"type":"end","votes":1}'].join('\n'), /line 2: the vote is there already, or names what is not/],
      ['orphan.jsonl', [lines[0], '{"type":"comment","id":5,"article":77,"parent":null,"author":"x",'
        + '"email":null,"website":null,"body":"x","status":"approved","score":0,"reasons":"",'
        + '"created":1}', '{"type":"end"}'].join('\n'), /line 2: /],
      ['junk.jsonl', `${lines[0]}\nnot json\n`, /line 2: not JSON/],
      ['empty.jsonl', '', /the file is empty/],
      ['wxr.jsonl', fs.readFileSync(path.join(D, 'isso-disqus.xml'), 'utf8'), /line 1: not JSON/],
    ];
    for (const [name, text, re] of cases) {
      const r = s.cli(['import', 'palaver', put(s.dir, name, text)]);
      assert.equal(r.status, 1, `${name}: ${r.stdout}`);
      assert.match(r.stderr, re, name);
      assert.match(r.stderr, /nothing was imported/);
      assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, 0, name);
      assert.equal(s.sql('SELECT count(*) AS n FROM votes')[0].n, 0, name);
      assert.equal(s.sql('SELECT count(*) AS n FROM articles')[0].n, 0, name);
      assert.equal(s.sql('SELECT count(*) AS n FROM moderators')[0].n, 0, name);
    }
  } finally {
    s.done();
  }
});

// --- Isso ---------------------------------------------------------------

// An Isso database as Isso's own code creates it (isso/db/).
const ISSO_SCHEMA = `
CREATE TABLE IF NOT EXISTS preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE IF NOT EXISTS comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER NOT NULL DEFAULT 0);`;

function issoDb(dir, name, extra) {
  const p = path.join(dir, name);
  execFileSync('sqlite3', [p, ISSO_SCHEMA + extra]);
  fs.chmodSync(p, 0o644);
  return p;
}

const ISSO_ROWS = `
INSERT INTO threads VALUES (1, '/blog/isso-post/', 'An Isso post'), (2, '/blog/%e7%ac%ac/?utm_source=x', NULL);
INSERT INTO comments VALUES
 (1, 1, NULL, 1500000000.25, NULL, 1, '192.0.2.1', 'Hello *Markdown* <b>html</b>', 'Ann', 'ann@example.org', 'https://ann.example/', 3, 1, x'00', 0),
 (1, 2, 1, 1500000100, 1500000200, 1, '192.0.2.2', 'a reply', 'Bob', NULL, NULL, 0, 0, x'00', 0),
 (1, 3, 1, 1500000200, NULL, 2, '', 'waiting', 'Cy', 'not an address', 'javascript:alert(1)', 0, 0, x'00', 0),
 (1, 4, 2, 1500000300, NULL, 4, '', '', NULL, NULL, NULL, 0, 0, x'00', 0),
 (1, 5, 4, 1500000400, NULL, 1, '', 'under a deleted one', 'Dee', NULL, NULL, 2, 0, x'00', 0),
 (2, 6, NULL, 1500000500, NULL, 1, '', 'second thread', 'Eve', NULL, NULL, 0, 0, x'00', 0);`;

test('import isso: an Isso database, read only; modes, parents, likes and dislikes as vote counts', async () => {
  const db = issoDb(b.dir, 'comments.db', ISSO_ROWS);
  const before = fs.readFileSync(db);
  const r = b.cli(['import', 'isso', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^imported 2 articles \(2 new\), 6 comments \(0 skipped/);
  assert.match(r.stdout, /^6 likes and dislikes kept as vote counts/m);
  assert.match(r.stderr, /warning: comment 3 on \/blog\/isso-post\/: "not an address" is no e-mail address/);
  assert.deepEqual(fs.readFileSync(db), before);	// never written
  const rows = Object.fromEntries(b.sql(`SELECT i.source_id AS id, c.status, c.author, c.email, c.website,
    c.created, c.body, c.up, c.down, (SELECT source_id FROM imported p WHERE p.comment = c.parent AND p.source = 'isso') AS parent
    FROM imported i JOIN comments c ON c.id = i.comment WHERE i.source = 'isso'`).map((x) => [x.id, x]));
  assert.deepEqual(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, [v.status, v.parent]])), {
    1: ['approved', null], 2: ['approved', '1'], 3: ['pending', '1'], 4: ['deleted', '2'],
    5: ['approved', '4'], 6: ['approved', null] });
  assert.equal(rows[1].created, 1500000000);
  assert.equal(rows[1].email, 'ann@example.org');
  assert.equal(rows[3].email, null);
  assert.equal(rows[3].website, null);
  assert.equal(rows[4].author, 'Anonymous');
  assert.deepEqual([rows[1].up, rows[1].down, rows[5].up, rows[5].down, rows[2].up], [3, 1, 2, 0, 0]);
  // Served: the thread by its key, Markdown rendered, raw HTML as text.
  const t = await b.get('/api/comments?uri=' + encodeURIComponent('/blog/isso-post/'));
  assert.equal(t.status, 200, t.body);
  const j = JSON.parse(t.body);
  assert.equal(j.article.title, 'An Isso post');
  assert.equal(j.comments[0].html, '<p>Hello <em>Markdown</em> &lt;b&gt;html&lt;/b&gt;</p>\n');
  assert.equal(j.comments[0].replies[0].author, 'Bob');
  assert.deepEqual([j.comments[0].up, j.comments[0].down], [3, 1]);
  assert.equal((await b.get('/api/comments?uri=' + encodeURIComponent('/blog/%E7%AC%AC/'))).status, 200);
  const again = b.cli(['import', 'isso', db]);
  assert.match(again.stdout, / 0 comments \(6 skipped as already imported/);
  assert.doesNotMatch(again.stdout, /kept as vote counts/, 'none kept again, none said');
  assert.deepEqual(b.sql(`SELECT c.up, c.down FROM imported i JOIN comments c ON c.id = i.comment
    WHERE i.source = 'isso' AND i.source_id = '1'`), [{ up: 3, down: 1 }], 'counted once');
});

test('import isso: an Isso database from before votes', () => {
  const s = scratch();
  try {
    const p = path.join(s.dir, 'old.db');
    execFileSync('sqlite3', [p, `CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
      CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL,
      modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR);
      INSERT INTO threads VALUES (1, '/old/', 'Old');
      INSERT INTO comments VALUES (1, 1, NULL, 1400000000, NULL, 1, '', 'old text', 'Old Timer', NULL, NULL);`]);
    fs.chmodSync(p, 0o644);
    const r = s.cli(['import', 'isso', p]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, / 1 comments /);
  } finally {
    s.done();
  }
});

test('import isso: the generic JSON format', () => {
  const s = scratch();
  try {
    const json = JSON.stringify([
      { id: '/generic/one/', title: 'One', comments: [
        { id: 1, author: 'Ann', email: 'ann@example.org', website: 'https://ann.example/',
          remote_addr: '192.0.2.9', created: '2019-10-11 08:46:43', text: 'first *one*' },
        { id: 2, author: 'Bob', email: '', website: '', remote_addr: '', created: '2019-10-11 09:00:00',
          text: 'second' }] },
      { id: '/generic/two/?x=1', title: 'Two', comments: [
        { id: 1, author: 'Cy', email: '', website: '', remote_addr: '', created: 'yesterday', text: 'undated' }] },
    ]);
    const file = put(s.dir, 'isso.json', json);
    const r = s.cli(['import', 'isso', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^imported 2 articles \(2 new\), 3 comments /);
    assert.match(r.stderr, /its date cannot be read: held for a moderator/);
    assert.deepEqual(s.sql(`SELECT i.source_id AS id, a.uri, c.status, c.created FROM imported i
      JOIN comments c ON c.id = i.comment JOIN articles a ON a.id = c.article ORDER BY i.source_id`)
      .map((x) => [x.id, x.uri, x.status]), [
      ['/generic/one/#1', '/generic/one/', 'approved'], ['/generic/one/#2', '/generic/one/', 'approved'],
      ['/generic/two/?x=1#1', '/generic/two/', 'pending']]);
    assert.match(s.cli(['import', 'isso', file]).stdout, / 0 comments \(3 skipped/);
    for (const [name, text, re] of [['bad.json', '{"not": "a list"}', /not an Isso export/],
      ['broken.json', '[{"id": ', /not JSON: line 1/],
      ['nosql.db', 'SQLite format 3\0 but nothing else here', /not an SQLite database|damaged|not an Isso/]]) {
      const b2 = s.cli(['import', 'isso', put(s.dir, name, text)]);
      assert.equal(b2.status, 1, name);
      assert.match(b2.stderr, re, name);
    }
    const other = path.join(s.dir, 'other.db');
    execFileSync('sqlite3', [other, 'CREATE TABLE t (x);']);
    fs.chmodSync(other, 0o644);
    const o = s.cli(['import', 'isso', other]);
    assert.equal(o.status, 1);
    assert.match(o.stderr, /not an Isso database/);
    assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, 3);
  } finally {
    s.done();
  }
});

// --- remap --------------------------------------------------------------

test('remap: prefixes and exact rules; threads that meet become one; audited; the API follows', async () => {
  const s = b;
  const before = s.sql('SELECT count(*) AS n FROM comments')[0].n;
  const old = s.sql("SELECT id, uri, ncomments FROM articles WHERE uri LIKE '/2012/%' ORDER BY id");
  assert.ok(old.length >= 3, JSON.stringify(old));
  const [x, y] = old;
  const rules = put(s.dir, 'rules.txt', `# the permalinks changed
/2012/* /archive/2012/*
${x.uri} /merged/
https://old.example${y.uri}?utm=1 /merged/
/no/such/ /nowhere/
`);
  const dry = s.cli(['remap', '--dry-run', rules]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /^would move \d+ threads to new addresses, 1 merged into others \(--dry-run/);
  assert.deepEqual(s.sql("SELECT id, uri, ncomments FROM articles WHERE uri LIKE '/2012/%' ORDER BY id"), old);

  const r = s.cli(['remap', rules]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^moved \d+ threads to new addresses, 1 merged into others\n$/);
  assert.match(r.stderr, /warning: line 5 matches no thread/);
  assert.equal(s.sql("SELECT count(*) AS n FROM articles WHERE uri LIKE '/2012/%'")[0].n, 0);
  assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, before);
  const merged = s.sql("SELECT id, ncomments FROM articles WHERE uri = '/merged/'")[0];
  assert.equal(merged.id, Math.min(x.id, y.id));
  assert.equal(merged.ncomments, x.ncomments + y.ncomments);
  assert.equal(s.sql(`SELECT count(*) AS n FROM audit WHERE action = 'remap-merge' AND target = 'article:${Math.max(x.id, y.id)}'`)[0].n, 1);
  assert.ok(s.sql("SELECT count(*) AS n FROM audit WHERE action = 'remap'")[0].n >= 2);
  const t = await s.get('/api/comments?uri=' + encodeURIComponent('/merged/'));
  assert.equal(t.status, 200);
  assert.equal((await s.get('/api/comments?uri=' + encodeURIComponent(x.uri))).status, 404);
  const third = old[2];
  const moved = `/archive${third.uri}`;
  assert.equal((await s.get('/api/comments?uri=' + encodeURIComponent(moved))).status, 200);
  const page = await s.get(`/articles/${merged.id}`);
  assert.equal(page.status, 200);

  // All or nothing: a rule that makes no key changes nothing at all.
  const snapshot = s.sql('SELECT id, uri FROM articles ORDER BY id');
  const bad = put(s.dir, 'bad.txt', '/merged/ /fine/\n/archive/* relative*\n');
  const e = s.cli(['remap', bad]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /line 2: relative\* is not an address|line 2: relative is not an address/);
  assert.deepEqual(s.sql('SELECT id, uri FROM articles ORDER BY id'), snapshot);
  const two = put(s.dir, 'two.txt', '/a/ /b/\n/a/ /c/\n');
  const t2 = s.cli(['remap', two]);
  assert.equal(t2.status, 1);
  assert.match(t2.stderr, /line 2: \/a\/ has a rule already, on line 1/);
  // Two threads may swap their addresses.
  const [p, q] = s.sql('SELECT id, uri FROM articles ORDER BY id LIMIT 2');
  const swap = s.cli(['remap', put(s.dir, 'swap.txt', `${p.uri} ${q.uri}\n${q.uri} ${p.uri}\n`)]);
  assert.equal(swap.status, 0, swap.stderr);
  assert.deepEqual(s.sql('SELECT id, uri FROM articles ORDER BY id LIMIT 2'), [{ id: p.id, uri: q.uri },
    { id: q.id, uri: p.uri }]);
});

test('help lists the commands that move a site', () => {
  const r = a.cli(['help', 'import']);
  assert.equal(r.status, 0);
  for (const re of [/palaver import wordpress FILE \[--pingbacks\] \[--keep-query\]/,
    /palaver import disqus FILE/, /palaver import isso FILE/, /palaver import palaver FILE/]) {
    assert.match(r.stdout, re);
  }
  assert.match(a.cli(['help', 'export']).stdout, /palaver export FILE \[--with-secrets\]/);
  assert.match(a.cli(['help', 'remap']).stdout, /palaver remap RULES \[--dry-run\]/);
  const u = a.cli([]);
  assert.match(u.stderr, /palaver export FILE/);
  assert.match(u.stderr, /palaver remap RULES/);
});
