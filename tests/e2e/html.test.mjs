// html.test.mjs: the pages are well-formed HTML5, checked by HTML Tidy
// (Debian's tidy): no errors, and no warnings but tidy's own blind spot
// (it does not know ARIA's aria-current, nor HTML5's minlength).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Server, modLogin, modPost } from './lib.mjs';

const PW = 'a long password here';
let s;
let art;

function tidy(html) {
  const r = spawnSync('tidy', ['-e', '-q', '--show-warnings', 'yes'], { input: html, encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => l.trim() !== '' &&
    !/proprietary attribute "(aria-current|minlength)"/.test(l));
}

before(async () => {
  s = await new Server({ moderation: { max_depth: 2 }, auth: { pwhash_mem: 8192, pwhash_ops: 1 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/h/1/', '--title', 'Valid <HTML> & "quotes"']).stdout);
  let parent = '';
  for (const body of ['*one*', '> two\n\n```\ncode\n```', '- a\n- b\n\n1. c', 'four <b>x</b> [l](https://e.example/)']) {
    const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
      body: new URLSearchParams({ parent, body, author: '<A & B>' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    parent = r.headers.get('location').match(/#c(\d+)$/)[1];
  }
  s.cli(['user', 'add', 'val', '--role', 'admin'], { input: `${PW}\n` });
});
after(async () => { await s.stop(); });

test('reader pages, error pages and moderator pages pass tidy', async () => {
  const mod = await modLogin(s, 'val', PW);
  const pages = [
    ['/', {}], [`/articles/${art}`, {}], [`/articles/${art}?reply=2`, {}], ['/nope', {}],
    ['/mod/login', {}], ['/mod/', { cookie: mod.cookie }], ['/mod/?status=approved', { cookie: mod.cookie }],
    ['/mod/bans', { cookie: mod.cookie }], ['/mod/articles', { cookie: mod.cookie }],
    ['/mod/users', { cookie: mod.cookie }], ['/mod/audit', { cookie: mod.cookie }],
    // The desk's pages (issue 15): one article, one comment's card, the
    // ban form from the queue, a filtered log, a notice of an action.
    [`/mod/articles/${art}`, { cookie: mod.cookie }], ['/mod/comments/2', { cookie: mod.cookie }],
    ['/mod/comments/2/ban?kind=addr_hash&back=%2Fmod%2F', { cookie: mod.cookie }],
    ['/mod/audit?who=val&what=approve&from=2020-01-01&to=2099-12-31', { cookie: mod.cookie }],
  ];
  const done = await modPost(s, mod, '/mod/comments/2/spam', { back: '/mod/?status=spam' });
  assert.equal(done.status, 303);
  pages.push([done.headers.get('location'), { cookie: mod.cookie }]);
  for (const [p, headers] of pages) {
    const r = await s.get(p, { headers });
    assert.ok(r.status === 200 || r.status === 404, `${p}: ${r.status}`);
    assert.deepEqual(tidy(r.body), [], p);
  }
  // Asking first: the page that asks before a delete.
  const ask = await modPost(s, mod, '/mod/comments/bulk', { action: 'delete', id: '2', back: '/mod/' });
  assert.equal(ask.status, 200);
  assert.deepEqual(tidy(ask.body), [], 'the confirmation page');
  // A refused form, with the reader's text back in it.
  const bad = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    body: 'body=%3Cscript%3E&email=nope', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(bad.status, 422);
  assert.deepEqual(tidy(await bad.text()), []);
});

test('the embed fragment is a valid part of a page', async () => {
  const r = await s.get(`/embed?uri=${encodeURIComponent('/h/1/')}`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /<html|<body|<!DOCTYPE/i);
  const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${r.body}</body></html>`;
  assert.deepEqual(tidy(page), []);
});
