// i18nlib.mjs: the catalogs (po/*.po) as the tests read them, and the
// check that a page in a language other than English holds no English:
// every word a reader or moderator sees is a word of that language's
// translations (or of the locale's month names, or of what the test
// itself wrote: names, titles, comments), and no English sentence of the
// catalog is left on it.  A string added to palaver without being marked
// (or marked but not translated) brings English words and fails here.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib.mjs';

function unquote(lines) {
  return lines.map((l) => JSON.parse(l.trim())).join('');
}

// [{ ctx, id, plural, str: [..] }] of po/LANG.po (the header left out).
export function readPo(lang) {
  const text = fs.readFileSync(path.join(ROOT, 'po', `${lang}.po`), 'utf8');
  const out = [];
  for (const block of text.split(/\n\s*\n/)) {
    const e = { str: [] };
    let key = null;
    const acc = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const m = line.match(/^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$/);
      if (m) {
        key = m[1];
        acc[key] = [m[2]];
      } else if (key) {
        acc[key].push(line);
      }
    }
    if (!('msgid' in acc)) continue;
    e.ctx = acc.msgctxt ? unquote(acc.msgctxt) : null;
    e.id = unquote(acc.msgid);
    e.plural = acc.msgid_plural ? unquote(acc.msgid_plural) : null;
    for (const k of Object.keys(acc).filter((k) => k.startsWith('msgstr')).sort()) {
      e.str.push(unquote(acc[k]));
    }
    if (e.id === '') continue;
    out.push(e);
  }
  return out;
}

// The locale's month names, full and abbreviated (palaver takes them from
// the same place).
export function monthNames(locale) {
  const r = execFileSync('locale', ['mon', 'abmon'], {
    env: { ...process.env, LC_ALL: locale }, encoding: 'utf8',
  });
  return r.split(/[;\n]/).filter(Boolean);
}

const WORD = /\p{L}+/gu;
const PLACEHOLDER = /%(?:\d\$)?[-.\d]*(?:l{0,2}|z)[sdfu]|\{\w+\}/g;

const words = (s) => s.match(WORD) || [];

// The vocabulary of a language: every word of its translations, the
// month names, and extra words (what the test wrote, the site's name).
export function vocabulary(entries, extra = []) {
  const v = new Set();
  for (const e of entries) for (const s of e.str) for (const w of words(s.replace(PLACEHOLDER, ' '))) v.add(w);
  for (const x of extra) for (const w of words(x)) v.add(w);
  return v;
}

// The English sentences of the catalog that the language translates
// differently, as the pieces between their placeholders that hold two
// words or more (a lone "Name" is German too).
export function englishPieces(entries) {
  const out = new Set();
  for (const e of entries) {
    for (const [i, id] of [e.id, e.plural].entries()) {
      if (id == null) continue;
      const tr = e.str[Math.min(i, e.str.length - 1)];
      if (tr === id) continue;
      for (const p of id.split(PLACEHOLDER)) {
        const t = p.trim();
        if (words(t).filter((w) => w.length > 1).length >= 2) out.add(t);
      }
    }
  }
  return [...out];
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

// What a person sees of an HTML page: its text (scripts, styles and the
// machine words in <code>, <kbd>, <pre> left out) and the attributes a
// browser shows or reads out (title, aria-label, placeholder, alt, the
// value of a button).  One string per piece.
export function visibleText(html) {
  const out = [];
  let h = html.replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|code|kbd|pre)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ');
  for (const m of h.matchAll(/<[a-z][^>]*>/gi)) {
    for (const a of m[0].matchAll(/\s(title|aria-label|placeholder|alt)="([^"]*)"/gi)) out.push(decode(a[2]));
    if (/^<input\b/i.test(m[0]) && /type="(submit|button)"/i.test(m[0])) {
      const v = m[0].match(/\svalue="([^"]*)"/i);
      if (v) out.push(decode(v[1]));
    }
  }
  h = h.replace(/<[^>]*>/g, '\n');
  for (const t of h.split('\n')) {
    const s = decode(t).trim();
    if (s) out.push(s);
  }
  return out;
}

// The problems of one page's texts: words outside the vocabulary, and
// English sentences of the catalog.  [] when it is all in the language.
// What the log and the API name things by (comment:42, user:ann): ids,
// not words.
const MACHINE = /\b(?:comment|article|ban|user|email|addr_hash|prefix):\S*/g;

export function foreign(texts, vocab, english) {
  const bad = [];
  for (const t of texts) {
    const odd = words(t.replace(MACHINE, ' ')).filter((w) => !vocab.has(w));
    if (odd.length) bad.push(`words ${JSON.stringify(odd)} in ${JSON.stringify(t)}`);
  }
  const all = texts.join('\n');
  for (const p of english) {
    if (all.includes(p)) bad.push(`English ${JSON.stringify(p)}`);
  }
  return bad;
}
