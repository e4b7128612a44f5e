// makerun.test.mjs: `make run` as a newcomer meets it.  conf/dev/run.sh
// (what `make run` runs after building) starts the real binary and the real
// nginx in a temporary VAR directory on a free port, never the developer's
// var/ or port 8080: it fails fast and names the port when the port is
// taken, prints its banner only once a page came through nginx, keeps the
// request log out of the terminal, keeps a changed setting across a
// restart, and the banner's command-line line works as printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, BIN, SAN_ENV, SAN_RE, freePort, makeConfig, modLogin, fresh } from './lib.mjs';

const IS_ROOT = process.getuid() === 0;
const dirs = [];
const runs = [];

// The environment of a developer's shell: nothing from an outer make (its
// jobserver, its level) and none of run.sh's own settings.
function shellEnv(extra = {}) {
  const env = { ...process.env, ...SAN_ENV };
  for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'PORT',
    'VAR', 'CONF', 'VERBOSE', 'PALAVER_CONF', 'ARGS']) delete env[k];
  return { ...env, ...extra };
}

function tmpVar() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-run-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

// Processes whose command line names the directory (palaver, nginx).
function leftOver(dir) {
  return spawnSync('pgrep', ['-af', dir], { encoding: 'utf8' }).stdout.trim();
}

