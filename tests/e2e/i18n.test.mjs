// i18n.test.mjs: [site] language = de: every page a reader or a moderator
// reaches, the refusals, the widget's strings and the feeds are German,
// with not one English word beyond what the test wrote itself (see
// i18nlib.mjs).  And palaver refuses to start in a language it cannot
// show: an unknown one, a locale the system lacks, a missing catalog.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, BIN, SAN_ENV, makeConfig, modLogin, modPost } from './lib.mjs';
import { readPo, monthNames, vocabulary, englishPieces, visibleText, foreign } from './i18nlib.mjs';

const DE = readPo('de');
// What the test writes (names, titles, comments, addresses): user
// content, allowed on any page.  Made-up words, so that no English
// slips through as "user content".
const USER = ['Zorkel Bumm', 'Quarx Wendel', 'Mirabo', 'Fonzi Tralla',
  'Gruselbumm Artikel', 'Zweiter Quark', 'Geschlossen Plopp',
  'Wumms wumms blubb', 'Antwort blubb', 'Schnipp schnapp', 'Flimmflamm',
  'Knorz knarz', 'zorkel', 'example', 'org', 'com', 'http', 'https', 'www',
  'palaver', 'bummi', 'quark', 'plopp', 'gruselbumm', 'zweiter', 'geschlossen',
  'vorsicht', 'spamwort', 'Vorsicht', 'Knusper knasper', 'Fett', 'Nicht zum Thema',
  '/a/ /b/ /c/'];
const VOCAB = vocabulary(DE, [...USER, ...monthNames('de_DE.UTF-8')]);
const ENGLISH = englishPieces(DE);

function german(label, html) {
  const bad = foreign(visibleText(html), VOCAB, ENGLISH);
  assert.deepEqual(bad, [], `${label} is not all German:\n${bad.join('\n')}`);
}

function form(fields) {
  return new URLSearchParams(fields).toString();
}

async function post(s, p, fields, cookie, extra = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...extra };
  if (cookie) headers.cookie = cookie;
  const r = await s.fetch(p, { method: 'POST', body: form(fields), headers });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

