#!/usr/bin/python3
# feedcheck.py: read an Atom feed on standard input with a real feed
# parser (Debian's python3-feedparser) and check what RFC 4287 requires
# of it with ElementTree; print what was found as JSON.
import json
import sys
import xml.etree.ElementTree as ET

import feedparser

raw = sys.stdin.buffer.read()
d = feedparser.parse(raw)
A = '{http://www.w3.org/2005/Atom}'
problems = []
root = ET.fromstring(raw)
if root.tag != A + 'feed':
    problems.append('the root is not atom:feed')
for need in ('id', 'title', 'updated'):
    if len(root.findall(A + need)) != 1:
        problems.append(f'feed needs exactly one {need}')
if not root.findall(A + 'author'):
    for e in root.findall(A + 'entry'):
        if not e.findall(A + 'author'):
            problems.append('an entry without an author in a feed without one')
for e in root.findall(A + 'entry'):
    for need in ('id', 'title', 'updated'):
        if len(e.findall(A + need)) != 1:
            problems.append(f'entry needs exactly one {need}')
    if not e.findall(A + 'content') and not e.findall(A + "link[@rel='alternate']"):
        problems.append('entry needs content or an alternate link')
print(json.dumps({
    'bozo': int(bool(d.bozo)),
    'bozo_exception': str(d.get('bozo_exception', '')),
    'version': d.version,
    'problems': problems,
    'feed': {'title': d.feed.get('title'), 'id': d.feed.get('id'),
             'links': [(l.get('rel'), l.get('type'), l.get('href')) for l in d.feed.get('links', [])],
             'updated': d.feed.get('updated')},
    'entries': [{'title': e.get('title'), 'id': e.get('id'), 'link': e.get('link'),
                 'author': e.get('author'), 'author_href': e.get('author_detail', {}).get('href'),
                 'published': e.get('published'), 'updated': e.get('updated'),
                 'content': [c.value for c in e.get('content', [])],
                 'content_type': [c.type for c in e.get('content', [])]}
                for e in d.entries],
}))
