// import_issues.test.mjs: the defects of issue 11, each on the export file
// it names (../shared/data/import), through the real binary and, where a
// reader would see it, the served page and API behind nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { Server, SQL, BIN, SAN_ENV } from './lib.mjs';
import { dataDir, scratch } from './importlib.mjs';

const D = dataDir();
const f = (name) => path.join(D, name);

// The links of rendered HTML, in order.
const hrefs = (html) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);

// A file in dir readable by the CLI (user palaver when run as root).
function put(dir, name, data) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  fs.chmodSync(p, 0o644);
  return p;
}

function comment(s, sid) {
  return s.sql(`SELECT c.*, a.uri, a.closed AS aclosed FROM imported i JOIN comments c ON c.id = i.comment
    JOIN articles a ON a.id = c.article WHERE i.source_id = '${sid}'`)[0];
}

test('1: the https://wordpress.org/export/1.2/ namespace is an export', () => {
  const s = scratch();
  try {
    const r = s.cli(['import', 'wordpress', f('wpimporter-theme-unit-test-data.xml')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^imported 7 articles \(7 new\), 29 comments \(0 skipped as already imported, 4 pingbacks skipped\)\n/);
    const p = s.cli(['import', 'wordpress', '--pingbacks', f('wpimporter-theme-unit-test-data.xml')]);
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /^imported 7 articles \(0 new\), 4 comments \(29 skipped/);
    assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, 33);
  } finally {
    s.done();
  }
});

test('2: a Disqus link whose text was cut short is one link, to the real URL', () => {
  const s = scratch();
  try {
    for (const [kind, file] of [['disqus', 'benbalter-disqus-comments.xml'],
      ['disqus', 'laisky-disqus_exported_data.xml'], ['wordpress', 'synthetic-wxr-text.xml']]) {
      const r = s.cli(['import', kind, f(file)]);
      assert.equal(r.status, 0, r.stderr);
    }
    const c = comment(s, '668227194');
    assert.deepEqual(hrefs(c.html), ['http://plugins.svn.wordpress.org/wp-resume/trunk/)']);
    assert.ok(!c.html.includes('wordpres...'), c.html);
    // Nowhere a link to a URL cut short: one whose text is its URL, with
    // the "..." after it, and another link that goes on where it stops
    // (87 comments of benbalter's, 13 of laisky's before).
    let cut = 0;
    for (const row of s.sql('SELECT id, html FROM comments')) {
      const h = hrefs(row.html);
      for (const m of row.html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>(\.\.\.|\u2026)/g)) {
        if (m[1] === m[2] && h.some((b) => b !== m[1] && b.startsWith(m[1]))) cut++;
      }
      // A link whose text is a URL shows the URL it goes to.
      for (const m of row.html.matchAll(/<a href="([^"]*)"[^>]*>(https?:[^<]*)<\/a>/g)) {
        assert.equal(m[2], m[1], `comment ${row.id}: ${m[0]}`);
      }
    }
    assert.equal(cut, 0);
    // Comment 110 of the synthetic file: its one link, once.
    const t = comment(s, '110');
    assert.equal(new Set(hrefs(t.html)).size, hrefs(t.html).length, t.html);
  } finally {
    s.done();
  }
});

test('6, 7: items of any type with a link import; names are cut cleanly, with a warning', () => {
  const s = scratch();
  try {
    const r = s.cli(['import', 'wordpress', '--pingbacks', f('wpimporter-a11y-unit-test-data.xml')]);
    assert.equal(r.status, 0, r.stderr);
    // The item without a post type and its 3 comments.
    assert.equal(s.sql(`SELECT count(*) AS n FROM comments c JOIN articles a ON a.id = c.article
      WHERE a.uri = '/about/page-with-comments/'`)[0].n, 3);
    const c = comment(s, '922');
    assert.equal([...c.author].length, 64);
    assert.equal(c.author, c.author.trim());
    assert.ok(c.author.startsWith('Ping 2 with a much longer title'));
    assert.match(r.stderr, /warning: comment 922 on \S+: the name is 102 characters long: cut to 64/);

    // isso-wordpress.xml: the ?p=4 item goes to "/"; its comment shares
    // its id with another and is counted as left out, with the reason.
    const i = s.cli(['import', 'wordpress', f('isso-wordpress.xml')]);
    assert.equal(i.status, 0, i.stderr);
    assert.match(i.stderr, /warning: comment id 11 appears twice: the second is left out/);
    assert.match(i.stderr, /1 comments left out: 1 whose id appears twice \(see the warnings\)/);
  } finally {
    s.done();
  }
});

