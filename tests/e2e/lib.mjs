// lib.mjs: start the real palaver (the ASan build, or the one PALAVER_BIN
// names, such as the TSan build) behind real nginx on a free loopback port
// with a temporary database, and talk to it over HTTP.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.PALAVER_BIN || path.join(ROOT, 'build/asan/palaver');
const IS_ROOT = process.getuid() === 0;

// The backend every Server uses: SQLite files, or databases in the
// throwaway PostgreSQL cluster tests/pg.sh started (PALAVER_TEST_PG is its
// directory, the unix socket's too).
export const PG = process.env.PALAVER_TEST_PG || '';
export const BACKEND = PG ? 'postgres' : 'sqlite';
export const PGBIN = process.env.PALAVER_PGBIN || '/usr/lib/postgresql/15/bin';
let pgCount = 0;
const RUNAS = IS_ROOT ? ['setpriv', '--reuid=palaver', '--regid=palaver', '--clear-groups'] : [];

// Sanitizer reports that fail a test wherever they appear in the log:
// ASan, LSan and UBSan; ThreadSanitizer's reports ("WARNING:
// ThreadSanitizer: data race"), its summaries and its fatal errors
// ("SUMMARY: ThreadSanitizer:", "FATAL: ThreadSanitizer:",
// "ThreadSanitizer: reported 2 warnings").
export const SAN_RE = new RegExp([
  'ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:',
  'SUMMARY: UndefinedBehaviorSanitizer', 'WARNING: ThreadSanitizer',
  'ThreadSanitizer:',
].join('|'));

export const SAN_ENV = {
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  LSAN_OPTIONS: 'suppressions=' + path.join(ROOT, 'tests/lsan.supp'),
  // TSan keeps going after a report (halt_on_error=0) so that one run
  // shows every race, not the first; the report in the log fails the test
  // (assertClean) and a process that reported exits with 66. Both stacks
  // of a lock-order inversion, and a longer history so the other side of
  // a race is not "failed to restore the stack".
  TSAN_OPTIONS: 'halt_on_error=0:second_deadlock_stack=1:history_size=4',
};

function ensureUser() {
  if (!IS_ROOT) return;
  if (spawnSync('getent', ['passwd', 'palaver']).status !== 0) {
    execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent',
      '--shell', '/usr/sbin/nologin', 'palaver']);
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Render conf/palaver.conf with overrides: { section: { key: value } }.
export function makeConfig(base, overrides) {
  let text = fs.readFileSync(path.join(ROOT, 'conf/palaver.conf'), 'utf8');
  const lines = text.split('\n');
  let section = '';
  const seen = new Set();
  const out = [];
  for (const line of lines) {
    const m = line.match(/^\[(\w+)\]/);
    if (m) {
      // Append overrides not present in the file before leaving a section.
      section = m[1];
    }
    const kv = line.match(/^(\w+)\s*=/);
    if (kv && overrides[section] && kv[1] in overrides[section]) {
      out.push(`${kv[1]} = ${overrides[section][kv[1]]}`);
      seen.add(`${section}.${kv[1]}`);
      continue;
    }
    out.push(line);
  }
  for (const [sec, keys] of Object.entries(overrides)) {
    for (const [k, v] of Object.entries(keys)) {
      if (!seen.has(`${sec}.${k}`)) out.push(`[${sec}]`, `${k} = ${v}`);
    }
  }
  return out.join('\n');
}

// What a query may print (a whole table of a big site's comments).
const BIG = 1 << 28;

// psql as the cluster's superuser on database db; its output.
export function psql(dir, db, text, opts = {}) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-h', dir, '-U', 'postgres', '-d', db, '-c', text], { encoding: 'utf8', maxBuffer: BIG, ...opts });
}

// A fresh database in the cluster at dir, owned by the role palaver
// connects as; its URL.
export function pgCreate(dir, name) {
  psql(dir, 'postgres', `CREATE DATABASE ${name} OWNER palaver`);
  return `postgresql:///${name}?host=${dir}&user=palaver`;
}

