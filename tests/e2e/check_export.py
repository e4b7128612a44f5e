#!/usr/bin/env python3
# check_export.py: an independent reading of a WordPress (WXR) or Disqus
# export with xml.etree, for the end-to-end tests to compare with what
# palaver stored.  Prints one JSON object:
#   {"kind": "wordpress"|"disqus"|null, "error": null|"...",
#    "comments": {id: {"key": KEY, "parent": id|null, "status": S,
#                      "pingback": bool, "cycle": bool}},
#    "closed": [KEY...]}
# where KEY is the article's key (the path of its link, normalised as
# README says) and parent is the parent palaver should keep: in the same
# article, imported too (pingbacks count only with --pingbacks).
# Usage: check_export.py FILE [--pingbacks]
import json
import re
import sys
import xml.etree.ElementTree as ET

WP_NS = [f"{s}://wordpress.org/export/1.{v}/" for v in (2, 1, 0) for s in ("http", "https")]
DSQ = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
PATH_OK = UNRESERVED | set(b"!$&'()*+,;=:@/")


def pct(raw: bytes) -> str:
    """RFC 3986 6.2.2: upper-case escapes, unreserved ones decoded, the
    rest of what a path may not hold escaped."""
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25 and re.fullmatch(rb"[0-9A-Fa-f]{2}", raw[i + 1:i + 3]):
            v = int(raw[i + 1:i + 3], 16)
            out.append(chr(v) if v in UNRESERVED else "%%%02X" % v)
            i += 3
            continue
        out.append(chr(c) if c in PATH_OK else "%%%02X" % c)
        i += 1
    return "".join(out)


def remove_dots(path: str) -> str:
    """RFC 3986 5.2.4 for a path starting with '/'."""
    out = []
    segs = path.split("/")[1:]
    for i, s in enumerate(segs):
        last = i == len(segs) - 1
        if s == ".":
            if last:
                out.append("")
        elif s == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(s)
    return "/" + "/".join(out)


def key_of(link: str):
    link = link.strip(" \t\n")
    if not link or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in link):
        return None
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", link)
    if m:
        rest = link[m.end():]
        cut = min([i for i in (rest.find(c) for c in "/?#") if i >= 0], default=len(rest))
        path = rest[cut:]
    elif link.startswith("//"):
        rest = link[2:]
        cut = min([i for i in (rest.find(c) for c in "/?#") if i >= 0], default=len(rest))
        path = rest[cut:]
    elif link.startswith("/"):
        path = link
    else:
        return None
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    if not path.startswith("/"):
        path = "/" + path
    key = remove_dots(pct(path.encode("utf-8")))
    return key if len(key) <= 1024 else None


def date_ok(s) -> bool:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d*)?"
                     r"(?:Z|[+-](\d{2}):?(\d{2}))?)?", (s or "").strip())
    if not m:
        return False
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    h, mi = int(m[4] or 0), int(m[5] or 0)
    sec = int(m[6] or 0)
    return (y >= 1970 and 1 <= mo <= 12 and 1 <= d <= 31 and h <= 23 and mi <= 59
            and sec <= 60 and int(m[7] or 0) <= 23 and int(m[8] or 0) <= 59)


def text(el):
    return (el.text or "").strip() if el is not None else ""


WP_STATUS = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending",
             "spam": "spam", "trash": "deleted", "post-trashed": "deleted"}


def read_wordpress(root):
    channel = root.find("channel")
    used = {el.tag[1:].split("}")[0] for el in root.iter() if isinstance(el.tag, str) and el.tag.startswith("{")}
    ns = next((n for n in WP_NS if n in used), None)
    if root.tag != "rss" or channel is None or ns is None:
        return None
    wp = "{" + ns + "}"
    rows, arts = [], {}
    for item in channel.findall("item"):
        comments = item.findall(wp + "comment")
        if not comments:
            continue
        key = key_of(text(item.find("link")))
        if key is None:
            continue
        art = len(arts) + 1
        arts[art] = (key, text(item.find(wp + "comment_status")) == "closed")
        for c in comments:
            cid = text(c.find(wp + "comment_id"))
            if not cid:
                continue
            parent = text(c.find(wp + "comment_parent"))
            ctype = text(c.find(wp + "comment_type"))
            status = WP_STATUS.get(text(c.find(wp + "comment_approved")), "pending")
            dated = date_ok(text(c.find(wp + "comment_date_gmt"))) or date_ok(text(c.find(wp + "comment_date")))
            if not dated and status == "approved":
                status = "pending"
            rows.append({"id": cid, "art": art, "key": key, "parent": None if parent in ("", "0") else parent,
                         "status": status, "pingback": ctype in ("pingback", "trackback")})
    return rows, arts