describe('the German site', () => {
  let s, a, b, closed, pre, mod, author, mine, pending, reportedId;
  const pages = [];

  // Fetch p (with cookie), check its status, and keep it for the walk.
  async function page(label, p, status, cookie) {
    const r = await s.get(p, cookie ? { headers: { cookie } } : {});
    assert.equal(r.status, status, `${label}: ${p}: ${r.body.slice(0, 300)}`);
    pages.push(label);
    return r;
  }

  before(async () => {
    s = await new Server({
      site: { language: 'de', name: 'palaver', base_url: 'auto' },
      moderation: { page_size: 2, max_depth: 2 },
      spam: { posts_per_minute: 1000, blocklist: path.join(os.tmpdir(), `palaver-i18n-block-${process.pid}`) },
    }).start();
  });
  after(async () => { if (s) await s.stop(); });

  test('the index without articles, then the articles', async () => {
    const empty = await page('empty index', '/', 200);
    assert.match(empty.body, /<html lang="de">/);
    assert.match(empty.body, /Noch keine Artikel\./);
    german('the empty index', empty.body);

    a = Number(s.cli(['article', 'add', '--uri', '/a/', '--title', 'Gruselbumm Artikel']).stdout);
    b = Number(s.cli(['article', 'add', '--uri', '/b/', '--title', 'Zweiter Quark']).stdout);
    closed = Number(s.cli(['article', 'add', '--uri', '/c/', '--title', 'Geschlossen Plopp']).stdout);
    pre = b;
    assert.equal(s.cli(['article', 'set', String(closed), '--close']).status, 0);
    assert.equal(s.cli(['article', 'set', String(pre), '--mode', 'pre']).status, 0);
    assert.equal(s.cli(['user', 'add', 'zorkel', '--role', 'admin'],
      { input: 'ein langes passwort\n' }).status, 0);
  });

  test('a thread: comments, replies, pages, order, notices, forms', async () => {
    // Three top-level comments (two a page), replies three deep (past
    // max_depth: "als Antwort an").
    let r = await post(s, `/articles/${a}/comments`, { author: 'Zorkel Bumm', body: 'Wumms wumms blubb' });
    assert.equal(r.status, 303);
    author = r.headers.get('set-cookie').split(';')[0];
    const first = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
    // The notice after posting, where the redirect lands.
    const landed = await page('after posting', r.headers.get('location').replace(/#.*/, ''), 200, author);
    assert.match(landed.body, /Ihr Kommentar ist veröffentlicht\./);
    german('the page after posting', landed.body);
    mine = first;
    let parent = first;
    for (const who of ['Quarx Wendel', 'Mirabo', 'Fonzi Tralla']) {
      r = await post(s, `/articles/${a}/comments`, { author: who, body: `Antwort blubb ${who}`, parent: String(parent) });
      assert.equal(r.status, 303, r.body.match(/role="alert"[^>]*>([^<]*)/)?.[1]);
      parent = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
    }
    for (const body of ['Schnipp schnapp', 'Flimmflamm']) {
      r = await post(s, `/articles/${a}/comments`, { author: 'Mirabo', body });
      assert.equal(r.status, 303);
    }
    const t = await page('a thread', `/articles/${a}`, 200, author);
    assert.match(t.body, /als Antwort an Mirabo/);
    assert.match(t.body, /Weitere Kommentare/);
    assert.match(t.body, /Reihenfolge:/);
    assert.match(t.body, /Sie können das bis <time/);
    assert.match(t.body, /\d+\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, \d\d:\d\d UTC/);
    german('a thread', t.body);
    german('its second page', (await page('second page', `/articles/${a}?after=${first}`, 200)).body);
    german('newest first', (await page('newest first', `/articles/${a}?order=newest`, 200)).body);
    german('a reply form', (await page('reply form', `/articles/${a}?reply=${first}`, 200)).body);
    german('an edit form', (await page('edit form', `/articles/${a}?edit=${mine}`, 200, author)).body);

    // Edits and deletes answer with the page and its notice.
    r = await post(s, `/articles/${a}/comments/${mine}/edit`, { body: 'Wumms wumms blubb blubb' }, author);
    german('after an edit', r.status === 303 ? (await page('after an edit', r.headers.get('location').replace(/#.*/, ''), 200, author)).body : r.body);
    // A reader's own comment held for moderation, as its author sees it.
    r = await post(s, `/articles/${pre}/comments`, { author: 'Zorkel Bumm', body: 'Knorz knarz' }, author);
    assert.equal(r.status, 303);
    pending = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
    // The author's cookie now holds this comment's token too.
    author = (r.headers.get('set-cookie') || author).split(';')[0];
    const held = await page('own pending', r.headers.get('location').replace(/#.*/, ''), 200, author);
    assert.match(held.body, /Wartet auf Moderation/);
    german('a comment awaiting moderation', held.body);
    german('a closed thread', (await page('closed', `/articles/${closed}`, 200)).body);
    german('the index', (await page('index', '/', 200)).body);
  });

  test('readers: votes, best first, reports, preview, in German', async () => {
    // Someone else's comment to vote on and report.
    let r = await post(s, `/articles/${a}/comments`, { author: 'Quarx Wendel', body: 'Knusper knasper' });
    assert.equal(r.status, 303);
    const other = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
    const t = await page('a thread with votes', `/articles/${a}`, 200);
    assert.match(t.body, /Positiv bewerten/);
    assert.match(t.body, /beste zuerst/);
    assert.match(t.body, /Antworten ausblenden/);
    assert.match(t.body, /\d+ Antworten? zeigen/);
    assert.match(t.body, /Melden<span class="visually-hidden"> \(Kommentar von /);
    german('a thread with votes and reports', t.body);
    german('best first', (await page('best first', `/articles/${a}?order=best`, 200)).body);
    // A vote by form: the notice at the comment.
    r = await post(s, `/articles/${a}/comments/${other}/vote`, { vote: '1' });
    assert.equal(r.status, 303);
    const voted = await page('after voting', r.headers.get('location').replace(/#.*/, ''), 200);
    assert.match(voted.body, /Ihre Bewertung ist gezählt\./);
    german('the page after voting', voted.body);
    r = await post(s, `/articles/${a}/comments/${other}/vote`, { vote: '-1' });
    assert.equal(r.status, 422);
    assert.match(r.body, /nur positive Bewertungen/);
    german('a refused down vote', r.body);
    r = await post(s, `/articles/${a}/comments/${other}/vote`, { vote: '5' });
    assert.equal(r.status, 422);
    german('a refused vote', r.body);
    // The report form, a refused report, a report sent.
    const rf = await page('the report form', `/articles/${a}?order=newest&report=${other}`, 200);
    assert.match(rf.body, /<legend>Was stimmt mit diesem Kommentar nicht\?<\/legend>/);
    german('the report form', rf.body);
    r = await post(s, `/articles/${a}/comments/${other}/report`, { reason: 'spam', text: 'x'.repeat(250) });
    assert.equal(r.status, 422);
    german('a refused report', r.body.replaceAll('x'.repeat(250), ''));
    r = await post(s, `/articles/${a}/comments/${other}/report`, { reason: 'quatsch' });
    assert.equal(r.status, 422);
    assert.match(r.body, /Beleidigung/);
    german('a report without a reason', r.body);
    r = await post(s, `/articles/${a}/comments/${other}/report`, { reason: 'off-topic', text: 'Nicht zum Thema' });
    assert.equal(r.status, 303);
    const reported = await page('after reporting', r.headers.get('location').replace(/#.*/, ''), 200);
    assert.match(reported.body, /Danke: Die Moderatoren sehen sich diesen Kommentar an\./);
    german('the page after reporting', reported.body);
    // Preview: the page again with the comment as it would look.
    r = await post(s, `/articles/${a}/comments`, { author: 'Mirabo', body: '**Fett** blubb', preview: '1', ts: 'x' });
    assert.equal(r.status, 200);
    assert.match(r.body, /Vorschau: So wird es aussehen/);
    german('a preview', r.body);
    // The API's refusals for votes and reports.
    for (const [p, body] of [[`/api/comments/${other}/vote`, '{"vote": 7}'],
      [`/api/comments/${other}/report`, '{"reason": "quatsch"}']]) {
      const x = await s.fetch(p, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      assert.equal(x.status, 422, p);
      german(`the API's refusal for ${p}`, `<p>${(await x.json()).error}</p>`);
    }
    const pv = await s.fetch('/api/preview', { method: 'POST', body: '{"body": ""}', headers: { 'content-type': 'application/json' } });
    assert.equal(pv.status, 422);
    german('the API\'s refusal for an empty preview', `<p>${(await pv.json()).error}</p>`);
    reportedId = other;
  });

  test('refused posts come back with German messages, the text kept', async () => {
    const cases = [
      [{ body: '' }, 422, /Bitte schreiben Sie einen Kommentar\./],
      [{ body: 'Wumms', email: 'kein-at' }, 422, /E-Mail-Adresse/],
      [{ body: 'Wumms', website: 'ftp://x' }, 422, /http:\/\//],
      [{ body: 'Wumms', author: 'x'.repeat(65) }, 422, /zu lang/],
      [{ body: 'Wumms', parent: '999999' }, 422, /gibt es nicht/],
    ];
    for (const [fields, status, re] of cases) {
      const r = await post(s, `/articles/${a}/comments`, fields);
      assert.equal(r.status, status, JSON.stringify(fields));
      assert.match(r.body, re);
      german(`a refused post ${JSON.stringify(fields)}`, r.body.replaceAll('x'.repeat(65), ''));
    }
    const r = await post(s, `/articles/${closed}/comments`, { body: 'Wumms' });
    assert.equal(r.status, 403);
    german('a post to a closed thread', r.body);
    // From another site: the origin check.
    const f = await post(s, `/articles/${a}/comments`, { body: 'Wumms' }, null, { origin: 'http://evil.example' });
    assert.equal(f.status, 403);
    german('a post from another site', f.body);
  });

  test('error pages, the fragment, feeds, mail links', async () => {
    german('404', (await page('404', '/nothing/here', 404)).body);
    german('no such article', (await page('no such article', '/articles/999999', 404)).body);
    german('400', (await page('400', '/?before=x%zz', 400)).body);
    const m = await s.fetch('/', { method: 'DELETE' });
    assert.equal(m.status, 405);
    german('405', await m.text());
    german('the fragment', (await page('embed', '/embed?uri=/a/', 200)).body);
    german('a fragment without uri', (await page('embed 400', '/embed', 400)).body);
    for (const p of ['/mail/confirm?t=x', '/mail/unsubscribe?t=x', '/mail/moderate?t=x']) {
      german(p, (await page(p, p, 403)).body);
    }
    // Atom: the titles are text for people.
    for (const p of ['/feed', `/articles/${a}/feed`]) {
      const f = await page(p, p, 200);
      const titles = [...f.body.matchAll(/<title[^>]*>([^<]*)<\/title>/g)].map((x) => x[1]);
      assert.ok(titles.length > 1, p);
      assert.ok(titles.some((x) => / zu /.test(x)), `${p}: ${titles}`);
      german(p, titles.map((x) => `<p>${x}</p>`).join(''));
    }
  });

  test('the JSON API answers in German, and the widget gets German strings', async () => {
    const st = await s.get('/api/strings');
    assert.equal(st.status, 200);
    assert.match(st.headers.get('cache-control'), /max-age/);
    // Public words, for any site (without credentials).
    assert.equal(st.headers.get('access-control-allow-origin'), '*');
    const other = await s.get('/api/strings', { headers: { origin: 'http://elsewhere.example' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), '*');
    assert.equal(other.headers.get('access-control-allow-credentials'), null);
    const j = JSON.parse(st.body);
    assert.equal(j.lang, 'de');
    assert.equal(j.strings.reply, 'Antworten');
    assert.equal(j.strings['count-one'], '{n} Kommentar');
    assert.equal(j.strings['count-other'], '{n} Kommentare');
    assert.equal(j.strings.months.split(' ')[2], 'Mär');
    // Dates the widget writes with Intl, in this language.
    assert.equal(j.strings.date, undefined);
    assert.equal(j.strings['vote-up'], 'Positiv bewerten');
    assert.equal(j.strings['show-other'], '{n} Antworten zeigen');
    // Every name the README's table lists (and embed.js uses).
    for (const k of ['loading', 'empty', 'closed', 'leave', 'notify', 'hint', 'reply-to',
      'delete-confirm', 'new-one', 'new-other', 'count-zero', 'error-network', 'error-server',
      'best', 'vote-up', 'vote-down', 'report', 'report-of', 'report-q', 'why-spam', 'why-abuse',
      'why-off-topic', 'why-other', 'report-text', 'report-send', 'report-hint', 'reported',
      'preview', 'preview-h', 'hide-replies', 'show-one', 'show-other']) {
      assert.ok(j.strings[k], k);
    }
    // Their {placeholders} are the widget's, not words.
    german('the widget strings', Object.values(j.strings)
      .map((x) => `<p>${x.replace(/\{\w+\}/g, ' ')}</p>`).join(''));

    for (const [p, init, status] of [
      ['/api/comments', {}, 400],
      ['/api/comments?uri=/nowhere/', {}, 404],
      ['/api/comments?uri=/a/', { method: 'POST', body: '{"body": ""}', headers: { 'content-type': 'application/json' } }, 422],
      ['/api/comments?uri=/a/', { method: 'POST', body: '{"body": 1}', headers: { 'content-type': 'application/json' } }, 400],
      ['/api/comments?uri=/a/', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }, 400],
      ['/api/comments/999999', { method: 'PUT', body: '{"body": "x"}', headers: { 'content-type': 'application/json' } }, 404],
    ]) {
      const r = await s.fetch(p, init);
      assert.equal(r.status, status, p);
      const body = await r.json();
      if (status >= 400) {
        assert.ok(body.error, p);
        german(`the API's ${status} for ${p}`, `<p>${body.error}</p>`);
      }
    }
  });

  test('every moderator page', async () => {
    german('the login page', (await page('login', '/mod/login', 200)).body);
    const g = await s.get('/mod/login');
    const ck = g.headers.get('set-cookie').split(';')[0];
    const csrf = g.body.match(/name="csrf" value="([^"]+)"/)[1];
    const bad = await post(s, '/mod/login', { name: 'zorkel', password: 'falsch falsch falsch', csrf }, ck);
    assert.equal(bad.status, 403);
    german('a failed login', bad.body);

    mod = await modLogin(s, 'zorkel', 'ein langes passwort');
    const c = mod.cookie;
    // A blocklist word sends one comment to spam, with its reasons.
    fs.writeFileSync(s.overrides.spam.blocklist, 'spamwort\n');
    let r = await post(s, `/articles/${a}/comments`, { author: 'Fonzi Tralla', body: 'vorsicht spamwort' });
    assert.equal(r.status, 303);
    for (const st of ['pending', 'spam', 'approved', 'deleted']) {
      german(`the queue: ${st}`, (await page(`queue ${st}`, `/mod/?status=${st}`, 200, c)).body);
    }
    const q = await page('queue filtered', `/mod/?status=approved&article=${a}`, 200, c);
    assert.match(q.body, /Nur Kommentare zu Artikel/);
    german('the queue of one article', q.body);
    german('a search', (await page('search', '/mod/?status=approved&q=nirgends', 200, c)).body);
    german('the bans', (await page('bans', '/mod/bans', 200, c)).body);
    r = await modPost(s, mod, '/mod/bans', { kind: 'email', value: 'ohne-at', reason: 'vorsicht' });
    assert.equal(r.status, 422);
    german('a refused ban', r.body);
    r = await modPost(s, mod, '/mod/bans', { kind: 'email', value: 'zorkel@example.org', reason: 'vorsicht', days: '3' });
    assert.equal(r.status, 303);
    german('the bans with one', (await page('bans with one', '/mod/bans', 200, c)).body);
    r = await modPost(s, mod, '/mod/comments/bulk', { action: 'approve' });
    assert.equal(r.status, 422);
    german('a bulk action without comments', r.body);
    r = await modPost(s, mod, `/mod/comments/${pending}/approve`, { back: '/mod/' });
    assert.equal(r.status, 303);
    // The notice of what was just done, with its Undo.
    const done = await page('after approving', r.headers.get('location'), 200, c);
    assert.match(done.body, /freigegeben/);
    german('the notice after approving', done.body);
    german('a comment\'s card', (await page('card', `/mod/comments/${mine}`, 200, c)).body);
    // A reported comment with a vote: the card says so, in German.
    const rc = await page('a reported card', `/mod/comments/${reportedId}`, 200, c);
    assert.match(rc.body, /Meldungen/);
    assert.match(rc.body, /am Thema vorbei/);
    assert.match(rc.body, /1 positiv/);
    assert.match(rc.body, /Bewertungen zurücksetzen/);
    german('a reported card with votes', rc.body);
    german('a ban from a comment', (await page('ban form', `/mod/comments/${mine}/ban?kind=addr_hash`, 200, c)).body);
    german('an article\'s page', (await page('article page', `/mod/articles/${a}`, 200, c)).body);
    // Delete without the form's question asks first, on a page.
    r = await modPost(s, mod, `/mod/comments/${mine}/delete`, {});
    assert.equal(r.status, 200, r.body.slice(0, 200));
    german('the question before deleting', r.body);
    r = await modPost(s, mod, `/mod/comments/${mine}/delete`, { confirm: 'yes' });
    assert.equal(r.status, 303);
    const gone = await page('after deleting', r.headers.get('location'), 200, c);
    german('the notice after deleting', gone.body);
    german('the audit log of one comment', (await page('audit filtered', `/mod/audit?target=comment%3A${mine}`, 200, c)).body);
    german('the articles', (await page('articles', '/mod/articles', 200, c)).body);
    german('the accounts', (await page('users', '/mod/users', 200, c)).body);
    r = await modPost(s, mod, '/mod/users', { name: 'zorkel', role: 'moderator', password: 'noch ein langes passwort' });
    assert.equal(r.status, 409);
    german('a refused account', r.body);
    german('the audit log', (await page('audit', '/mod/audit', 200, c)).body);
    german('the account', (await page('account', '/mod/account', 200, c)).body);
    r = await modPost(s, mod, '/mod/account', { email: '', alerts: 'each', minutes: '60' });
    assert.equal(r.status, 422);
    german('a refused account setting', r.body);
    german('the deliveries', (await page('deliveries', '/mod/deliveries', 200, c)).body);
    // A moderator form without its token.
    r = await post(s, `/mod/comments/${mine}/spam`, {}, c);
    assert.equal(r.status, 403);
    german('a form without its token', r.body);
    r = await post(s, '/mod/logout', {});
    assert.equal(r.status, 403);
    german('a form that needs a login', r.body);
    // A moderator's page without a login leads to the (German) login.
    r = await s.get('/mod/users');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /\/mod\/login$/);
  });

  test('the walk covered the pages', () => {
    assert.ok(pages.length >= 40, `${pages.length} pages: ${pages}`);
    s.assertClean();
  });
});

// The check itself: English is found, German passes.
test('the check finds English words and sentences', () => {
  const vocab = vocabulary(DE, ['Mirabo']);
  assert.deepEqual(foreign(visibleText('<p>Noch keine Kommentare.</p><a title="Weitere Kommentare">Mirabo</a>'), vocab, ENGLISH), []);
  assert.equal(foreign(visibleText('<p>Leave a comment</p>'), vocab, ENGLISH).length, 2);
  // "Vote up": two words, and a sentence of the catalog.
  assert.equal(foreign(visibleText('<button aria-label="Vote up">+</button>'), vocab, ENGLISH).length, 2);
  assert.equal(foreign(visibleText('<code>approve</code><script>x("Reply")</script>'), vocab, ENGLISH).length, 0);
});

// Start-up refusals: each names what to fix, and palaver never serves in
// English instead.
describe('a language palaver cannot show stops it at start-up', () => {
  let dir;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-i18n-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function start(language, env = {}) {
    const conf = path.join(dir, 'palaver.conf');
    fs.writeFileSync(conf, makeConfig(null, {
      database: { path: path.join(dir, 'p.db') },
      server: { socket: path.join(dir, 'p.sock') },
      site: { language },
    }));
    return spawnSyncBin(['-c', conf, 'init'], env);
  }

  test('an unknown language names the key', () => {
    const r = start('xx');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\[site\] language: 'xx' is not a language palaver has \(en, de/);
  });

  test('a locale the system lacks is named, with the command that makes it', () => {
    // LOCPATH: glibc looks for locales there alone, as on a system that
    // never generated de_DE.UTF-8.
    const r = start('de', { LOCPATH: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /\[site\] language = de needs the locale de_DE\.UTF-8/);
    assert.match(r.stderr, /locale-gen/);
  });

  test('LANGUAGE in the environment does not turn the pages English', async () => {
    const s = await new Server({ site: { language: 'de' } }, { LANGUAGE: 'en', LC_ALL: 'C' }).start();
    try {
      const r = await s.get('/');
      assert.match(r.body, /Noch keine Artikel\./);
    } finally {
      await s.stop();
    }
  });

  test('English needs no locale and no catalog', () => {
    const r = start('en', { LOCPATH: dir });
    assert.equal(r.status, 0, r.stderr);
  });
});

function spawnSyncBin(args, env) {
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...SAN_ENV, ...env } });
}