export function pgDrop(dir, name) {
  psql(dir, 'postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// What sqlite3 -json gives, from PostgreSQL: a SELECT's rows as objects
// (the same column names, numbers as numbers, NULL as null); other
// statements run and give [].
export function pgSql(dir, db, query) {
  const q = query.trim().replace(/;\s*$/, '');
  const one = !/;/.test(q.replace(/'[^']*'/g, ''));
  if (one && /^(select|with|values)\b/i.test(q)) {
    const out = psql(dir, db, `SELECT coalesce(json_agg(q), '[]'::json) FROM (${q}) q`);
    return JSON.parse(out);
  }
  psql(dir, db, q);
  return [];
}

// What a test writes into its SQL where the engines differ; the rest of
// the SQL is the same for both.
export const SQL = PG ? {
  blob: (hex) => `'\\x${hex}'::bytea`,	// a key written out in hex
  hex: (e) => `upper(encode(${e}, 'hex'))`,	// a blob as hex, upper case
  now: 'extract(epoch from now())::bigint',	// unix seconds
  nl: 'chr(10)',	// a line feed in a string
  // How many comments the moderators' search finds for a word.
  searchCount: (w) => `SELECT count(*) AS n FROM comments WHERE
    to_tsvector('simple'::regconfig, palaver_words(body || ' ' || author || ' ' ||
    coalesce(email, ''))) @@ plainto_tsquery('simple', palaver_words('${w}'))`,
  // A column that matches a regular expression (SQLite: the GLOB given).
  match: (col, re, glob) => `${col} ~ '${re}'`,
  // The database's size: palaver's tables with their indexes.
  size: `SELECT sum(pg_total_relation_size(c.oid))::bigint AS b FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
  // What palaver reports as the database's size (/metrics).
  dbBytes: 'SELECT pg_database_size(current_database()) AS b',
  // Every insert into table fails as a full disk does, until undone.
  fullDisk: (table) => `CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
    CREATE TRIGGER disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION disk_full()`,
  fullDiskUndo: (table) => `DROP TRIGGER disk_full ON ${table}; DROP FUNCTION disk_full()`,
} : {
  blob: (hex) => `x'${hex}'`,
  hex: (e) => `hex(${e})`,
  now: "strftime('%s','now')",
  nl: 'char(10)',
  searchCount: (w) => `SELECT count(*) AS n FROM comments_fts WHERE comments_fts MATCH '${w}'`,
  match: (col, re, glob) => `${col} GLOB '${glob}'`,
  size: 'SELECT page_count * page_size AS b FROM pragma_page_count, pragma_page_size',
  dbBytes: 'SELECT page_count * page_size AS b FROM pragma_page_count, pragma_page_size',
  fullDisk: (table) => `CREATE TRIGGER disk_full BEFORE INSERT ON ${table} BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;`,
  fullDiskUndo: () => 'DROP TRIGGER disk_full',
};

// The database name for the n-th Server of this test process.
export function pgName() {
  return `e2e_${process.pid}_${++pgCount}`;
}

// Run the CLI; a sanitizer report on its standard error fails the caller
// even when the command was expected to fail anyway.
export function run(args, opts = {}) {
  const cmd = [...RUNAS, BIN, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), {
    encoding: 'utf8', env: { ...process.env, ...SAN_ENV, ...(opts.env || {}) },
    input: opts.input, cwd: opts.cwd || ROOT,
  });
  if (SAN_RE.test(r.stderr || '')) {
    throw new Error(`sanitizer report from palaver ${args.join(' ')}:\n${r.stderr}`);
  }
  return r;
}

// A request through nginx, redirects not followed.  A GET or HEAD is
// sent again, once, when the connection it went out on turns out closed,
// as browsers do: nginx closes a keep-alive connection idle for
// keepalive_timeout (15 s), and a test that blocked this process longer
// (a synchronous CLI run) has not yet seen it go.
async function request(url, opts) {
  const o = { redirect: 'manual', ...opts };
  try {
    return await fetch(url, o);
  } catch (e) {
    if (!/^(GET|HEAD)$/i.test(o.method || 'GET') || e.cause?.code !== 'UND_ERR_SOCKET') throw e;
    return fetch(url, o);
  }
}

async function bodyOf(r) {
  return { status: r.status, headers: r.headers, body: await r.text() };
}

export class Server {
  // overrides: { section: { key: value } } over conf/palaver.conf; env:
  // extra environment for palaver (what a spam hook may be given).
  // opts.share: another Server whose database this one uses too, with
  // a copy of its address key file (a second host of one site); opts.nginx
  // false: no nginx of its own (Hosts puts one in front of them all).
  // opts.sqlite: a SQLite file even when the run's backend is PostgreSQL
  // (a site that moves from one engine to the other); opts.key: another
  // Server whose address key file this one starts with (the same site on
  // a new database: a key that differs from the database's is refused).
  constructor(overrides = {}, env = {}, opts = {}) {
    this.overrides = overrides;
    this.env = env;
    this.opts = opts;
  }

  // Rewrite the configuration with more overrides and restart palaver.
  async reconfigure(overrides) {
    for (const [sec, keys] of Object.entries(overrides)) {
      this.overrides[sec] = { ...(this.overrides[sec] || {}), ...keys };
    }
    const r = await this.stopPalaver();
    if (r.code !== 0) throw new Error(`palaver exited with ${JSON.stringify(r)}`);
    this.assertClean();
    this.writeConfig();
    await this.startPalaver();
  }

  writeConfig() {
    const o = structuredClone(this.overrides);
    // Tests post without the page's form token unless they test it.
    o.spam = { min_submit_seconds: 0, ...(o.spam || {}) };
    o.database = this.url ? { path: '', url: this.url, ...(o.database || {}) }
      : { path: this.db, ...(o.database || {}) };
    o.server = { socket: this.sock, workers: 2, threads: 4, ...(o.server || {}) };
    // base_url 'auto': nginx's address in this test (mail links need it).
    if (o.site && o.site.base_url === 'auto') o.site.base_url = `http://127.0.0.1:${this.port}`;
    if (IS_ROOT) o.server.user = 'palaver';
    fs.writeFileSync(this.conf, makeConfig(null, o));
  }

  async start() {
    ensureUser();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-e2e-'));
    fs.chmodSync(this.dir, 0o755);
    fs.mkdirSync(path.join(this.dir, 'nginx-tmp'));
    const other = this.opts.share;
    // The cluster: the test run's, or one a test started (opts.cluster).
    this.pgdir = other ? other.pgdir : this.opts.sqlite ? '' : this.opts.cluster || PG;
    this.db = other ? other.db : path.join(this.dir, 'palaver.db');
    if (other && other.url) {
      this.pgdb = other.pgdb;
      this.url = other.url;
    } else if (this.pgdir) {
      this.pgdb = pgName();
      this.url = pgCreate(this.pgdir, this.pgdb);
    }
    // The hosts of one site hold the same address key file.
    const keyFrom = other || this.opts.key;
    if (keyFrom) fs.copyFileSync(path.join(keyFrom.dir, 'palaver.key'), path.join(this.dir, 'palaver.key'));
    this.sock = path.join(this.dir, 'palaver.sock');
    this.conf = path.join(this.dir, 'palaver.conf');
    this.port = await freePort();
    this.writeConfig();
    if (IS_ROOT) execFileSync('chown', ['-R', 'palaver:palaver', this.dir]);
    const init = this.cli(['init']);
    if (init.status !== 0) throw new Error(`palaver init failed: ${init.stderr}`);
    await this.startPalaver();
    if (this.opts.nginx !== false) await this.startNginx();
    return this;
  }

  cli(args, opts = {}) {
    return run(['-c', this.conf, ...args], opts);
  }

  async startPalaver() {
    this.logPath = path.join(this.dir, 'palaver.log');
    const log = fs.openSync(this.logPath, 'a');
    this.proc = spawn(BIN, ['-c', this.conf, 'serve'], {
      stdio: ['ignore', log, log], env: { ...process.env, ...SAN_ENV, ...this.env },
    });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve({ code, sig })));
    // Ready when the socket is there and palaver says it serves (after
    // it migrated and dropped root): a socket alone may still be a
    // start-up that fails.
    const from = fs.statSync(this.logPath).size;
    const serving = () => {
      const b = fs.readFileSync(this.logPath);
      return b.subarray(Math.min(from, b.length)).toString('utf8').includes(': serving on ');
    };
    for (let i = 0; i < 400; i++) {
      if (fs.existsSync(this.sock) && serving()) return;
      if (this.proc.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`palaver did not start:\n${this.log()}`);
  }

  async startNginx() {
    // A restart keeps the port (tests that stop nginx and start it again).
    Object.assign(this, await startNginx(this.dir, [this.sock], this.port));
  }

  log() {
    try { return fs.readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  // Fail on any sanitizer report so far.
  assertClean() {
    const log = this.log();
    if (SAN_RE.test(log)) throw new Error(`sanitizer report in palaver's log:\n${log}`);
  }

  fetch(p, opts = {}) { return request(this.base + p, opts); }

  async get(p, opts = {}) { return bodyOf(await this.fetch(p, opts)); }

  // The database's rows for a query, whichever the backend (the SQL is
  // what both engines take).
  sql(query) {
    if (this.url) return pgSql(this.pgdir, this.pgdb, query);
    const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', this.db, query],
      { encoding: 'utf8', maxBuffer: BIG });
    return out.trim() === '' ? [] : JSON.parse(out);
  }

  // SQLite's PRAGMA integrity_check, whichever the backend: on
  // PostgreSQL amcheck verifies every table's heap and every B-tree index
  // (with their tables); either says [{ integrity_check: 'ok' }] or what
  // is wrong.
  integrityCheck() {
    if (!this.url) return this.sql('PRAGMA integrity_check');
    psql(this.pgdir, this.pgdb, 'CREATE EXTENSION IF NOT EXISTS amcheck');
    const bad = pgSql(this.pgdir, this.pgdb, `SELECT c.relname, v.msg FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) v
      WHERE n.nspname = 'public' AND c.relkind = 'r'`);
    pgSql(this.pgdir, this.pgdb, `SELECT bt_index_check(c.oid, true) FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.amname = 'btree'`);
    return bad.length ? bad.map((b) => ({ integrity_check: `${b.relname}: ${b.msg}` })) : [{ integrity_check: 'ok' }];
  }

  // SQLite's PRAGMA foreign_key_check: rows whose reference is missing
  // (PostgreSQL refuses them as they are written; this looks anyway).
  foreignKeyCheck() {
    if (!this.url) return this.sql('PRAGMA foreign_key_check');
    return this.sql(`SELECT 'comments' AS "table", c.id AS rowid FROM comments c
      LEFT JOIN articles a ON a.id = c.article LEFT JOIN comments p ON p.id = c.parent
      WHERE a.id IS NULL OR (c.parent IS NOT NULL AND p.id IS NULL)`);
  }

  workers() {
    const out = spawnSync('pgrep', ['-P', String(this.proc.pid)], { encoding: 'utf8' }).stdout;
    return out.split('\n').filter(Boolean).map(Number);
  }

  // A crash of the whole server: SIGKILL to the supervisor, its workers
  // and whatever they run (hooks, sendmail), then wait until every one
  // has closed its files.  A worker the kernel has not finished yet
  // still holds the listening socket, and a new palaver would rightly
  // refuse to start beside it.
  async killHard() {
    const all = [this.proc.pid];
    for (let i = 0; i < all.length; i++) {
      const out = spawnSync('pgrep', ['-P', String(all[i])], { encoding: 'utf8' }).stdout;
      all.push(...out.split('\n').filter(Boolean).map(Number));
    }
    for (const pid of all) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await this.exited;
    const alive = (pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
      } catch { return false; }
    };
    for (let i = 0; i < 200 && all.some(alive); i++) await sleep(50);
    if (all.some(alive)) throw new Error(`killed, yet still running: ${all.filter(alive).join(' ')}`);
  }

  async stopPalaver() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    let timer;
    const timeout = new Promise((res) => { timer = setTimeout(() => res({ code: 'timeout' }), 40000); });
    const r = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return r;
  }

  async stop() {
    const t0 = Date.now();
    const r = await this.stopPalaver();
    if (process.env.DEBUG_STOP) console.error('palaver stopped in', Date.now() - t0);
    if (this.nginx && this.nginx.exitCode === null) {
      this.nginx.kill('SIGQUIT');
      await new Promise((res) => this.nginx.on('exit', res));
    }
    if (process.env.DEBUG_STOP) console.error('nginx stopped at', Date.now() - t0);
    this.assertClean();
    if (r.code !== 0) throw new Error(`palaver exited with ${JSON.stringify(r)}:\n${this.log()}`);
    if (!process.env.KEEP) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      if (this.url && !this.opts.share) pgDrop(this.pgdir, this.pgdb);
    }
  }
}