// conf/dev/run.sh with the ASan build (so its log is checked for sanitizer
// reports), or with `make: true`, `make run` itself (the release build).
class Run {
  constructor(dir, port, env = {}, { make = false } = {}) {
    this.dir = dir;
    this.port = port;
    this.out = '';
    this.err = '';
    this.t0 = Date.now();
    const cmd = make ? ['make', 'run'] : ['sh', path.join(ROOT, 'conf/dev/run.sh')];
    // Its own process group, as a terminal gives it: Ctrl-C is SIGINT to
    // the group.
    this.proc = spawn(cmd[0], cmd.slice(1), {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: shellEnv({ PORT: String(port), VAR: dir, ...(make ? {} : { PALAVER_BIN: BIN }), ...env }),
    });
    this.proc.stdout.setEncoding('utf8').on('data', (d) => { this.out += d; });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => { this.err += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) =>
      resolve({ code, signal, ms: Date.now() - this.t0 })));
    runs.push(this);
  }

  // The banner is out (its last line is "stop"), or run.sh has exited.
  async ready(ms = 60000) {
    const deadline = Date.now() + ms;
    while (!/\n {2}stop {2,}Ctrl-C\n/.test(this.out)) {
      if (this.proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no banner (exit ${this.proc.exitCode}):\n${this.out}\n${this.err}`);
      }
      await sleep(50);
    }
    return this;
  }

  async exit(ms) {
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); });
    const r = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (r === null) throw new Error(`run.sh still running after ${ms} ms:\n${this.out}\n${this.err}`);
    return r;
  }

  // Ctrl-C: run.sh stops palaver and nginx, says so, and exits 0.
  async stop() {
    process.kill(-this.proc.pid, 'SIGINT');
    const r = await this.exit(40000);
    assert.equal(r.code, 0, `${this.out}\n${this.err}`);
    assert.match(this.out, /\nstopped\.\n$/);
    assert.equal(leftOver(this.dir), '', 'palaver and nginx are gone');
  }

  kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      try { process.kill(-this.proc.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }

  // As lib.mjs's Server does, so modLogin works on it.
  fetch(p, opts = {}) {
    return fetch(`http://127.0.0.1:${this.port}${p}`, { redirect: 'manual', ...opts });
  }

  async get(p, opts = {}) {
    const r = await this.fetch(p, opts);
    return { status: r.status, headers: r.headers, body: await r.text() };
  }

  banner(label) {
    const m = this.out.match(new RegExp(`\\n {2}${label} +(.*)\\n`));
    assert.ok(m, `banner line "${label}":\n${this.out}`);
    return m[1];
  }
}

after(() => {
  for (const r of runs) r.kill();
  if (!process.env.KEEP) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

// A command line as the banner prints it, typed into a shell in the checkout.
function typed(line, input) {
  return spawnSync('sh', ['-c', line], {
    cwd: ROOT, encoding: 'utf8', input, env: shellEnv(), timeout: 60000,
  });
}

async function listen(host, port) {
  const s = net.createServer();
  await new Promise((resolve, reject) => {
    s.on('error', reject);
    s.listen({ host, port, ipv6Only: false }, resolve);
  });
  return s;
}

test('make run on a port taken on 127.0.0.1: fails within 5 s, naming the port, serving nothing', async () => {
  // make run builds build/palaver when it is out of date: not here (the e2e
  // target builds it first), or this test would time the compiler.
  const q = spawnSync('make', ['-q', 'build/palaver'], { cwd: ROOT, env: shellEnv() });
  assert.equal(q.status, 0, 'build/palaver is up to date (make e2e builds it)');
  const port = await freePort();
  const busy = await listen('127.0.0.1', port);
  try {
    const dir = tmpVar();
    const run = new Run(dir, port, {}, { make: true });
    const r = await run.exit(5000);
    assert.equal(r.code, 2, `make's status for a failed recipe:\n${run.out}\n${run.err}`);
    assert.match(run.err, /make: \*\*\* \[Makefile:\d+: run\] Error 1/);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.match(run.err, new RegExp(`port ${port} is taken.*127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(run.out, /serving/);
    assert.equal(leftOver(dir), '');
  } finally {
    busy.close();
  }
});

test('a port taken by an IPv6 listener that takes IPv4 too: refused at once, named', async (t) => {
  const port = await freePort();
  let busy;
  try {
    busy = await listen('::', port);
  } catch (e) {
    if (e.code !== 'EAFNOSUPPORT' && e.code !== 'EADDRNOTAVAIL') throw e;
    t.skip(`no IPv6 on this machine (${e.code})`);
    return;
  }
  try {
    const dir = tmpVar();
    const run = new Run(dir, port);
    const r = await run.exit(15000);
    assert.equal(r.code, 1, run.err);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.match(run.err, new RegExp(`port ${port} is taken`));
    assert.doesNotMatch(run.out, /serving/);
    assert.equal(leftOver(dir), '');
  } finally {
    busy.close();
  }
});

test('a bad setting (CONF=file): palaver\'s message, a non-zero exit, serving nothing', async () => {
  const dir = tmpVar();
  const conf = path.join(dir, 'mine.conf');
  fs.writeFileSync(conf, makeConfig(null, {
    database: { path: path.join(dir, 'palaver.db') }, server: { threads: 'lots' },
  }));
  const run = new Run(dir, await freePort(), { CONF: conf });
  const r = await run.exit(15000);
  assert.equal(r.code, 1, run.err);
  assert.match(run.err, /threads/);
  assert.match(run.err, /palaver init failed/);
  assert.doesNotMatch(run.out, /serving/);
  assert.ok(!fs.existsSync(path.join(dir, 'palaver.conf')), 'no var/palaver.conf made beside CONF');
  assert.equal(leftOver(dir), '');
});

const WXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old Blog</title><link>https://old.example.com</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title>Imported by make cli</title>
    <link>https://old.example.com/2015/01/28/imported/</link>
    <wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
    <wp:post_date_gmt>2015-01-28 10:00:00</wp:post_date_gmt>
    <wp:comment>
      <wp:comment_id>7</wp:comment_id>
      <wp:comment_author><![CDATA[Old Reader]]></wp:comment_author>
      <wp:comment_date_gmt>2015-01-28 11:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[From the old blog.]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
</channel>
</rss>
`;

test('the banner, the log in VAR, the CLI line as printed, a setting kept across a restart', async () => {
  const dir = tmpVar();
  const conf = path.join(dir, 'palaver.conf');
  const log = path.join(dir, 'palaver.log');

  // First start: a new palaver.conf, a new database, the banner.
  let run = await new Run(dir, await freePort()).ready();
  assert.match(run.out, new RegExp(`palaver is serving at http://127\\.0\\.0\\.1:${run.port}/\\n`));
  const [who, pw] = fs.readFileSync(path.join(dir, 'admin-login.txt'), 'utf8').trim().split(' ');
  assert.equal(run.banner('moderators'),
    `http://127.0.0.1:${run.port}/mod/login as ${who}, password ${pw}`);
  // The login it prints works.
  const mod = await modLogin(run, who, pw);
  assert.equal((await run.get('/mod/', { headers: { cookie: mod.cookie } })).status, 200);
  assert.match(run.banner('settings'), new RegExp(`^${conf} \\(new, from conf/palaver\\.conf`));
  assert.match(run.banner('request log'), new RegExp(`^${log} \\(VERBOSE=1 make run`));
  if (IS_ROOT) assert.match(run.banner('as root'), /run as the user palaver/);
  // Only the paths run.sh needs were changed in the copy.
  const made = fs.readFileSync(conf, 'utf8');
  assert.match(made, new RegExp(`\\npath = ${dir}/palaver\\.db\\n`));
  assert.match(made, new RegExp(`\\nsocket = ${dir}/palaver\\.sock\\n`));
  assert.match(made, /\nuser =\n/);

  // Requests go to the log, not to the terminal.
  assert.equal((await run.get('/articles/1')).status, 200);
  for (let i = 0; i < 50 && !fs.readFileSync(log, 'utf8').includes('GET /articles/1 200'); i++) await sleep(50);
  assert.match(fs.readFileSync(log, 'utf8'), /GET \/articles\/1 200/);
  assert.doesNotMatch(run.out + run.err, /GET \/articles/);

  // The banner's command line, typed as printed.
  const line = run.banner('command line').split('   (')[0];
  assert.match(line, /^make cli .*ARGS="user list"$/);
  let r = typed(line);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^admin\b/m);
  if (IS_ROOT) assert.match(r.stderr, /you are root: running palaver as the user palaver/);
  // README's next steps, the same way: a moderator, an import.
  r = typed(line.replace('ARGS="user list"', 'ARGS="user add ann --role moderator"'),
    'a password for ann 1\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(typed(line).stdout, /^ann\s+moderator\b/m);
  const wxr = path.join(dir, 'old.xml');
  fs.writeFileSync(wxr, WXR);
  fs.chmodSync(wxr, 0o644);
  r = typed(line.replace('ARGS="user list"', `ARGS="import wordpress ${wxr}"`));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imported 1 articles \(1 new\), 1 comments/);
  // On palaver's next answer (nginx's copy of the list may be a second
  // or two older: README, Performance).
  assert.match((await run.get(fresh('/'))).body, /Imported by make cli/);
  await run.stop();

  // A changed setting, and a restart: the file is kept as it is and used.
  const mine = made.replace(/\nname = palaver\n/, '\nname = Kept across restarts\n');
  assert.notEqual(mine, made);
  fs.writeFileSync(conf, mine);
  run = await new Run(dir, await freePort(), { VERBOSE: '1' }).ready();
  assert.equal(fs.readFileSync(conf, 'utf8'), mine);
  assert.match(run.banner('settings'), new RegExp(`^${conf} \\(edit it, then restart\\)$`));
  // Past nginx's microcache: its copy of the list is kept in VAR across
  // the restart, and the first run's may still be served for a second.
  const page = await run.get(fresh('/'));
  assert.equal(page.status, 200);
  assert.match(page.body, /Kept across restarts/);
  assert.match(page.body, /Imported by make cli/, 'the same database');
  // VERBOSE=1: the request log in the terminal as well.
  assert.match(run.banner('request log'), /shown below/);
  await run.get('/articles/1?verbose');
  for (let i = 0; i < 50 && !run.out.includes('GET /articles/1 200'); i++) await sleep(50);
  assert.match(run.out, /GET \/articles\/1 200/);

  // A second make run on the same directory would steal the socket: refused.
  const other = new Run(dir, await freePort());
  const o = await other.exit(10000);
  assert.equal(o.code, 1, other.err);
  assert.match(other.err, /another make run is using/);
  assert.equal((await run.get('/')).status, 200, 'the first one still serves');

  await run.stop();
  assert.doesNotMatch(fs.readFileSync(log, 'utf8'), SAN_RE);
});
