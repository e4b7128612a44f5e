// akismet.test.mjs: the Akismet spam hook (conf/hooks/akismet) against a fake
// Akismet on a loopback port, run the way palaver runs it: a clean
// environment, the comment as JSON on standard input, the verdict on the
// first line of standard output; and under conf/palaver.service's
// restrictions (tests/e2e/sandbox.py), as the installed service runs it.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const HOOK = path.join(ROOT, 'conf/hooks/akismet');
const PYTHON = '/usr/bin/python3';
const UNIT = path.join(ROOT, 'conf/palaver.service');
const SANDBOX = [PYTHON, path.join(ROOT, 'tests/e2e/sandbox.py')];
const KEY = 'test-key';
const THANKS = 'Thanks for making the web a better place.';

const COMMENT = {
  comment: {
    author: 'Ann Reader', email: 'ann@example.org', website: 'https://ann.example.org/',
    body: 'Nice post, thanks!\nÜnïcödé — 🎉 & a=b+c%20', parent: null, type: 'comment',
  },
  article: { uri: '/2026/11/x/', title: 'X marks', permalink: 'https://blog.example.com/2026/11/x/' },
  request: { address: '203.0.113.7', user_agent: 'Mozilla/5.0 (X11; Linux x86_64)', referrer: 'https://blog.example.com/' },
  site: { url: 'https://blog.example.com/', lang: 'en', charset: 'UTF-8' },
};
const COMMENT_FORM = {
  api_key: KEY,
  blog: 'https://blog.example.com/',
  user_ip: '203.0.113.7',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
  referrer: 'https://blog.example.com/',
  permalink: 'https://blog.example.com/2026/11/x/',
  comment_type: 'comment',
  comment_author: 'Ann Reader',
  comment_author_email: 'ann@example.org',
  comment_author_url: 'https://ann.example.org/',
  comment_content: 'Nice post, thanks!\nÜnïcödé — 🎉 & a=b+c%20',
  blog_lang: 'en',
  blog_charset: 'UTF-8',
};

// A reply with no e-mail, no website and no referrer: those are left out.
const REPLY = {
  ...COMMENT,
  comment: { author: 'Bob', email: null, website: null, body: 'I disagree.', parent: 12, type: 'reply' },
  request: { address: '2001:db8::7', user_agent: 'curl/8.0', referrer: null },
};
const REPLY_FORM = {
  api_key: KEY,
  blog: 'https://blog.example.com/',
  user_ip: '2001:db8::7',
  user_agent: 'curl/8.0',
  permalink: 'https://blog.example.com/2026/11/x/',
  comment_type: 'reply',
  comment_author: 'Bob',
  comment_content: 'I disagree.',
  blog_lang: 'en',
  blog_charset: 'UTF-8',
};

function pythonMissing() {
  return fs.existsSync(PYTHON) ? null
    : `${PYTHON} is missing: the Akismet hook needs Debian's python3 ` +
      '(apt-get install python3; conf/dev/deps.sh test should install it)';
}

test('python3 is installed for the hook', () => {
  assert.equal(pythonMissing(), null);
  fs.accessSync(HOOK, fs.constants.X_OK);
});

// The fake Akismet: records every request and answers with `answer`.
let server;
let port;
let requests = [];
let answer;

function reply(body, headers = {}, status = 200) {
  return (req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };
}

async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const p = s.address().port;
  await new Promise((resolve) => s.close(resolve));
  return p;
}

// Run the hook as palaver does; every run checks the key stays secret.
// `wrap`: a command that runs the hook (the unit's sandbox, below).
function runHook(args, input, env = {}, wrap = []) {
  const full = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    AKISMET_KEY: KEY,
    AKISMET_URL: `http://127.0.0.1:${port}`,
    ...env,
  };
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const argv = [...wrap, HOOK, ...args];
    const child = spawn(argv[0], argv.slice(1), { env: full, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('error', (e) => { clearTimeout(killer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const r = { code, signal, stdout, stderr, ms: Date.now() - t0 };
      assert.ok(!stdout.includes(KEY), `API key on stdout: ${JSON.stringify(r)}`);
      assert.ok(!stderr.includes(KEY), `API key on stderr: ${JSON.stringify(r)}`);
      resolve(r);
    });
    child.stdin.on('error', () => {}); // the hook may exit before reading
    child.stdin.end(typeof input === 'string' || Buffer.isBuffer(input) ? input : JSON.stringify(input));
  });
}