// conf/dev/nginx.conf.in for palaver on `socks`: one upstream over them
// all on a free port (base), and a port of its own for each (bases[i]),
// so a test can say which host serves a request.  In dir.
export async function startNginx(dir, socks, fixed) {
  const port = fixed || await freePort();
  const ports = [];
  for (let i = 0; i < socks.length; i++) ports.push(socks.length > 1 ? await freePort() : port);
  const tpl = fs.readFileSync(path.join(ROOT, 'conf/dev/nginx.conf.in'), 'utf8');
  let conf = tpl.replaceAll('@VAR@', dir).replaceAll('@ROOT@', ROOT)
    .replaceAll('@USER@', IS_ROOT ? 'user palaver palaver;' : '')
    .replaceAll('@ACCESS_LOG@', 'off');
  // Several hosts as README's upstream example has them: a host that
  // failed is tried again after two seconds (nginx's default is ten).
  const retry = socks.length > 1 ? ' max_fails=1 fail_timeout=2s' : '';
  conf = conf.replace(/server unix:@SOCK@([^;]*);/, (m, rest) => socks.map((k) => `server unix:${k}${rest}${retry};`).join('\n\t\t'));
  const server = conf.match(/\n\tserver \{[\s\S]*?\n\t\}\n/)[0];
  const each = socks.length > 1 ? socks.map((k, i) => server.replaceAll('@PORT@', String(ports[i]))
    .replaceAll('fastcgi_pass palaver;', `fastcgi_pass unix:${k};`)).join('') : '';
  conf = conf.replace(server, server + each).replaceAll('@PORT@', String(port));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const out = { nginx, nginxErr: '', port, base: `http://127.0.0.1:${port}`,
    bases: ports.map((p) => `http://127.0.0.1:${p}`) };
  nginx.stderr.on('data', (d) => { out.nginxErr += d; });
  for (const b of [out.base, ...out.bases]) {
    for (let i = 0; ; i++) {
      try {
        await fetch(b + '/static/palaver.css');
        break;
      } catch {
        if (nginx.exitCode !== null || i >= 200) throw new Error(`nginx did not start: ${out.nginxErr}`);
        await sleep(50);
      }
    }
  }
  return out;
}