def read_disqus(root):
    if root.tag != DSQ + "disqus":
        return None
    threads = {}
    for t in root.findall(DSQ + "thread"):
        tid = t.get(DSQ_ID)
        if tid and tid not in threads:
            threads[tid] = t
    rows, arts, art_of = [], {}, {}
    for p in root.findall(DSQ + "post"):
        pid = p.get(DSQ_ID)
        th = p.find(DSQ + "thread")
        tid = th.get(DSQ_ID) if th is not None else None
        if not pid or tid not in threads:
            continue
        t = threads[tid]
        key = key_of(text(t.find(DSQ + "link")))
        if key is None:
            continue
        if tid not in art_of:
            art_of[tid] = len(arts) + 1
            arts[art_of[tid]] = (key, text(t.find(DSQ + "isClosed")) == "true")
        par = p.find(DSQ + "parent")
        if text(p.find(DSQ + "isSpam")) == "true":
            status = "spam"
        elif text(p.find(DSQ + "isDeleted")) == "true":
            status = "deleted"
        else:
            status = "approved"
        if not date_ok(text(p.find(DSQ + "createdAt"))) and status == "approved":
            status = "pending"
        rows.append({"id": pid, "art": art_of[tid], "key": key, "pingback": False, "status": status,
                     "parent": par.get(DSQ_ID) if par is not None else None})
    return rows, arts


def parse(data: bytes):
    """XML as libxml2 reads it: a prefix used without a declaration
    (WordPress.com writes atom: so) is a namespace error, not a
    well-formedness one; declare it and read on."""
    for _ in range(20):
        try:
            return ET.fromstring(data)
        except ET.ParseError as e:
            if "unbound prefix" not in str(e):
                raise
            line, col = e.position
            text = data.decode("utf-8", "replace").split("\n")[line - 1][col:]
            m = re.match(r"<([A-Za-z_][\w.-]*):", text)
            if not m:
                raise
            data = re.sub(rb"<rss\b", b'<rss xmlns:' + m[1].encode() + b'="urn:undeclared"', data, count=1)
    return ET.fromstring(data)


def main():
    path = sys.argv[1]
    pingbacks = "--pingbacks" in sys.argv[2:]
    out = {"kind": None, "error": None, "comments": {}, "closed": []}
    with open(path, "rb") as f:
        data = f.read()
    try:
        root = parse(data)
    except ET.ParseError as e:
        out["error"] = f"not XML: {e}"
        print(json.dumps(out))
        return
    got, out["kind"] = read_disqus(root), "disqus"
    if got is None:
        got, out["kind"] = read_wordpress(root), "wordpress"
    if got is None:
        out["kind"], out["error"] = None, f"not an export: <{root.tag}>"
        print(json.dumps(out))
        return
    rows, arts = got
    first = {}
    for r in rows:                      # a second comment with an id is left out
        first.setdefault(r["id"], r)
    kept = {i: r for i, r in first.items() if pingbacks or not r["pingback"]}
    for i, r in kept.items():           # a parent counts in the same article only
        p = r["parent"]
        r["keep"] = p if p in kept and p != i and kept[p]["art"] == r["art"] else None
    for i, r in kept.items():           # ids that name each other: one goes to the top
        j, steps = r["keep"], 0
        while j is not None and j != i and steps <= len(kept):
            j, steps = kept[j]["keep"], steps + 1
        r["cycle"] = j == i
    out["comments"] = {i: {"key": r["key"], "parent": r["keep"], "status": r["status"],
                           "pingback": r["pingback"], "cycle": r["cycle"]} for i, r in kept.items()}
    # An article is made by the first item with comments that go in; it
    # is closed when that item was.
    made = {}
    for r in sorted(kept.values(), key=lambda r: r["art"]):
        made.setdefault(r["key"], r["art"])
    out["closed"] = sorted(k for k, a in made.items() if arts[a][1])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