test('5: an unreadable Disqus date is warned about and held, never approved', () => {
  const s = scratch();
  try {
    const r = s.cli(['import', 'disqus', f('derived-remark42-disqus-fixed.xml')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: comment x299986073 on \S+: its date cannot be read: held for a moderator/);
    const c = comment(s, 'x299986073');
    assert.equal(c.status, 'pending');
  } finally {
    s.done();
  }
});

test('4: a site moved to another host is the same site: a second import adds nothing', () => {
  const s = scratch();
  try {
    const src = fs.readFileSync(f('chrisjrob-wordpress.xml'), 'utf8');
    assert.ok(/<wp:base_blog_url>[^<]*<\/wp:base_blog_url>/.test(src));
    const moved = put(s.dir, 'moved.xml', src.replace(/<wp:base_blog_url>[^<]*<\/wp:base_blog_url>/,
      '<wp:base_blog_url>https://www.chrisjrob.com</wp:base_blog_url>'));
    // All of it at the new host: links and the site's address.
    const everywhere = put(s.dir, 'everywhere.xml', src.replaceAll(/https?:\/\/(www\.)?chrisjrob\.com/g,
      'https://www.chrisjrob.com'));
    let r = s.cli(['import', 'wordpress', f('chrisjrob-wordpress.xml')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, / 125 comments /);
    for (const file of [moved, everywhere]) {
      r = s.cli(['import', 'wordpress', file]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\(0 new\), 0 comments \(125 skipped as already imported/);
    }
    assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, 125);
  } finally {
    s.done();
  }
});

test('8: a gzipped export is read as it is; a broken one is refused', () => {
  const s = scratch();
  try {
    const gz = put(s.dir, 'disqus.xml.gz', zlib.gzipSync(fs.readFileSync(f('benbalter-disqus-comments.xml'))));
    let r = s.cli(['import', 'disqus', gz]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^imported 86 articles \(86 new\), 1145 comments /);
    const cut = put(s.dir, 'cut.xml.gz', fs.readFileSync(gz).subarray(0, 5000));
    const before = s.sql('SELECT count(*) AS n FROM comments')[0].n;
    r = s.cli(['import', 'disqus', cut]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cut\.xml\.gz: not readable as gzip: /);
    assert.equal(s.sql('SELECT count(*) AS n FROM comments')[0].n, before);
  } finally {
    s.done();
  }
});

test('8: a reply to a pingback joins it when a later import brings the pingback', () => {
  const s = scratch();
  try {
    const wxr = `<?xml version="1.0"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:base_blog_url>https://blog.example.com</wp:base_blog_url>
<item><title>P</title><link>https://blog.example.com/p/</link><wp:post_type>post</wp:post_type>
<wp:comment_status>closed</wp:comment_status>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Other blog</wp:comment_author>
<wp:comment_date_gmt>2015-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>[...] linked [...]</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>pingback</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_date_gmt>2015-01-02 00:00:00</wp:comment_date_gmt><wp:comment_content>thanks for the link</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>1</wp:comment_parent></wp:comment>
</item></channel></rss>`;
    const file = put(s.dir, 'ping.xml', wxr);
    let r = s.cli(['import', 'wordpress', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(comment(s, '2').parent, null);
    assert.equal(comment(s, '2').aclosed, 1);	// closed as it was
    r = s.cli(['import', 'wordpress', '--pingbacks', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1 replies joined their parents, imported since$/m);
    const reply = comment(s, '2');
    assert.equal(reply.parent, comment(s, '1').id);
    assert.equal(reply.depth, 1);
    r = s.cli(['import', 'wordpress', '--pingbacks', file]);
    assert.doesNotMatch(r.stdout, /joined/);
  } finally {
    s.done();
  }
});

test('8: "palaver import isso" is a command', () => {
  const s = scratch();
  try {
    const r = s.cli(['import', 'isso', path.join(s.dir, 'missing.db')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing\.db: No such file or directory/);
    assert.doesNotMatch(r.stderr, /needs a subcommand/);
  } finally {
    s.done();
  }
});

// Served: the keys readers' pages ask for find the imported threads.
let srv;
before(async () => {
  srv = await new Server().start();
  const r = srv.cli(['import', 'disqus', f('laisky-disqus_exported_data.xml')]);
  if (r.status !== 0) throw new Error(r.stderr);
  const b = srv.cli(['import', 'disqus', f('benbalter-disqus-comments.xml')]);
  if (b.status !== 0) throw new Error(b.stderr);
});
after(async () => {
  await srv.stop();
});

test('3: article keys are paths, percent-encoding normalised: the widget\'s path finds them', async () => {
  // Stored as the path alone, though the link had ?force=&lang=en.
  assert.equal(srv.sql("SELECT count(*) AS n FROM articles WHERE uri LIKE '%?%'")[0].n, 0);
  const r = await srv.get('/api/comments?uri=' + encodeURIComponent('/p/what-is-gpt/'));
  assert.equal(r.status, 200, r.body);
  const j = JSON.parse(r.body);
  assert.equal(j.article.uri, '/p/what-is-gpt/');
  assert.ok(j.comments.length > 0);
  // What a browser's location.pathname gives for a Chinese path.
  const key = '/p/%E7%AC%AC%E4%B8%89%E7%A7%8D%E9%BB%91%E7%8C%A9%E7%8C%A9/';
  const c = await srv.get('/api/counts?uri=' + encodeURIComponent(key));
  assert.equal(c.status, 200);
  assert.ok(JSON.parse(c.body)[key] > 0, c.body);
  assert.equal(srv.sql("SELECT count(*) AS n FROM articles WHERE "
    + SQL.match('uri', '%[a-f][0-9a-f]', '*%[a-f][0-9a-f]*') + ' OR '
    + SQL.match('uri', '%[0-9][a-f]', '*%[0-9][a-f]*'))[0].n, 0);
});

test('2, served: the reader sees one link, to the real URL', async () => {
  const id = srv.sql("SELECT c.article AS a, c.id FROM imported i JOIN comments c ON c.id = i.comment "
    + "WHERE i.source_id = '668227194'")[0];
  const r = await srv.get(`/articles/${id.a}`);
  assert.equal(r.status, 200);
  const li = r.body.slice(r.body.indexOf(`id="c${id.id}"`));
  const body = li.slice(0, li.indexOf('</li>'));
  assert.deepEqual(hrefs(body).filter((h) => h.startsWith('http://plugins')),
    ['http://plugins.svn.wordpress.org/wp-resume/trunk/)']);
});

// The progress line: on a terminal only, cleared before the summary.
function onTty(conf, args) {
  const runas = process.getuid() === 0 ? 'setpriv --reuid=palaver --regid=palaver --clear-groups ' : '';
  const cmd = `${runas}${BIN} -c ${conf} ${args.join(' ')}`;
  return new Promise((resolve) => {
    const p = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...SAN_ENV } });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

test('6 (issue): a progress line for long imports and exports on a terminal, none elsewhere', async () => {
  const s = scratch();
  try {
    const file = f('benbalter-disqus-comments.xml');
    const r = await onTty(s.conf, ['import', 'disqus', file]);
    assert.equal(r.code, 0, r.out);
    assert.ok(r.out.includes(`\rpalaver: ${file}: 1000 of 1145 comments`), JSON.stringify(r.out.slice(0, 300)));
    assert.ok(r.out.includes('\r\x1b[K'), 'the line is cleared');
    assert.match(r.out, /imported 86 articles \(86 new\), 1145 comments/);
    const e = await onTty(s.conf, ['export', path.join(s.dir, 'out.jsonl')]);
    assert.equal(e.code, 0, e.out);
    assert.ok(e.out.includes(`: 1000 records`), JSON.stringify(e.out.slice(0, 300)));
    // Not a terminal: no progress, nothing but the summary.
    const n = s.cli(['export', path.join(s.dir, 'out2.jsonl')]);
    assert.equal(n.status, 0, n.stderr);
    assert.ok(!n.stderr.includes('\r') && !n.stdout.includes('\r'));
    assert.equal(n.stderr, '');
  } finally {
    s.done();
  }
});