// Several palaver hosts of one site: n palaver processes (each with its
// own configuration, socket and log, as on separate machines) on one
// database, with the same address key file, behind one nginx whose
// upstream takes them in turn (base); hosts[i].base reaches host i only.
export class Hosts {
  // opts.cluster: a PostgreSQL cluster of the test's own (Server).
  constructor(n, overrides = {}, env = {}, opts = {}) {
    this.n = n;
    this.overrides = overrides;
    this.env = env;
    this.opts = opts;
  }

  async start() {
    this.hosts = [];
    for (let i = 0; i < this.n; i++) {
      const h = new Server(structuredClone(this.overrides), this.env,
        { share: this.hosts[0], nginx: false, cluster: this.opts.cluster });
      await h.start();
      this.hosts.push(h);
    }
    this.dir = this.hosts[0].dir;
    const ng = await startNginx(this.dir, this.hosts.map((h) => h.sock));
    Object.assign(this, ng);
    this.hosts.forEach((h, i) => { h.base = ng.bases[i]; h.port = Number(new URL(ng.bases[i]).port); });
    return this;
  }

  sql(q) { return this.hosts[0].sql(q); }

  fetch(p, opts = {}) { return request(this.base + p, opts); }

  async get(p, opts = {}) { return bodyOf(await this.fetch(p, opts)); }

