// lib.mjs: start the real palaver (the ASan build, or the one PALAVER_BIN
// names, such as the TSan build) behind real nginx on a free loopback port
// with a temporary database, and talk to it over HTTP.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.PALAVER_BIN || path.join(ROOT, 'build/asan/palaver');
const IS_ROOT = process.getuid() === 0;
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

export class Server {
  // overrides: { section: { key: value } } over conf/palaver.conf; env:
  // extra environment for palaver (what a spam hook may be given).
  constructor(overrides = {}, env = {}) {
    this.overrides = overrides;
    this.env = env;
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
    o.database = { path: this.db, ...(o.database || {}) };
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
    this.db = path.join(this.dir, 'palaver.db');
    this.sock = path.join(this.dir, 'palaver.sock');
    this.conf = path.join(this.dir, 'palaver.conf');
    this.port = await freePort();
    this.writeConfig();
    if (IS_ROOT) execFileSync('chown', ['-R', 'palaver:palaver', this.dir]);
    const init = this.cli(['init']);
    if (init.status !== 0) throw new Error(`palaver init failed: ${init.stderr}`);
    await this.startPalaver();
    await this.startNginx();
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
    this.port = this.port || await freePort();
    const tpl = fs.readFileSync(path.join(ROOT, 'conf/dev/nginx.conf.in'), 'utf8');
    const conf = tpl.replaceAll('@VAR@', this.dir).replaceAll('@ROOT@', ROOT)
      .replaceAll('@PORT@', String(this.port)).replaceAll('@SOCK@', this.sock)
      .replaceAll('@USER@', IS_ROOT ? 'user palaver palaver;' : '')
      .replaceAll('@ACCESS_LOG@', 'off');
    fs.writeFileSync(path.join(this.dir, 'nginx.conf'), conf);
    this.nginx = spawn('nginx', ['-c', path.join(this.dir, 'nginx.conf'), '-p', this.dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.nginxErr = '';
    this.nginx.stderr.on('data', (d) => { this.nginxErr += d; });
    this.base = `http://127.0.0.1:${this.port}`;
    for (let i = 0; i < 200; i++) {
      try {
        await fetch(this.base + '/static/palaver.css');
        return;
      } catch {
        if (this.nginx.exitCode !== null) break;
        await sleep(50);
      }
    }
    throw new Error(`nginx did not start: ${this.nginxErr}`);
  }

  log() {
    try { return fs.readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  // Fail on any sanitizer report so far.
  assertClean() {
    const log = this.log();
    if (SAN_RE.test(log)) throw new Error(`sanitizer report in palaver's log:\n${log}`);
  }

  async fetch(p, opts = {}) {
    return fetch(this.base + p, { redirect: 'manual', ...opts });
  }

  async get(p, opts = {}) {
    const r = await this.fetch(p, opts);
    return { status: r.status, headers: r.headers, body: await r.text() };
  }

  sql(query) {
    const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', this.db, query], { encoding: 'utf8' });
    return out.trim() === '' ? [] : JSON.parse(out);
  }

  workers() {
    const out = spawnSync('pgrep', ['-P', String(this.proc.pid)], { encoding: 'utf8' }).stdout;
    return out.split('\n').filter(Boolean).map(Number);
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
    if (!process.env.KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

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
