// migrate.test.mjs: palaver migrate moves a real site from SQLite into
// PostgreSQL and back (issue 13: "moves the demo site and a big imported
// site both ways with identical pages before and after").  The site is
// the demo (palaver demo: the article make run shows), two real exports
// (a Disqus one of 1,145 comments, a WordPress one with its held comments
// and pingbacks) and what a live site adds through the real server:
// accounts, a pending comment, a comment marked spam, an edit, bans, a
// closed thread, votes, a report, a moderator's session.  What readers and
// moderators see (every page of every thread, the API, the feeds, the
// article list, the moderators' pages) is taken before the move and
// compared byte for byte after it, each way, with the rows behind it; then
// the copied site works on: logins, bans, author tokens, ids that
// continue.  The way back goes into a database palaver init made and a
// palaver served (as the service does before anything is moved in).  A
// copy into a database with data, or to what is no database, is refused
// and changes nothing; a copy that fails half way keeps nothing.  The
// PostgreSQL side is a cluster of the test's own, so the test runs the
// same in the SQLite run and under tests/pg.sh; the site starts on SQLite
// in both (Server's opts.sqlite).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Server, ROOT, run, psql, pgCreate, pgDrop, pgSql, fresh, modLogin, modPost } from './lib.mjs';
import { dataDir } from './importlib.mjs';

const D = dataDir();
const CHEAP = { pwhash_mem: 8192, pwhash_ops: 1 };
const PW = 'the admin password here';
const PW2 = 'the moderator password';
const FORM = 'application/x-www-form-urlencoded';
const CONF = {
  auth: CHEAP,
  spam: { posts_per_minute: 0 },
  votes: { per_minute: 0 },
};

let own;	// the test's PostgreSQL cluster (its directory)
let site;	// the site: on SQLite, then on PostgreSQL
let back;	// the site moved back into a new SQLite database
let url;	// the PostgreSQL database it moves into
let pgdb;
let seeds;	// what the snapshots start from (see snapshot)
let mod;	// a moderator's session on the SQLite site: { cookie, csrf }
let author;	// the cookie that lets the pending comment's author see it
let onSqlite;	// what was seen on SQLite before the move
let onPg;	// what was seen on PostgreSQL before the move back
let maxIds;	// the highest id of each table on SQLite

function cluster() {
  return execFileSync('sh', [path.join(ROOT, 'tests/pg.sh'), 'start'], { encoding: 'utf8' }).trim();
}

// palaver's tables as PostgreSQL has them (what migrate copies: all but
// the schema's version, which each engine keeps as its own; SQLite's FTS5
// tables are made from the comments, not copied).
function tables() {
  return pgSql(own, pgdb, `SELECT table_name AS t FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name <> 'schema_version' ORDER BY 1`).map((r) => r.t);
}

// Every table's row count, on either engine.
function counts(s, names) {
  return Object.fromEntries(names.map((t) => [t, s.sql(`SELECT count(*) AS n FROM ${t}`)[0].n]));
}

// The rows that make the pages, column by column, in id order: readers'
// and moderators' pages are compared too, but these say which row differs.
// (Not the blobs: comments.path is compared through the threads' order.)
const ROWS = {
  articles: 'id, uri, title, body, created, closed, mode, version, ncomments, made_by, kept_open, votes',
  comments: 'id, article, parent, root, depth, author, email, website, body, html, status, score, '
    + 'reasons, created, edited, edited_by, addr_hash, user_agent, body_hash, up, down, best',
  moderators: 'id, name, hash, role, created, last_login, email',
  bans: 'id, kind, value, reason, created, expires, moderator',
  audit: 'id, at, moderator, actor, action, target, before, after, addr_hash, batch',
  votes: 'comment, voter, addr_hash, value, at',
  reports: 'id, comment, reason, text, created, addr_hash, settled',
  imported: 'source, source_id, comment',
};
function rows(s, t) {
  const key = t === 'votes' ? 'comment, voter' : t === 'imported' ? 'source, source_id' : 'id';
  return s.sql(`SELECT ${ROWS[t]} FROM ${t} ORDER BY ${key}`);
}