  async stop() {
    if (this.nginx && this.nginx.exitCode === null) {
      this.nginx.kill('SIGQUIT');
      await new Promise((res) => this.nginx.on('exit', res));
    }
    // The first host owns the database: it goes last.
    for (const h of [...this.hosts].reverse()) await h.stop();
  }
}

// The same path with a query parameter palaver ignores and nginx has never
// been asked for, so the answer is palaver's own at this moment, never a
// copy nginx's microcache kept for up to a second (conf/dev/nginx.conf.in).
// For tests of what palaver answers after a change; microcache.test.mjs
// tests what readers of the shared copies see, and how soon.
let freshCount = 0;
export function freshArg() {
  return `fresh=${process.pid}-${++freshCount}`;
}
export function fresh(p) {
  return `${p}${p.includes('?') ? '&' : '?'}${freshArg()}`;
}

// Until just after the next wall-clock second begins.
export async function secondStart() {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

// Runs fn (a few requests) within one wall-clock second, from its start,
// and again (up to five times) if a slow run spilled into the next:
// nginx keeps a shared copy to the end of the second it was made in
// (src/http/cache.c), so a second request that crossed the boundary finds
// it expired however fast palaver was.
export async function inOneSecond(fn) {
  for (let i = 1; ; i++) {
    await secondStart();
    const t0 = Math.floor(Date.now() / 1000);
    const r = await fn();
    if (Math.floor(Date.now() / 1000) === t0 || i === 5) return r;
  }
}

// What palaver says of a public read (src/http/cache.c): shared caches may
// keep it a second; browsers ask again each time.
export const PUBLIC = 'public, max-age=0, s-maxage=1';

// Every response carries these.
export function assertSecurityHeaders(assert, headers) {
  assert.match(headers.get('content-type') || '', /charset=utf-8/);
  assert.equal(headers.get('x-content-type-options'), 'nosniff');
  assert.match(headers.get('content-security-policy') || '', /default-src 'none'/);
  assert.match(headers.get('content-security-policy') || '', /frame-ancestors/);
  assert.ok(headers.get('referrer-policy'));
}

// A moderator session: log in through the form as a browser would.
export async function modLogin(s, name, password) {
  const g = await s.get('/mod/login');
  const ck = (g.headers.get('set-cookie') || '').split(';')[0];
  const csrf = g.body.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await s.fetch('/mod/login', { method: 'POST',
    body: new URLSearchParams({ name, password, csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ck } });
  if (r.status !== 303) throw new Error(`login failed: ${r.status}`);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('palaver_session=')).split(';')[0];
  const q = await s.get('/mod/', { headers: { cookie } });
  return { cookie, csrf: q.body.match(/name="csrf" value="([^"]+)"/)[1] };
}

// A moderator's form post (CSRF token added).
export async function modPost(s, who, path, fields = {}) {
  const r = await s.fetch(path, { method: 'POST',
    body: new URLSearchParams({ csrf: who.csrf, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie } });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

// The batch a moderator's action names in its Location (?done=ID), for
// Undo; the action must have answered 303.
export function doneOf(r) {
  assert.equal(r.status, 303, r.body);
  const m = r.headers.get('location').match(/[?&]done=(\d+)$/);
  assert.ok(m, r.headers.get('location'));
  return Number(m[1]);
}