function firstLine(s) {
  return s.split('\n')[0];
}

// A failure: exit 1, a one-line reason on stderr, no score on stdout.
function assertFailed(r, re) {
  assert.equal(r.code, 1, JSON.stringify(r));
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.match(r.stderr, /^akismet: .+\n$/, 'one line on stderr');
  if (re) assert.match(r.stderr, re);
}

function onlyRequest(pathname) {
  assert.equal(requests.length, 1, `one request, got ${requests.length}`);
  const q = requests[0];
  assert.equal(q.method, 'POST');
  assert.equal(q.path, pathname);
  assert.match(q.headers['content-type'], /^application\/x-www-form-urlencoded\b/);
  const keys = q.entries.map(([k]) => k);
  assert.equal(new Set(keys).size, keys.length, `no repeated fields: ${keys}`);
  return q.form;
}

describe('akismet hook', () => {
  before(async () => {
    const missing = pythonMissing();
    if (missing) throw new Error(missing);
    server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const entries = [...new URLSearchParams(raw)];
        requests.push({
          method: req.method, path: req.url, headers: req.headers, raw,
          entries, form: Object.fromEntries(entries),
        });
        answer(req, res);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  });

  after(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests = [];
    answer = reply('false');
  });

  describe('check', () => {
    test('a top-level comment: the full parameter set, ham', async () => {
      const r = await runHook(['check'], COMMENT);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0 akismet: ham');
      assert.deepEqual(onlyRequest('/1.1/comment-check'), COMMENT_FORM);
      assert.match(requests[0].headers['user-agent'], /palaver/);
    });

    test('a reply: comment_type reply, absent values left out', async () => {
      const r = await runHook(['check'], REPLY);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0 akismet: ham');
      assert.deepEqual(onlyRequest('/1.1/comment-check'), REPLY_FORM);
    });

    test('check is the mode without an argument', async () => {
      const r = await runHook([], COMMENT);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0 akismet: ham');
      assert.deepEqual(onlyRequest('/1.1/comment-check'), COMMENT_FORM);
    });

    test('AKISMET_BLOG overrides site.url', async () => {
      const r = await runHook(['check'], COMMENT, { AKISMET_BLOG: 'https://other.example.net/' });
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.deepEqual(onlyRequest('/1.1/comment-check'),
        { ...COMMENT_FORM, blog: 'https://other.example.net/' });
    });

    test('true is spam: 0.9', async () => {
      answer = reply('true');
      const r = await runHook(['check'], COMMENT);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0.9 akismet: spam');
    });

    test('true with X-akismet-pro-tip: discard is blatant spam: 1.0', async () => {
      answer = reply('true', { 'X-akismet-pro-tip': 'discard' });
      const r = await runHook(['check'], COMMENT);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '1.0 akismet: blatant spam (discard)');
    });

    test('invalid (a bad key) fails with the debug help on stderr', async () => {
      answer = reply('invalid', { 'X-akismet-debug-help': 'We were unable to verify your API key.' });
      const r = await runHook(['check'], COMMENT);
      assertFailed(r, /We were unable to verify your API key\./);
      assert.equal(requests.length, 1);
    });

    test('the key is blanked out even when Akismet echoes it', async () => {
      answer = reply('invalid', { 'X-akismet-debug-help': `Key ${KEY} is not valid for this site` });
      const r = await runHook(['check'], COMMENT); // runHook asserts the key is absent
      assertFailed(r, /is not valid for this site/);
    });

    test('any other body fails', async () => {
      answer = reply('maybe');
      assertFailed(await runHook(['check'], COMMENT), /maybe/);
      answer = reply('');
      assertFailed(await runHook(['check'], COMMENT));
    });

    test('HTTP 500 fails', async () => {
      answer = reply('true', {}, 500);
      assertFailed(await runHook(['check'], COMMENT), /500/);
    });

    test('a server that never answers fails within AKISMET_TIMEOUT', async () => {
      answer = () => {}; // hold the request open
      const r = await runHook(['check'], COMMENT, { AKISMET_TIMEOUT: '0.5' });
      assertFailed(r);
      assert.equal(requests.length, 1);
      assert.ok(r.ms >= 450, `gave up too early: ${r.ms} ms`);
      assert.ok(r.ms < 500 + 2000, `took ${r.ms} ms (python start-up is the slack; without the limit it would hang)`);
    });

    test('a server that trickles its answer fails within AKISMET_TIMEOUT', async () => {
      answer = (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '40' });
        res.flushHeaders();
        const t = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(t));
      };
      const r = await runHook(['check'], COMMENT, { AKISMET_TIMEOUT: '0.5' });
      assertFailed(r);
      assert.ok(r.ms < 500 + 2000, `took ${r.ms} ms (python start-up is the slack; without the limit it would hang)`);
    });

    test('an answer cut short fails', async () => {
      answer = (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
        res.write('tr');
        setTimeout(() => res.destroy(), 50);
      };
      assertFailed(await runHook(['check'], COMMENT));
    });

    test('a bad AKISMET_URL fails', async () => {
      assertFailed(await runHook(['check'], COMMENT, { AKISMET_URL: 'not a url' }));
      assertFailed(await runHook(['check'], COMMENT, { AKISMET_URL: 'http://127.0.0.1:port' }));
    });

    test('connection refused fails', async () => {
      const p = await closedPort();
      const r = await runHook(['check'], COMMENT, { AKISMET_URL: `http://127.0.0.1:${p}` });
      assertFailed(r, /refused/i);
    });

    test('missing keys in the JSON are left out, not fatal', async () => {
      const r = await runHook(['check'], { comment: { body: 'hi' }, site: { url: 'https://b.example/' }, request: 'junk' });
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0 akismet: ham');
      assert.deepEqual(onlyRequest('/1.1/comment-check'),
        { api_key: KEY, blog: 'https://b.example/', comment_type: 'comment', comment_content: 'hi' });
    });
  });

  describe('feedback', () => {
    for (const mode of ['submit-spam', 'submit-ham']) {
      test(`${mode}: same parameters, exit 0 on thanks`, async () => {
        answer = reply(THANKS);
        let r = await runHook([mode], COMMENT);
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.deepEqual(onlyRequest(`/1.1/${mode}`), COMMENT_FORM);
        requests = [];
        r = await runHook([mode], REPLY);
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.deepEqual(onlyRequest(`/1.1/${mode}`), REPLY_FORM);
      });

      test(`${mode}: exit 1 on any other answer`, async () => {
        answer = reply('invalid', { 'X-akismet-debug-help': 'Bad key for submit.' });
        assertFailed(await runHook([mode], COMMENT), /Bad key for submit\./);
        answer = reply('false');
        assertFailed(await runHook([mode], COMMENT));
        answer = reply(THANKS, {}, 503);
        assertFailed(await runHook([mode], COMMENT), /503/);
        const p = await closedPort();
        assertFailed(await runHook([mode], COMMENT, { AKISMET_URL: `http://127.0.0.1:${p}` }));
      });
    }
  });

  describe('misuse', () => {
    test('an unknown mode exits 2 without asking', async () => {
      const r = await runHook(['submit-eggs'], COMMENT);
      assert.equal(r.code, 2, JSON.stringify(r));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /unknown mode/);
      assert.equal(requests.length, 0);
    });

    for (const [name, input] of [['malformed JSON', '{"comment": '], ['empty stdin', ''],
      ['a JSON array', '[1, 2]'], ['bytes that are not UTF-8', Buffer.from('{"a": "\xff"}', 'latin1')]]) {
      test(`${name} on stdin exits 1 without asking`, async () => {
        const r = await runHook(['check'], input);
        assertFailed(r, /JSON/);
        assert.equal(requests.length, 0);
      });
    }

    test('no AKISMET_KEY exits 1 without asking', async () => {
      const r = await runHook(['check'], COMMENT, { AKISMET_KEY: undefined });
      assertFailed(r, /AKISMET_KEY/);
      assert.equal(requests.length, 0);
    });

    test('no blog URL anywhere exits 1 without asking', async () => {
      for (const site of [{}, { url: '' }, { url: null }]) {
        assertFailed(await runHook(['check'], { ...COMMENT, site }), /AKISMET_BLOG/);
      }
      assert.equal(requests.length, 0);
      const r = await runHook(['check'], { ...COMMENT, site: { url: '' } },
        { AKISMET_BLOG: 'https://set.example/' });
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(onlyRequest('/1.1/comment-check').blog, 'https://set.example/');
    });
  });
  // systemd cannot run units in this container (no systemd as PID 1, so
  // no systemd-run), so sandbox.py applies the unit's own User=,
  // NoNewPrivileges=, SystemCallFilter=, RestrictAddressFamilies= and
  // MemoryDenyWriteExecute= lines with seccomp, as systemd does (see its
  // header).  The last two tests show it bites.
  describe('under conf/palaver.service', () => {
    let tmp;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-unit-'));
      fs.chmodSync(tmp, 0o755);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    // The unit with one line replaced.
    function unitWith(key, value) {
      const text = fs.readFileSync(UNIT, 'utf8');
      const re = new RegExp(`^${key}=.*$`, 'm');
      assert.match(text, re);
      const p = path.join(tmp, `${key}.service`);
      fs.writeFileSync(p, text.replace(re, `${key}=${value}`));
      return p;
    }

    test('the unit restricts families and system calls', () => {
      const text = fs.readFileSync(UNIT, 'utf8');
      assert.match(text, /^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$/m);
      assert.match(text, /^SystemCallFilter=@system-service$/m);
      assert.match(text, /^NoNewPrivileges=yes$/m);
    });

    test('check reaches Akismet on loopback, by address and by name', async () => {
      answer = reply('true');
      let r = await runHook(['check'], COMMENT, {}, [...SANDBOX, UNIT, '--']);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0.9 akismet: spam');
      assert.deepEqual(onlyRequest('/1.1/comment-check'), COMMENT_FORM);
      requests = [];
      r = await runHook(['check'], COMMENT, { AKISMET_URL: `http://localhost:${port}` },
        [...SANDBOX, UNIT, '--']);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(firstLine(r.stdout), '0.9 akismet: spam');
      assert.equal(requests.length, 1);
    });

    test('submit-ham is delivered too', async () => {
      answer = reply(THANKS);
      const r = await runHook(['submit-ham'], REPLY, {}, [...SANDBOX, UNIT, '--']);
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.deepEqual(onlyRequest('/1.1/submit-ham'), REPLY_FORM);
    });

    test('with AF_UNIX only (the old unit) the hook cannot open a socket', async () => {
      const r = await runHook(['check'], COMMENT, {},
        [...SANDBOX, unitWith('RestrictAddressFamilies', 'AF_UNIX'), '--']);
      assertFailed(r, /cannot reach Akismet.*Address family not supported/);
      assert.equal(requests.length, 0);
    });

    test('a system call outside @system-service kills the process', async () => {
      const probe = [PYTHON, '-c', 'import os; os.chroot("/")'];
      const r = spawnSync(SANDBOX[0], [...SANDBOX.slice(1), UNIT, '--', ...probe], { encoding: 'utf8' });
      assert.equal(r.signal, 'SIGSYS', JSON.stringify(r));
      // The same call with the group allowed fails only for want of
      // privilege (palaver is no root): it is the filter that killed.
      const allowed = unitWith('SystemCallFilter', '@system-service @privileged');
      const ok = spawnSync(SANDBOX[0], [...SANDBOX.slice(1), allowed, '--', ...probe], { encoding: 'utf8' });
      assert.equal(ok.signal, null, JSON.stringify(ok));
      assert.match(ok.stderr, /PermissionError|Operation not permitted/);
    });
  });
});
