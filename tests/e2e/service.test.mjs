// service.test.mjs: one truth for where palaver is installed.  `make install`
// into a temporary DESTDIR puts every file README and conf/hooks/README.md
// name where they say; the installed nginx example serves the installed
// www/; and the installed systemd units pass `systemd-analyze verify`.
// (tests/e2e/akismet.test.mjs runs the hook under the unit's sandbox.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const dirs = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

// `make install VARS...` from a clean shell (no outer make's jobserver).
function install(...vars) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-install-'));
  dirs.push(d);
  const env = { ...process.env };
  for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'PREFIX', 'DESTDIR']) delete env[k];
  const r = spawnSync('make', ['-s', 'install', ...vars.map((v) => v.replace('@', d))], {
    cwd: ROOT, env, encoding: 'utf8', timeout: 300000,
  });
  assert.equal(r.status, 0, `make install: ${r.stdout}${r.stderr}`);
  return d;
}

// The installed paths the documentation names: /usr/local/... in README.md
// (deployment, spam hook) and conf/hooks/README.md.
function documentedPaths() {
  const found = new Set();
  for (const doc of ['README.md', 'conf/hooks/README.md']) {
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/\/usr\/local\/[^\s`'"*,;)]+/g)) {
      found.add(m[0].replace(/[.:/]+$/, ''));
    }
  }
  return [...found];
}

test('make install puts every file where README and the hooks README say', () => {
  const dest = install('DESTDIR=@');
  const named = documentedPaths();
  for (const want of ['/usr/local/bin/palaver', '/usr/local/lib/palaver/hooks/akismet',
    '/usr/local/share/palaver/www', '/usr/local/share/palaver/conf/nginx.conf',
    '/usr/local/lib/systemd/system']) {
    assert.ok(named.includes(want), `the docs name ${want}: ${named}`);
  }
  for (const p of named) {
    assert.ok(fs.existsSync(path.join(dest, p)), `${p} is named in the docs but not installed`);
  }
  for (const p of ['/usr/local/bin/palaver', '/usr/local/lib/palaver/hooks/akismet']) {
    fs.accessSync(path.join(dest, p), fs.constants.X_OK);
  }
  for (const u of ['palaver.service', 'palaver.socket']) {
    assert.ok(fs.existsSync(path.join(dest, '/usr/local/lib/systemd/system', u)), u);
  }
});

test('the installed nginx example serves the installed www/ (PREFIX=/usr too)', () => {
  for (const [prefix, vars] of [['/usr/local', ['DESTDIR=@']], ['/usr', ['DESTDIR=@', 'PREFIX=/usr']]]) {
    const dest = install(...vars);
    const conf = fs.readFileSync(path.join(dest, prefix, 'share/palaver/conf/nginx.conf'), 'utf8');
    const alias = conf.match(/^\s*alias\s+(\S+);/m);
    assert.ok(alias, 'a static alias');
    assert.equal(alias[1], `${prefix}/share/palaver/www/`);
    assert.ok(fs.existsSync(path.join(dest, alias[1], 'palaver.css')));
    const unit = fs.readFileSync(path.join(dest, prefix, 'lib/systemd/system/palaver.service'), 'utf8');
    assert.match(unit, new RegExp(`^ExecStart=${prefix}/bin/palaver `, 'm'));
  }
});

test('systemd-analyze verify passes the installed units, without a warning', () => {
  // PREFIX (not DESTDIR) so the units name a binary that exists: verify
  // checks every Exec line.
  const prefix = install('PREFIX=@');
  const units = ['palaver.service', 'palaver.socket'].map((u) => path.join(prefix, 'lib/systemd/system', u));
  const r = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.error, undefined, 'systemd-analyze is installed (conf/dev/deps.sh test)');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, '', 'no warnings');
  // It does warn about what it cannot parse: the check above is real.
  const bad = path.join(path.dirname(units[0]), 'bad.service');
  fs.writeFileSync(bad, fs.readFileSync(units[0], 'utf8')
    .replace(/^RestrictAddressFamilies=.*$/m, 'RestrictAddressFamilies=AF_UNIX AF_INTERNET'));
  const b = spawnSync('systemd-analyze', ['verify', bad], { encoding: 'utf8', timeout: 60000 });
  assert.match(b.stdout + b.stderr, /AF_INTERNET/);
});

// The installed binary reads the installed catalogs ($(PREFIX)/share/locale),
// not the checkout's: German with them, a refusal naming the file without.
test('the installed palaver finds its installed catalogs, and says so when they are gone', () => {
  const prefix = install('PREFIX=@');
  const mo = path.join(prefix, 'share/locale/de/LC_MESSAGES/palaver.mo');
  assert.ok(fs.existsSync(mo), mo);
  const conf = path.join(prefix, 'palaver.conf');
  fs.writeFileSync(conf, `[database]\npath = ${prefix}/p.db\n[site]\nlanguage = de\n`);
  const run = () => spawnSync(path.join(prefix, 'bin/palaver'), ['-c', conf, 'init'], { encoding: 'utf8' });
  let r = run();
  assert.equal(r.status, 0, r.stderr);
  fs.rmSync(mo);
  r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`no catalog for it: ${prefix}/share/locale/de/LC_MESSAGES/palaver\\.mo is missing`));
});