async function formPost(s, p, fields, { addr, cookie } = {}) {
  const headers = { 'content-type': FORM };
  if (addr) headers['x-forwarded-for'] = addr;
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(p, { method: 'POST', body: new URLSearchParams(fields).toString(), headers });
  const body = await r.text();
  const m = (r.headers.get('location') || '').match(/#c(\d+)$/);
  const sc = r.headers.getSetCookie().find((c) => c.startsWith('palaver_author='));
  return { status: r.status, id: m ? Number(m[1]) : 0, cookie: sc ? sc.split(';')[0] : '', body };
}

async function apiPost(s, p, obj, addr) {
  const r = await s.fetch(p, { method: 'POST', body: JSON.stringify(obj),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addr } });
  return { status: r.status, text: await r.text() };
}

// What one response shows, with only what legitimately differs from one
// request to the next made alike:
// - the form token (HTML: <input name="ts">, JSON: "form_token"): a fresh
//   one each request, by design (it dates the form, for min_submit_seconds);
// - the ETag's day ("-d<unix day>"): the day of the request, not of the
//   data (src/http/cache.c), so a run over midnight would differ there.
// Nothing else: comment text, ids, order, statuses, counts, versions (the
// rest of the ETag), dates of comments and the CSRF token all stay (the
// moderator's session, and so its CSRF token, is carried by the move).
function normal(r) {
  const body = r.body
    .replace(/(<input type="hidden" name="ts" value=")[^"]*"/g, '$1TS"')
    .replace(/("form_token":)"[^"]*"/g, '$1"TS"');
  const etag = (r.headers.get('etag') || '').replace(/-d\d+-/, '-dDAY-');
  return `${r.status} ${r.headers.get('content-type')} ${etag} ${r.headers.get('location') || ''}\n${body}`;
}

// The links a snapshot follows: every page's next page (rel="next": a
// thread's in any order, the article list's, the moderators' lists'),
// and the API's next page of a thread.
function links(p, body) {
  const out = [];
  for (const [, href] of body.matchAll(/rel="next" href="(\/[^"#]*)(?:#[^"]*)?"/g)) {
    out.push(href.replaceAll('&amp;', '&'));
  }
  if (p.startsWith('/api/comments?')) {
    const next = JSON.parse(body).next;
    if (next !== null) out.push(`${p.replace(/&after=\d+/, '')}&after=${next}`);
  }
  return out;
}

// Everything readers and moderators see, from the seeds, following every
// later page; each from palaver itself (fresh: past nginx's microcache).
// A path maps to its normalised response.
async function snapshot(s) {
  const seen = new Map();
  const todo = seeds.map((x) => (typeof x === 'string' ? { p: x } : x));
  while (todo.length > 0) {
    const { p, cookie } = todo.shift();
    const key = cookie ? `${p} (${cookie.split('=')[0]})` : p;
    if (seen.has(key)) continue;
    const r = await s.get(fresh(p), cookie ? { headers: { cookie } } : {});
    seen.set(key, normal(r));
    if (r.status === 200) for (const l of links(p, r.body)) todo.push({ p: l, cookie });
  }
  return seen;
}

// Two snapshots hold the same paths and the same bytes at each; a page
// that differs is told by its first line that does.
function same(got, want, what) {
  assert.deepEqual([...got.keys()], [...want.keys()], `${what}: the pages seen`);
  for (const [p, w] of want) {
    const g = got.get(p);
    if (g === w) continue;
    const a = w.split('\n');
    const b = g.split('\n');
    let i = 0;
    while (a[i] === b[i]) i++;
    assert.fail(`${what}: ${p} differs at line ${i + 1}:\n- ${a[i]}\n+ ${b[i]}`);
  }
}

before(async () => {
  own = cluster();
  site = await new Server(structuredClone(CONF), {}, { sqlite: true }).start();
  assert.equal(site.url, undefined, 'the site starts on SQLite');

  // The demo, and two real sites' comments.
  let r = site.cli(['demo']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^added the demo article 1 /);
  r = site.cli(['import', 'disqus', path.join(D, 'benbalter-disqus-comments.xml')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, / 1145 comments /);
  r = site.cli(['import', 'wordpress', '--pingbacks', path.join(D, 'timothyfitz-wordpress.xml')]);
  assert.equal(r.status, 0, r.stderr);

  // Two accounts: an admin who works through the web, a moderator.
  for (const [name, role, pw] of [['ada', 'admin', PW], ['mo', 'moderator', PW2]]) {
    r = site.cli(['user', 'add', name, '--role', role], { input: `${pw}\n` });
    assert.equal(r.status, 0, r.stderr);
  }

  // The threads the live site works on: the longest (several pages),
  // one for new comments, one held for moderation, one to close.
  const arts = site.sql(`SELECT id FROM articles WHERE closed = 0 ORDER BY ncomments DESC, id LIMIT 4`)
    .map((x) => x.id);
  const [big, open, held, shut] = arts;
  assert.equal(site.cli(['article', 'set', String(held), '--mode', 'pre']).status, 0);
  assert.equal(site.cli(['article', 'set', String(shut), '--close']).status, 0);

  // Readers post: comments, a reply, one held for moderation (its
  // author sees it through their cookie), one that will be spam.
  const c1 = await formPost(site, `/articles/${open}/comments`,
    { author: 'Reader', email: 'reader@example.org', body: 'Live *comment* after the import' },
    { addr: '198.51.100.10' });
  assert.equal(c1.status, 303, c1.body);
  const c2 = await formPost(site, `/articles/${open}/comments`,
    { author: 'Replier', body: 'A reply, live', parent: String(c1.id) }, { addr: '198.51.100.11' });
  assert.equal(c2.status, 303, c2.body);
  const c3 = await formPost(site, `/articles/${held}/comments`,
    { author: 'Waiting', body: 'Held for a moderator' }, { addr: '198.51.100.12' });
  assert.equal(c3.status, 303, c3.body);
  assert.ok(c3.cookie, 'the author of the held comment has a cookie');
  author = c3.cookie;
  const c4 = await formPost(site, `/articles/${open}/comments`,
    { author: 'Pills', email: 'troll@example.org', body: 'buy now' }, { addr: '203.0.113.9' });
  assert.equal(c4.status, 303, c4.body);
  assert.deepEqual(site.sql(`SELECT status FROM comments WHERE id IN (${c1.id}, ${c2.id}, ${c4.id}) ORDER BY id`)
    .map((x) => x.status), ['approved', 'approved', 'approved']);
  assert.equal(site.sql("SELECT status FROM comments WHERE author = 'Waiting'")[0].status, 'pending');

  // The admin's work: spam, an edit, bans by e-mail, by network and by
  // address hash (keyed with the address key: it holds on another
  // database only with the same key file and the fingerprint that says so).
  mod = await modLogin(site, 'ada', PW);
  const hash = site.sql(`SELECT addr_hash FROM comments WHERE id = ${c2.id}`)[0].addr_hash;
  assert.match(hash, /^[0-9a-f]{32}$/);
  for (const [p, f] of [[`/mod/comments/${c4.id}/spam`, {}],
    [`/mod/comments/${c1.id}/edit`, { body: 'Live *comment* after the import (edited)' }],
    ['/mod/bans', { kind: 'email', value: 'troll@example.org', reason: 'pills' }],
    ['/mod/bans', { kind: 'prefix', value: '203.0.113.9', reason: 'the same network' }],
    ['/mod/bans', { kind: 'addr_hash', value: hash, reason: 'the same reader' }]]) {
    const m = await modPost(site, mod, p, f);
    assert.equal(m.status, 303, `${p}: ${m.body}`);
  }
  assert.equal(site.sql(`SELECT status FROM comments WHERE id = ${c4.id}`)[0].status, 'spam');
  assert.equal(site.sql('SELECT count(*) AS n FROM bans')[0].n, 3);

  // Readers vote on the longest thread (best first depends on it) and
  // report a comment.
  const top = site.sql(`SELECT id FROM comments WHERE article = ${big} AND status = 'approved'
    ORDER BY id LIMIT 3`).map((x) => x.id);
  for (const [i, id] of [top[2], top[2], top[1]].entries()) {
    const v = await apiPost(site, `/api/comments/${id}/vote`, { vote: 1 }, `192.0.2.${i + 1}`);
    assert.equal(v.status, 200, v.text);
  }
  const rep = await apiPost(site, `/api/comments/${top[0]}/report`, { reason: 'abuse' }, '192.0.2.50');
  assert.ok(rep.status < 300, rep.text);

  // Where the snapshots start: every article's page and feed, the list,
  // the site's feed; the API's thread (every page) and counts for the
  // threads the live site touched; permalinks; the held comment as its
  // author sees it; the moderators' pages in the admin's session.
  const ids = site.sql('SELECT id FROM articles ORDER BY id').map((x) => x.id);
  const uris = site.sql(`SELECT uri FROM articles WHERE id IN (${arts.join(', ')}) ORDER BY id`).map((x) => x.uri);
  seeds = ['/', '/feed',
    ...ids.map((id) => `/articles/${id}`),
    ...ids.map((id) => `/articles/${id}/feed`),
    `/articles/${big}?order=newest`, `/articles/${big}?order=best`,
    ...uris.map((u) => `/api/comments?uri=${encodeURIComponent(u)}`),
    `/api/comments?uri=${encodeURIComponent(uris[0])}&order=best`,
    `/api/counts?${uris.map((u) => `uri=${encodeURIComponent(u)}`).join('&')}`,
    ...[c1.id, c2.id, top[2]].map((id) => `/c/${id}`),
    { p: `/articles/${held}`, cookie: author },
    ...['/mod/', '/mod/bans', '/mod/audit', '/mod/audit.csv', '/mod/articles', '/mod/users',
      `/mod/comments/${c4.id}`, `/mod/comments/${c1.id}`].map((p) => ({ p, cookie: mod.cookie })),
  ];
  site.big = big;
  site.open = open;
  site.c3 = c3.id;
  site.held = held;
  onSqlite = await snapshot(site);
  const pages = [...onSqlite.keys()].filter((p) => /\?(.*&)?after=/.test(p));
  assert.ok(pages.length >= 10, `later pages of long threads followed: ${pages.length}`);
  for (const [p, v] of onSqlite) assert.match(v, p.startsWith('/c/') ? /^303 / : /^200 /, `${p} is there`);
  // What the snapshot holds is what it should: the held comment for its
  // author and in the queue, not for readers; the moderators' pages in
  // the session, not the login form.
  const seen = (p) => onSqlite.get(p) || '';
  assert.match(seen(`/articles/${held} (palaver_author)`), /Held for a moderator/);
  assert.doesNotMatch(seen(`/articles/${held}`), /Held for a moderator/);
  assert.match(seen('/mod/ (palaver_session)'), /Held for a moderator/);
  assert.match(seen('/mod/bans (palaver_session)'), /troll@example\.org/);
  assert.match(seen(`/articles/${big}`), /id="c\d+"/);
  maxIds = Object.fromEntries(['articles', 'comments', 'moderators', 'bans', 'audit', 'reports']
    .map((t) => [t, site.sql(`SELECT max(id) AS m FROM ${t}`)[0].m]));
});

after(async () => {
  // Each Server drops its own PostgreSQL database, then the cluster goes.
  if (back) await back.stop();
  if (site) await site.stop();
  if (own) execFileSync('sh', [path.join(ROOT, 'tests/pg.sh'), 'stop', own]);
});

test('migrate --to: every row into an empty PostgreSQL database, counted', async () => {
  pgdb = `migrate_${process.pid}`;
  url = pgCreate(own, pgdb);
  // As README says: stop palaver, migrate, point [database] at the copy.
  const stopped = await site.stopPalaver();
  assert.equal(stopped.code, 0, site.log());
  const r = site.cli(['migrate', '--to', url]);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/^copied (\d+) rows from (\S+) to (\S+)\n$/);
  assert.ok(m, r.stdout);
  assert.equal(m[2], site.db);
  assert.equal(m[3], url);
  const names = tables();
  const want = counts(site, names);
  // Every table the site uses is there (the test's live work reached
  // them), and the copy holds what the source does, table by table.
  for (const t of ['articles', 'comments', 'moderators', 'sessions', 'bans', 'audit', 'imported',
    'votes', 'reports', 'settings', 'addr_key']) assert.ok(want[t] > 0, `${t} has rows to copy`);
  site.url = url;
  site.pgdir = own;
  site.pgdb = pgdb;
  assert.deepEqual(counts(site, names), want, 'row counts, table by table');
  assert.equal(Number(m[1]), Object.values(want).reduce((a, b) => a + b, 0), 'the rows reported');
});

test('on PostgreSQL: the same rows, the same pages, byte for byte', async () => {
  // The SQLite file moves aside, so what serves from now on can only be
  // PostgreSQL; site.sql reads PostgreSQL, src the file.
  const src = new Server({}, {}, { sqlite: true });
  src.db = path.join(site.dir, 'sqlite-before.db');
  for (const x of ['', '-wal', '-shm']) {
    if (fs.existsSync(site.db + x)) fs.renameSync(site.db + x, src.db + x);
  }
  for (const t of Object.keys(ROWS)) assert.deepEqual(rows(site, t), rows(src, t), `${t}: the rows`);
  site.writeConfig();
  assert.doesNotMatch(fs.readFileSync(site.conf, 'utf8'), /^path = \S/m, 'no SQLite file configured');
  await site.startPalaver();
  assert.ok(!fs.existsSync(site.db), 'palaver made no SQLite file');
  same(await snapshot(site), onSqlite, 'on PostgreSQL');
});

test('on PostgreSQL: logins, bans, author tokens and ids carry on', async () => {
  // The moderator logs in with the password set on SQLite (its hash
  // went as it was); the admin's session from SQLite still works.
  const who = await modLogin(site, 'mo', PW2);
  assert.equal((await site.get('/mod/', { headers: { cookie: mod.cookie } })).status, 200);
  // The bans hold: by e-mail, by network, and by address hash (the
  // same address hashes alike on the copy).
  const byMail = await formPost(site, `/articles/${site.open}/comments`,
    { author: 'Again', email: 'troll@example.org', body: 'buy again' }, { addr: '198.51.100.99' });
  const byNet = await formPost(site, `/articles/${site.open}/comments`,
    { author: 'Again', body: 'buy more' }, { addr: '203.0.113.77' });
  const byHash = await formPost(site, `/articles/${site.open}/comments`,
    { author: 'Replier', body: 'me again' }, { addr: '198.51.100.11' });
  for (const x of [byMail, byNet, byHash]) {
    assert.equal(x.status, 303, x.body);
    assert.deepEqual(site.sql(`SELECT status, reasons FROM comments WHERE id = ${x.id}`)[0],
      { status: 'spam', reasons: '1.00 banned' });
  }
  // A new comment's id comes after every copied one (the sequences
  // continue), and so do a ban's and the audit's.
  const c = await formPost(site, `/articles/${site.open}/comments`,
    { author: 'After', body: 'The first comment on PostgreSQL' }, { addr: '198.51.100.20' });
  assert.equal(c.status, 303, c.body);
  assert.ok(byMail.id > maxIds.comments && byNet.id > byMail.id && byHash.id > byNet.id && c.id > byHash.id,
    `new ids ${byMail.id}, ${byNet.id}, ${byHash.id}, ${c.id} after ${maxIds.comments}`);
  const b = await modPost(site, who, '/mod/bans', { kind: 'email', value: 'new@example.org' });
  assert.equal(b.status, 303, b.body);
  assert.ok(site.sql('SELECT max(id) AS m FROM bans')[0].m > maxIds.bans, 'a new ban id');
  assert.ok(site.sql('SELECT max(id) AS m FROM audit')[0].m > maxIds.audit, 'a new audit id');
  // The held comment's author still sees it through the cookie SQLite
  // gave them (the server secret went too); the moderator approves it.
  const p = await site.get(fresh(`/articles/${site.held}`), { headers: { cookie: author } });
  assert.match(p.body, /Held for a moderator/);
  const a = await modPost(site, who, `/mod/comments/${site.c3}/approve`);
  assert.equal(a.status, 303, a.body);
  const shown = await site.get(fresh(`/articles/${site.open}`));
  assert.match(shown.body, new RegExp(`id="c${c.id}"[\\s\\S]*The first comment on PostgreSQL`));
  onPg = await snapshot(site);
});

test('migrate --from: back into a new SQLite database, the same pages again', async () => {
  // A new host for the site on SQLite, with the site's address key file;
  // `palaver init` has made its database (as the service does before
  // each start), so it holds what every new database holds, no more.
  back = await new Server(structuredClone(CONF), {}, { sqlite: true, key: site }).start();
  assert.equal((await back.stopPalaver()).code, 0, back.log());
  // Nothing writes to PostgreSQL while it is copied.
  assert.equal((await site.stopPalaver()).code, 0, site.log());
  const r = back.cli(['migrate', '--from', url]);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/^copied (\d+) rows from (\S+) to (\S+)\n$/);
  assert.ok(m, r.stdout);
  assert.deepEqual([m[2], m[3]], [url, back.db]);
  const names = tables();
  const want = counts(site, names);
  assert.deepEqual(counts(back, names), want, 'row counts, table by table');
  assert.equal(Number(m[1]), Object.values(want).reduce((a, b) => a + b, 0), 'the rows reported');
  for (const t of Object.keys(ROWS)) assert.deepEqual(rows(back, t), rows(site, t), `${t}: the rows`);
  await back.startPalaver();
  same(await snapshot(back), onPg, 'back on SQLite');
  // The comment made on PostgreSQL is on the page, and ids go on after it.
  const last = site.sql('SELECT max(id) AS m FROM comments')[0].m;
  const c = await formPost(back, `/articles/${site.open}/comments`,
    { author: 'Home', body: 'Back on SQLite' }, { addr: '198.51.100.21' });
  assert.equal(c.status, 303, c.body);
  assert.ok(c.id > last, `new id ${c.id} after ${last}`);
  await modLogin(back, 'ada', PW);
  await modLogin(back, 'mo', PW2);
});

test('migrate refuses a database with data, and what is no database, and changes nothing', async () => {
  const names = tables();
  const pgBefore = counts(site, names);
  const backBefore = counts(back, ['articles', 'comments', 'moderators', 'bans', 'audit']);
  const refused = (r, re, what) => {
    assert.notEqual(r.status, 0, `${what}: ${r.stdout}`);
    assert.equal(r.stdout, '', what);
    assert.match(r.stderr, re, what);
  };
  // Into the PostgreSQL database that holds the site already, and back
  // into the SQLite file that holds it.
  refused(back.cli(['migrate', '--to', url]), /: articles already has \d+ rows: palaver migrate copies into an empty database only\n[^]*palaver: nothing was copied to /, '--to a database with data');
  refused(back.cli(['migrate', '--from', url]), new RegExp(`${back.db}: articles already has \\d+ rows: palaver migrate copies into an empty database only\\n[^]*nothing was copied from `), '--from into a file with data');
  // What is not a PostgreSQL URL, a database that is not there, a server
  // that is not there, a URL libpq cannot read.
  refused(back.cli(['migrate', '--to', 'mysql://localhost/palaver']), /URL must be a PostgreSQL URI/, 'mysql://');
  refused(back.cli(['migrate', '--to', `postgresql:///nosuch?host=${own}&user=palaver`]),
    /cannot connect: .*database "nosuch" does not exist[^]*nothing was copied to /, 'no such database');
  refused(back.cli(['migrate', '--from', `postgresql:///${pgdb}?host=/nonexistent&user=palaver`]),
    /cannot connect: .*\/nonexistent\/\.s\.PGSQL\.5432.* failed[^]*cannot prepare the database/, 'no such server');
  refused(back.cli(['migrate', '--to', `${url}&bogus=1`]), /invalid URI query parameter: "bogus"/, 'a bad parameter');
  refused(back.cli(['migrate']), /give one of --to URL and --from URL/, 'no URL');
  // A site on PostgreSQL already has no SQLite file to move.
  refused(site.cli(['migrate', '--to', url]), /this configuration names PostgreSQL/, 'from PostgreSQL');
  assert.deepEqual(counts(site, names), pgBefore, 'PostgreSQL unchanged');
  assert.deepEqual(counts(back, Object.keys(backBefore)), backBefore, 'SQLite unchanged');
  assert.equal(psql(own, 'postgres', "SELECT count(*) FROM pg_database WHERE datname = 'nosuch'").trim(), '0',
    'no database made');
});

test('migrate --to is all or nothing: a copy that fails keeps nothing, and can be made again', async () => {
  // A database palaver init has made (as the service would, pointed at
  // it before the move), where the audit log takes no row.
  const name = `migrate_${process.pid}_2`;
  const u = pgCreate(own, name);
  const conf = path.join(back.dir, 'pg.conf');
  fs.writeFileSync(conf, `[database]\nurl = ${u}\n[privacy]\nkey_file = ${path.join(back.dir, 'palaver.key')}\n`);
  fs.chmodSync(conf, 0o644);
  try {
    const init = run(['-c', conf, 'init']);
    assert.equal(init.status, 0, init.stderr);
    const made = tables().map((t) => [t, pgSql(own, name, `SELECT count(*) AS n FROM ${t}`)[0].n]);
    pgSql(own, name, `CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'no audit here'; END $$;
      CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION no_audit()`);
    const r = back.cli(['migrate', '--to', u]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /no audit here[^]*nothing was copied to /);
    assert.deepEqual(tables().map((t) => [t, pgSql(own, name, `SELECT count(*) AS n FROM ${t}`)[0].n]), made,
      'every table as palaver init left it');
    pgSql(own, name, 'DROP TRIGGER no_audit ON audit; DROP FUNCTION no_audit()');
    const again = back.cli(['migrate', '--to', u]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(rows({ sql: (q) => pgSql(own, name, q) }, 'comments'), rows(back, 'comments'));
  } finally {
    pgDrop(own, name);
  }
});
