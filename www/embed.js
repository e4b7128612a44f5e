/* embed.js: palaver's comment widget for other sites' pages.
 *
 *   <script src="https://comments.example.com/static/embed.js"
 *     data-palaver="https://comments.example.com/" defer></script>
 *   <section id="palaver-thread" data-uri="/2015/01/28/some-article/"
 *     data-title="Some article"></section>
 *   <a href="/post/#palaver-thread" data-palaver-count="/post/">comments</a>
 *
 * It draws the same markup as palaver's own pages (views_thread.c), so one
 * set of handlers serves a thread it fetched and drew itself, a fragment
 * the server drew (GET /embed, through nginx SSI or a static build), and
 * palaver's own article pages (both marked data-palaver-rendered="1"),
 * which it enhances in place without fetching them again.  Reader text only ever goes in through textContent; the one
 * exception is a comment's "html", which palaver rendered and sanitised
 * when the comment was written (markup.c).  No styles of its own: the
 * classes are palaver.css's. */
(() => {
	'use strict';

	const script = document.currentScript ||
	    document.querySelector('script[data-palaver]');
	if (!script)
		return;
	const BASE = (script.getAttribute('data-palaver') ||
	    new URL('..', script.src).href).replace(/\/+$/, '');
	/* localStorage belongs to the embedding site: keys name the palaver
	 * they are for. */
	const KEY = (k) => 'palaver:' + k + '@' + BASE;
	/* Tokens sent at once: each is about 60 bytes of header. */
	const MAX_TOKENS = 40;
	/* palaver refuses form tokens older than a day; fetch a new one
	 * well before. */
	const STALE_MS = 20 * 3600 * 1000;
	const enc = encodeURIComponent;
	const now = () => Math.floor(Date.now() / 1000);
	/* On palaver's own pages the cookies are ours: send them. */
	const OWN = new URL(BASE).origin === location.origin;
	const ORDERS = ['oldest', 'newest', 'best'];

	/* Every visible string; data-string-NAME on the script element, the
	 * section (or a count link) overrides it.  {n}, {author}, {time} are
	 * filled in.  Dates and "3 minutes ago" come from Intl in the page's
	 * language. */
	const STRINGS = {
		'count-zero': '{n} comments',
		'count-one': '{n} comment',
		'count-other': '{n} comments',
		'loading': 'Loading comments\u2026',
		'empty': 'No comments yet.',
		'closed': 'Comments are closed.',
		'leave': 'Leave a comment',
		'body': 'Your comment',
		'reply-body': 'Your reply',
		'edit-body': 'Edit your comment',
		'author': 'Name (optional)',
		'email': 'E-mail (optional, never shown)',
		'website': 'Website (optional)',
		'honeypot': 'Leave this field empty',
		'notify': 'E-mail me replies to this comment (at the address ' +
		    'above; the first time, a message asks you to confirm)',
		'post': 'Post comment',
		'post-reply': 'Post reply',
		'save': 'Save',
		'cancel': 'Cancel',
		'hint': 'Markdown works: *emphasis*, **strong**, `code`, ' +
		    '[links](https://example.com), > quotes.',
		'reply': 'Reply',
		'reply-to': ' to {author}',
		'in-reply-to': 'in reply to {author}',
		'edit': 'Edit',
		'delete': 'Delete',
		'delete-confirm': 'Delete this comment?',
		'delete-yes': 'Yes, delete',
		'delete-no': 'Keep it',
		'window': 'You can change this until {time}.',
		'edited': '(edited)',
		'awaiting': 'Awaiting moderation',
		'gone': 'This comment was deleted.',
		'hidden': 'This comment is not shown.',
		'anonymous': 'Anonymous',
		'more': 'More comments',
		'more-label': 'More comments',
		'order': 'Order:',
		'order-label': 'Order',
		'oldest': 'oldest first',
		'newest': 'newest first',
		'best': 'best first',
		'vote-up': 'Vote up',
		'vote-down': 'Vote down',
		'report': 'Report',
		'report-of': ' the comment by {author}',
		'report-q': 'What is wrong with this comment?',
		'why-spam': 'Spam or advertising',
		'why-abuse': 'Abusive or hateful',
		'why-off-topic': 'Off-topic',
		'why-other': 'Something else',
		'report-text': 'Say more (optional)',
		'report-send': 'Send report',
		'report-hint': 'Moderators see your report; nobody sees who sent it.',
		'reported': 'Thank you: the moderators will look at this comment.',
		'preview': 'Preview',
		'preview-h': 'Preview: this is how it will look',
		'hide-replies': 'Hide replies',
		'show-one': 'Show 1 reply',
		'show-other': 'Show {n} replies',
		'new-one': '1 new comment \u2014 jump to it',
		'new-other': '{n} new comments \u2014 jump to the first',
		'sending': 'Sending your comment\u2026',
		'published': 'Your comment is published.',
		'pending': 'Your comment is awaiting moderation.',
		'spam': 'Your comment was taken for spam and is not published; a moderator may still approve it.',
		'saved': 'Your changes are saved.',
		'deleted': 'Your comment is deleted.',
		'error-load': 'The comments could not be loaded.',
		'error-network': 'The comment server could not be reached. ' +
		    'Your text is still here: please try again.',
		'error-server': 'Something went wrong (error {status}). ' +
		    'Your text is still here: please try again.',
	};

	function strings(...els) {
		const s = Object.assign({}, STRINGS);
		for (const el of els)
			for (const a of el.attributes)
				if (a.name.startsWith('data-string-'))
					s[a.name.slice(12)] = a.value;
		return s;
	}

	/* A template as a list of strings and nodes: {time} may be a node. */
	function parts(tpl, vars) {
		return tpl.split(/(\{\w+\})/).filter((p) => p !== '').map((p) => {
			const m = /^\{(\w+)\}$/.exec(p);
			return m && m[1] in vars ? vars[m[1]] : p;
		});
	}
	const fmt = (tpl, vars) => parts(tpl, vars).join('');

	const LANG = document.documentElement.lang || 'en';
	function plural(S, pre, n) {
		let cat = 'other';
		try {
			cat = new Intl.PluralRules(LANG).select(n);
		} catch (e) {
			cat = n === 1 ? 'one' : 'other';
		}
		const tpl = n === 0 && S[pre + 'zero'] ? S[pre + 'zero'] :
		    S[pre + cat] || S[pre + 'other'];
		return fmt(tpl, { n: String(n) });
	}

	/* Children: nested lists flattened, null and false left out. */
	const kids = (a) => a.flat(3).filter((c) => c != null && c !== false);

	/* An element: attributes (null and false left out), then children,
	 * strings as text nodes. */
	function h(tag, attrs, ...cs) {
		const e = document.createElement(tag);
		for (const k in attrs) {
			const v = attrs[k];
			if (v != null && v !== false)
				e.setAttribute(k, v === true ? '' : v);
		}
		e.append(...kids(cs));
		return e;
	}

	/* --- storage ------------------------------------------------------ */

	function load(k, d) {
		try {
			const v = JSON.parse(localStorage.getItem(KEY(k)));
			return v == null ? d : v;
		} catch (e) {
			return d;
		}
	}
	function save(k, v) {
		try {
			localStorage.setItem(KEY(k), JSON.stringify(v));
		} catch (e) {
			/* full, or storage is off: the widget still works */
		}
	}
	/* The reader's author tokens: [{id, token, until, uri, body}], the
	 * body being the Markdown they typed (the API gives HTML only). */
	function tokens() {
		const t = now(), all = load('tokens', []);
		const v = Array.isArray(all) ? all.filter((x) => x && x.until > t) : [];
		if (v.length !== all.length)
			save('tokens', v);
		return v;
	}
	const own = (id) => tokens().find((x) => x.id === id);
	function keep(id, fields) {
		const v = tokens().filter((x) => x.id !== id);
		const old = own(id) || {};
		v.push(Object.assign(old, fields, { id }));
		save('tokens', v.slice(-MAX_TOKENS));
	}
	const drop = (id) => save('tokens', tokens().filter((x) => x.id !== id));

	/* --- the API ------------------------------------------------------ */

	/* {status, ok, j (the JSON or {})}; status 0 when the server could
	 * not be reached or would not let this site read its answer. */
	async function api(method, path, body, noToken) {
		const headers = {};
		const init = { method, headers, cache: 'no-store',
		    credentials: OWN ? 'same-origin' : 'omit' };
		const tok = noToken ? '' : tokens().slice(-MAX_TOKENS)
		    .map((x) => x.token).join('~');
		if (tok)
			headers['X-Palaver-Token'] = tok;
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		let r, j = {};
		try {
			r = await fetch(BASE + path, init);
		} catch (e) {
			return { status: 0, ok: false, j };
		}
		try {
			j = await r.json() || {};
		} catch (e) {
			/* not JSON: j stays empty */
		}
		return { status: r.status, ok: r.ok, j };
	}

	/* Times: "3 minutes ago" for a week, then the local date; the full
	 * local date on hover.  The datetime attribute stays UTC. */
	function when(t, abs) {
		const d = new Date(t * 1000), ago = (Date.now() - d) / 1000;
		let text;
		try {
			const full = new Intl.DateTimeFormat(LANG, { dateStyle: 'full',
			    timeStyle: 'short' }).format(d);
			if (abs)
				text = new Intl.DateTimeFormat(LANG, { timeStyle: 'short' }).format(d);
			else if (ago >= -60 && ago < 7 * 86400) {
				const rt = new Intl.RelativeTimeFormat(LANG, { numeric: 'auto' });
				const [n, u] = ago < 60 ? [0, 'second'] : ago < 3600 ?
				    [ago / 60, 'minute'] : ago < 86400 ? [ago / 3600, 'hour'] :
				    [ago / 86400, 'day'];
				text = rt.format(-Math.floor(n), u);
			} else
				text = new Intl.DateTimeFormat(LANG, { dateStyle: 'medium',
				    timeStyle: 'short' }).format(d);
			return [text, full];
		} catch (e) {
			return [d.toLocaleString(), ''];
		}
	}
	function localTimes(scope) {
		for (const el of scope.querySelectorAll('time[datetime]')) {
			const t = Date.parse(el.getAttribute('datetime'));
			if (isNaN(t))
				continue;
			/* "until 14:05", not "until in 14 minutes" */
			const [text, full] = when(t / 1000, el.closest('.window'));
			el.textContent = text;
			if (full)
				el.title = full;
		}
	}

	const okUrl = (u) => typeof u === 'string' && /^https?:\/\//i.test(u);
	const idOf = (li) => Number(li.id.slice(1));
	const art = (li) => li.querySelector(':scope > article');
	const created = (li) => {
		const t = li.querySelector(':scope > article > header time');
		return t ? Date.parse(t.getAttribute('datetime')) / 1000 : 0;
	};
	const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

	function focusOn(el) {
		if (!el)
			return;
		if (!el.hasAttribute('tabindex'))
			el.setAttribute('tabindex', '-1');
		el.focus();
		if (el.scrollIntoView)
			el.scrollIntoView({ block: 'nearest' });
	}

	/* --- one thread --------------------------------------------------- */

	class Thread {
		constructor(host, root) {
			this.host = host;
			this.root = root || host;
			this.S = strings(script, host);
			const d = (k, v) => host.getAttribute('data-' + k) || v;
			this.uri = d('uri', this.root.getAttribute('data-palaver-uri') ||
			    location.pathname);
			this.title = d('title', '');
			this.maxDepth = Number(d('max-depth', 6)) || 6;
			this.minSubmit = Number(d('min-submit',
			    script.getAttribute('data-min-submit') || 3));
			this.order = ORDERS.includes(d('order', '')) ? d('order') :
			    'oldest';
			/* ?c=ID or #cID: the page that holds that comment. */
			const c = /^#c(\d+)$/.exec(location.hash);
			this.c = new URLSearchParams(location.search).get('c') ||
			    (c ? c[1] : '');
			this.votes = this.voteMode(this.root.getAttribute('data-palaver-votes'));
			this.token = '';
			this.tokenAt = 0;
			this.aid = 0;
			this.closed = false;
			this.reply = null;	/* the one reply form */
			this.replyLink = null;
			const th = d('theme', 'auto');
			this.theme = /^(light|dark|auto)$/.test(th) ? th : 'auto';
		}

		voteMode(m) {
			return { up: m === 'up' || m === 'updown', down: m === 'updown' };
		}

		q(extra) {
			return '/api/comments?uri=' + enc(this.uri) + (this.order !==
			    'oldest' ? '&order=' + this.order : '') + (extra || '');
		}

		/* Every answer with a form token says how long palaver wants
		 * a post to wait after it ([spam] min_submit_seconds). */
		setToken(t, delay) {
			if (t) {
				this.token = t;
				this.tokenAt = Date.now();
			}
			if (typeof delay === 'number' && delay >= 0)
				this.minSubmit = delay;
		}

		/* Fetch the thread and draw it, then wire it as a fragment. */
		async load() {
			const root = this.root;
			root.classList.add('palaver', 'comments');
			root.setAttribute('data-theme', this.theme);
			root.setAttribute('aria-busy', 'true');
			root.replaceChildren(h('div', { class: 'status',
			    role: 'status', 'aria-live': 'polite' },
			    h('p', null, this.S.loading)));
			const r = await api('GET', this.q(/^\d+$/.test(this.c) ?
			    '&c=' + this.c : ''));
			root.removeAttribute('aria-busy');
			if (!r.ok || !Array.isArray(r.j.comments)) {
				this.say(r.j.error || this.S['error-load'], true);
				return;
			}
			this.setToken(r.j.form_token, r.j.submit_delay);
			this.draw(r.j);
			this.wire(true);
			const at = this.c && root.querySelector('#c' + this.c);
			if (at)
				focusOn(art(at));
		}

		draw(j) {
			const S = this.S, root = this.root, ar = j.article;

			this.aid = ar ? ar.id : 0;
			this.closed = !!(ar && ar.closed);
			if (j.votes)
				this.votes = j.votes;
			root.setAttribute('data-palaver-votes', this.votes.down ? 'updown' :
			    this.votes.up ? 'up' : 'off');
			/* Replies by e-mail, when palaver has mail set up. */
			this.notify = !!j.notify;
			if (!root.hasAttribute('aria-labelledby') &&
			    !root.hasAttribute('aria-label'))
				root.setAttribute('aria-labelledby', 'comments-h');
			root.setAttribute('data-palaver-uri', this.uri);
			root.setAttribute('data-palaver-article', this.aid);
			root.replaceChildren(...kids([
			    h('h2', { id: 'comments-h' }, plural(S, 'count-', j.total || 0)),
			    h('div', { class: 'status', role: 'status',
			    'aria-live': 'polite' }),
			    j.total > 1 && this.aid ? this.orderNav() : null,
			    j.comments.length ? this.list(j.comments, 0,
			    h('ol', { class: 'thread' }), null) :
			    h('p', { class: 'empty' }, S.empty),
			    j.next ? this.moreNav(j.next) : null,
			    this.closed ? h('p', { class: 'closed' }, S.closed) :
			    [h('h3', { id: 'reply' }, S.leave), this.form('f', 0)]]));
		}

		/* palaver's own page of the thread (where the links go without
		 * JavaScript); before the thread exists, the anchor alone. */
		page(q) {
			const i = q.indexOf('#');
			return this.aid ? BASE + '/articles/' + this.aid + q :
			    i >= 0 ? q.slice(i) : '#';
		}

		orderNav() {
			const S = this.S;
			return h('nav', { class: 'order', 'aria-label': S['order-label'] },
			    S.order, ORDERS.filter((o) => o !== 'best' || this.votes.up)
			    .map((o, i) => [i ? ' \u00b7 ' : ' ', h('a', { href:
			    this.page((i ? '?order=' + o : '') + '#comments'),
			    'aria-current': this.order === o ? 'true' : null }, S[o])]));
		}

		moreNav(next) {
			return h('nav', { class: 'pages', 'aria-label': this.S['more-label'] },
			    h('a', { rel: 'next', href: this.page('?after=' + next +
			    (this.order !== 'oldest' ? '&order=' + this.order : '') +
			    '#comments') }, this.S.more));
		}

		/* Replies fold away in a <details>, as on palaver's pages. */
		replies(n) {
			const S = this.S;
			return h('details', { class: 'replies', open: true }, h('summary', null,
			    h('span', { class: 'hide' }, S['hide-replies']),
			    h('span', { class: 'show' }, plural(S, 'show-', n))),
			    h('ol', { class: 'replies' }));
		}

		/* Comments and their replies into ol, nested to maxDepth, deeper
		 * ones drawn at maxDepth "in reply to" their parent (views.c). */
		list(cs, depth, ol, parent) {
			const all = (c) => (c.replies || []).reduce((n, r) => n + 1 + all(r), 0);
			for (const c of cs) {
				const li = this.comment(c, depth, depth > this.maxDepth ?
				    parent : null);
				ol.append(li);
				if (c.replies && c.replies.length) {
					if (depth < this.maxDepth) {
						const d = this.replies(all(c));
						this.list(c.replies, depth + 1, d.lastChild, c);
						li.append(d);
					} else
						this.list(c.replies, depth + 1, ol, c);
				}
			}
			return ol;
		}

		timeEl(t, abs) {
			const [text, full] = when(t, abs);
			return h('time', { datetime: new Date(t * 1000).toISOString()
			    .replace(/\.\d+Z$/, 'Z'), title: full || null }, text);
		}

		/* Up (and down) votes: the form palaver's pages draw. */
		voteForm(c) {
			const S = this.S, b = (v, cls, label, n) => h('button',
			    { name: 'vote', value: v, class: cls,
			    disabled: v < 0 && !this.votes.down },
			    h('span', { class: 'visually-hidden' }, label), ' ',
			    h('span', { class: 'n' }, String(n || 0)));
			return h('form', { class: 'vote', method: 'post',
			    action: this.page('/comments/' + c.id + '/vote') },
			    b('1', 'up', S['vote-up'], c.up),
			    this.votes.down || c.down > 0 ? b('-1', 'down',
			    S['vote-down'], c.down) : null);
		}

		/* One comment: <li class="comment" id="cID"><article>... */
		comment(c, depth, flatParent) {
			const S = this.S, id = c.id, pending = c.status === 'pending' ||
			    c.status === 'spam';
			const li = h('li', { class: 'comment' + (pending ? ' pending' : ''),
			    id: 'c' + id });
			const a = h('article', { 'aria-labelledby': 'c' + id + '-by' });
			li.append(a);
			if (c.status === 'deleted' || c.status === 'hidden') {
				a.append(h('p', { class: 'gone', id: 'c' + id + '-by' },
				    c.status === 'hidden' ? S.hidden : S.gone));
				return li;
			}
			const name = c.author || S.anonymous;
			const body = h('div', { class: 'body' });
			/* Sanitised by palaver when it was written (markup.c). */
			body.innerHTML = c.html || '';
			a.append(h('header', null,
			    h('span', { class: 'author', role: 'heading',
			    'aria-level': 3 + Math.min(depth, this.maxDepth),
			    id: 'c' + id + '-by' }, okUrl(c.website) ? h('a',
			    { href: c.website, rel: 'nofollow ugc noopener' }, name) : name),
			    ' ', h('a', { class: 'permalink', href: '#c' + id },
			    this.timeEl(c.created)),
			    c.edited ? [' ', h('span', { class: 'edited' }, S.edited)] : null,
			    flatParent ? [' ', h('a', { class: 'in-reply-to',
			    href: BASE + '/c/' + flatParent.id }, fmt(S['in-reply-to'],
			    { author: flatParent.author || S.anonymous }))] : null,
			    pending ? [' ', h('strong', { class: 'awaiting' },
			    S.awaiting)] : null),
			    body,
			    h('footer', { class: 'actions' }, this.votes.up && this.aid &&
			    c.status === 'approved' ? this.voteForm(c) : null, !this.closed &&
			    c.status === 'approved' ? h('a', { class: 'reply',
			    href: this.page('?reply=' + id + '#reply-' + id),
			    'aria-expanded': 'false' },
			    S.reply, h('span', { class: 'visually-hidden' },
			    fmt(S['reply-to'], { author: name }))) : null,
			    this.aid && c.status === 'approved' && !own(id) ? [' ', h('a',
			    { class: 'report', href: this.page('?report=' + id + '#report-' +
			    id) }, S.report, h('span', { class: 'visually-hidden' },
			    fmt(S['report-of'], { author: name })))] : null));
			return li;
		}

		/* A comment form as views.c draws it: pre "f" (the thread), "r"
		 * (a reply), "e" (an edit of comment id). */
		form(pre, id, src) {
			const S = this.S, edit = pre === 'e';
			const label = edit ? S['edit-body'] : pre === 'r' ?
			    S['reply-body'] : S.body;
			const ta = h('textarea', { id: pre + '-body', name: 'body',
			    rows: '6', required: true });
			const f = h('form', { class: 'comment-form', method: 'post',
			    action: edit ? this.page('/comments/' + id + '/edit') :
			    BASE + '/embed/comments?uri=' + enc(this.uri),
			    id: edit ? 'edit-' + id : pre === 'r' ? 'reply-' + id :
			    'comment-form' },
			    edit ? null : [
				h('input', { type: 'hidden', name: 'ts', value: this.token }),
				h('p', { class: 'hp', 'aria-hidden': 'true' },
				    h('label', { for: pre + '-hp' }, S.honeypot), ' ',
				    h('input', { id: pre + '-hp', name: 'hp',
				    tabindex: '-1', autocomplete: 'off' })),
				h('input', { type: 'hidden', name: 'title',
				    value: this.title }),
				h('input', { type: 'hidden', name: 'parent',
				    value: id || '' })],
			    h('p', null, h('label', { for: pre + '-body' }, label), ta),
			    edit ? null : [['author', 'text', 'name'],
				['email', 'email', 'email'], ['website', 'url', 'url']]
				.map(([n, type, ac]) => h('p', null,
				h('label', { for: pre + '-' + n }, S[n]),
				h('input', { id: pre + '-' + n, name: n, type,
				autocomplete: ac }))),
			    edit || !this.notify ? null : h('p', { class: 'notify' },
				h('label', null, h('input', { type: 'checkbox',
				name: 'notify', value: '1' }), ' ', S.notify)),
			    h('p', { class: 'form-actions' }, h('button',
			    { type: 'submit' }, edit ? S.save : id ? S['post-reply'] :
			    S.post), ' ', h('button', { type: 'submit', name: 'preview',
			    value: '1', class: 'secondary' }, S.preview), id ? [' ',
			    h('a', { href: '#c' + id }, S.cancel)] : null),
			    h('p', { class: 'hint' }, S.hint));
			if (src != null)
				ta.value = src;
			this.prefill(f);
			return f;
		}

		/* The name, e-mail and website the reader gave last time. */
		prefill(f) {
			const me = load('author', null);
			if (!me)
				return;
			for (const n of ['author', 'email', 'website'])
				if (f.elements[n] && !f.elements[n].value && me[n])
					f.elements[n].value = me[n];
		}

		/* The live region for what happened: views.c's div.status. */
		status() {
			let st = this.root.querySelector(':scope > .status');
			if (!st) {
				st = h('div', { class: 'status', role: 'status',
				    'aria-live': 'polite' });
				this.root.prepend(st);
			}
			return st;
		}

		/* quiet: said beside a comment already; the live region still
		 * tells screen readers. */
		say(msg, err, quiet) {
			this.status().replaceChildren(msg ? h('p', { class: quiet ?
			    'visually-hidden' : err ? 'form-error' : 'notice' }, msg) : '');
		}

		/* --- the same for a drawn thread and a server's fragment ---- */

		wire(fetched) {
			const root = this.root;
			if (root !== this.host || !root.hasAttribute('data-theme'))
				root.setAttribute('data-theme', this.theme);
			this.aid = Number(root.getAttribute('data-palaver-article')) || 0;
			this.closed = !!root.querySelector(':scope > .closed');
			this.votes = this.voteMode(root.getAttribute('data-palaver-votes'));
			const cur = root.querySelector('nav.order [aria-current]');
			if (cur)
				this.order = new URL(cur.href).searchParams.get('order') || 'oldest';
			if (this.notify === undefined)
				this.notify = !!root.querySelector('input[name=notify]');
			if (!this.title) {
				const t = root.querySelector('input[name=title]');
				this.title = t ? t.value : document.title;
			}
			if (!this.token) {
				const ts = root.querySelector('input[name=ts]');
				if (ts) {
					this.setToken(ts.value);
					/* A statically built fragment may be old: its
					 * token starts with when it was served. */
					const m = /^(\d{9,})\./.exec(ts.value);
					if (m && Date.now() - m[1] * 1000 > STALE_MS)
						this.tokenAt = 0;
				}
			}
			for (const a of root.querySelectorAll('a.reply'))
				a.setAttribute('aria-expanded', 'false');
			for (const f of root.querySelectorAll('form.comment-form'))
				this.prefill(f);
			root.addEventListener('click', (e) => this.click(e));
			root.addEventListener('submit', (e) => this.submit(e));
			root.addEventListener('keydown', (e) => {
				if (e.key !== 'Escape')
					return;
				const f = e.target.closest && e.target.closest('form.comment-form');
				if (f && f.id !== 'comment-form') {
					e.preventDefault();
					this.cancel(f);
				}
			});
			/* New since the last visit: marked once, by the time then. */
			const visits = load('visits', {});
			this.lastVisit = Number(visits[this.uri]) || 0;
			visits[this.uri] = now();
			const keys = Object.keys(visits);
			if (keys.length > 200)
				delete visits[keys[0]];
			save('visits', visits);
			this.decorate(root);
			this.markNew(root);
			/* A server-drawn fragment was drawn for everyone: the
			 * reader's own held comments are not in it. */
			if (!fetched && tokens().some((t) => t.uri === this.uri &&
			    !root.querySelector('#c' + t.id)))
				this.restore();
			if (!fetched && /^\d+$/.test(this.c) && this.aid &&
			    !root.querySelector('#c' + this.c))
				this.jump(this.c);
			setInterval(() => localTimes(root), 60000);
		}

		async restore() {
			const j = await this.fetchPage(0), mine = new Set(tokens().map((t) => t.id));
			const walk = (cs) => {
				for (const c of cs) {
					const q = (id) => this.root.querySelector('#c' + id);
					if (c.status === 'pending' && mine.has(c.id) && !q(c.id) &&
					    (!c.parent || q(c.parent)))
						this.mine(this.insert(c, c.parent), own(c.id));
					walk(c.replies || []);
				}
			};
			if (j)
				walk(j.comments);
		}

		/* Edit and delete on the reader's own comments, while they may;
		 * their own votes pressed; times in their zone. */
		decorate(scope) {
			for (const t of tokens()) {
				const li = scope.querySelector('#c' + t.id);
				if (li && li.matches('li.comment'))
					this.mine(li, t);
			}
			const mine = load('votes', {});
			for (const f of scope.querySelectorAll('form.vote'))
				this.pressed(f, mine[idOf(f.closest('li.comment'))] || 0);
			localTimes(scope);
		}

		pressed(f, v) {
			for (const b of f.querySelectorAll('button'))
				b.setAttribute('aria-pressed', String(Number(b.value) === v));
		}

		mine(li, t) {
			const foot = li.querySelector(':scope > article > footer.actions');
			if (!t || !foot || foot.querySelector('form.inline'))
				return;
			const rep = foot.querySelector('a.report');
			if (rep)
				rep.remove();
			const S = this.S, id = t.id;
			foot.append(...kids([t.body != null ? [' ', h('a', { class: 'edit',
			    href: this.page('?edit=' + id + '#c' + id) }, S.edit)] : '',
			    ' ', h('form', { class: 'inline', method: 'post',
			    action: this.page('/comments/' + id + '/delete') },
			    h('button', { type: 'submit' }, S.delete)), ' ',
			    h('span', { class: 'window' }, parts(S.window,
			    { time: this.timeEl(t.until, true) }))]));
			const ms = Math.min((t.until - now()) * 1000, 2 ** 31 - 1);
			setTimeout(() => this.unmine(li), Math.max(ms, 0));
		}

		/* The window has closed: no more edit and delete. */
		unmine(li) {
			const f = li.querySelector(':scope > article > form[id^="edit-"]');
			if (f)
				this.cancel(f, true);
			const foot = li.querySelector(':scope > article > footer.actions');
			if (foot)
				for (const e of foot.querySelectorAll('.edit, form.inline, .window, .pv-confirm'))
					e.remove();
		}

		markNew(scope) {
			if (!this.lastVisit)
				return;
			const mine = new Set(tokens().map((t) => t.id));
			for (const li of scope.querySelectorAll('li.comment'))
				if (!mine.has(idOf(li)) && created(li) > this.lastVisit)
					li.classList.add('new');
			const n = this.root.querySelectorAll('li.comment.new').length;
			let p = this.root.querySelector(':scope > .pv-new-since');
			if (!n) {
				if (p)
					p.remove();
				return;
			}
			if (!p) {
				p = h('p', { class: 'pv-new-since' });
				this.status().after(p);
			}
			p.replaceChildren(h('button', { type: 'button', class: 'pv-jump' },
			    plural(this.S, 'new-', n)));
		}

		click(e) {
			const t = e.target.closest('a, button');
			if (!t || !this.root.contains(t))
				return;
			let f;
			if (t.matches('a.reply'))
				this.openReply(t);
			else if (t.matches('a.report'))
				this.openReport(t.closest('li.comment'));
			else if (t.matches('a.in-reply-to') && this.root.querySelector(
			    '#c' + t.href.split('/').pop()))
				focusOn(art(this.root.querySelector('#c' + t.href.split('/').pop())));
			else if (t.matches('a.edit'))
				this.openEdit(t.closest('li.comment'));
			else if (t.matches('.pv-jump'))
				focusOn((f = this.root.querySelector('li.comment.new')) && art(f));
			else if (t.matches('.pv-yes'))
				this.del(t.closest('li.comment'));
			else if (t.matches('.pv-no'))
				this.confirm(t.closest('footer'), false);
			else if (t.matches('nav.pages a'))
				this.more(t);
			else if (t.matches('nav.order a'))
				this.reorder(new URL(t.href).searchParams.get('order') || 'oldest');
			else if (t.matches('.form-actions a') &&
			    (f = t.closest('form.comment-form, form.report-form')))
				this.cancel(f);
			else
				return;
			e.preventDefault();
		}

		submit(e) {
			const f = e.target, by = e.submitter;
			if (!f.matches('form.inline, form.vote, form.report-form, form.comment-form'))
				return;
			e.preventDefault();
			if (f.matches('form.inline'))
				this.confirm(f.closest('footer'), true);
			else if (f.pvBusy)
				return;
			else if (f.matches('form.vote'))
				this.vote(f, by);
			else if (f.matches('form.report-form'))
				this.report(f);
			else if (by && by.name === 'preview')
				this.preview(f);
			else if (f.id.startsWith('edit-'))
				this.edit(f);
			else
				this.post(f);
		}

		/* --- votes, reports, preview ---------------------------------- */

		async vote(f, by) {
			const li = f.closest('li.comment'), id = idOf(li), mine = load('votes', {});
			const v = !by ? 1 : by.getAttribute('aria-pressed') === 'true' ? 0 :
			    Number(by.value);
			this.busy(f, true);
			const r = await api('POST', '/api/comments/' + id + '/vote',
			    { vote: v, voter: load('voter', undefined) });
			this.busy(f, false);
			if (r.status !== 200) {
				this.say(r.j.error || (r.status ? fmt(this.S['error-server'],
				    { status: String(r.status) }) : this.S['error-network']), true);
				return;
			}
			if (r.j.voter)
				save('voter', r.j.voter);
			mine[id] = v;
			if (!v)
				delete mine[id];
			const keys = Object.keys(mine);
			if (keys.length > 500)
				delete mine[keys[0]];
			save('votes', mine);
			for (const b of f.querySelectorAll('button'))
				b.querySelector('.n').textContent = String(b.value > 0 ? r.j.up : r.j.down);
			this.pressed(f, v);
		}

		/* The report form under a comment, as palaver's pages draw it. */
		openReport(li) {
			const S = this.S, id = idOf(li), a = art(li);
			let f = a.querySelector(':scope > form.report-form');
			if (!f) {
				const p = 'p-' + id;
				f = h('form', { class: 'report-form', method: 'post', id: 'report-' + id,
				    action: this.page('/comments/' + id + '/report') },
				    h('fieldset', null, h('legend', null, S['report-q']),
				    ['spam', 'abuse', 'off-topic', 'other'].map((w, i) => h('p',
				    { class: 'choice' }, h('input', { type: 'radio', name: 'reason',
				    id: p + '-' + i, value: w, required: true }), ' ',
				    h('label', { for: p + '-' + i }, S['why-' + w])))),
				    h('p', null, h('label', { for: p + '-text' }, S['report-text']),
				    h('input', { id: p + '-text', name: 'text', type: 'text',
				    maxlength: '200' })),
				    h('p', { class: 'form-actions' }, h('button', { type: 'submit' },
				    S['report-send']), ' ', h('a', { href: '#c' + id }, S.cancel)),
				    h('p', { class: 'hint' }, S['report-hint']));
				a.append(f);
			}
			f.querySelector('input').focus();
		}

		async report(f) {
			const li = f.closest('li.comment'), el = f.elements;
			this.clearErrors(f);
			this.busy(f, true);
			const r = await api('POST', '/api/comments/' + idOf(li) + '/report',
			    { reason: el.reason.value, text: el.text.value.trim() });
			this.busy(f, false);
			if (r.status !== 200) {
				this.fail(f, r, el.text);
				return;
			}
			const p = h('p', { class: 'notice', tabindex: '-1' }, this.S.reported);
			f.replaceWith(p);
			p.focus();
			this.say(this.S.reported, false, true);
		}

		/* The body as palaver will publish it, by its own renderer. */
		async preview(f) {
			const ta = f.elements.body;
			this.busy(f, true);
			const r = await api('POST', '/api/preview', { body: ta.value });
			this.busy(f, false);
			this.clearErrors(f);
			if (r.status !== 200) {
				this.fail(f, r);
				return;
			}
			let sec = f.querySelector('section.preview');
			const pre = ta.id.split('-')[0] + '-preview-h';
			if (!sec)
				ta.parentNode.after(sec = h('section', { class: 'preview',
				    'aria-labelledby': pre }, h('h4', { id: pre }, this.S['preview-h']),
				    h('div', { class: 'body' })));
			/* Sanitised by palaver (markup.c), as it will be published. */
			sec.lastChild.innerHTML = r.j.html || '';
			focusOn(sec);
		}

		/* The page of the thread that holds comment id, in place. */
		async jump(id) {
			const j = await this.fetchPage(0, '&c=' + id);
			if (!j)
				return;
			this.threadList().replaceChildren(...this.list(j.comments, 0,
			    h('ol', { class: 'thread' }), null).children);
			this.pages(j.next);
			this.decorate(this.threadList());
			const li = this.root.querySelector('#c' + id);
			if (li)
				focusOn(art(li));
		}

		/* --- replying ----------------------------------------------- */

		openReply(link) {
			const li = link.closest('li.comment'), id = idOf(li);
			const f = this.reply || (this.reply = this.form('r', id));
			if (this.replyLink && this.replyLink !== link)
				this.replyLink.setAttribute('aria-expanded', 'false');
			f.id = 'reply-' + id;
			f.elements.parent.value = id;
			f.querySelector('.form-actions a').setAttribute('href', '#c' + id);
			if (f.parentNode !== art(li))
				art(li).append(f);
			link.setAttribute('aria-expanded', 'true');
			link.setAttribute('aria-controls', f.id);
			this.replyLink = link;
			f.elements.body.focus();
		}

		/* Close a reply or edit form; what was typed in a reply stays in
		 * it for next time. */
		cancel(f, quiet) {
			if (f.matches('form.report-form')) {
				const l = f.closest('li.comment').querySelector('a.report');
				f.remove();
				if (!quiet && l)
					l.focus();
			} else if (f === this.reply) {
				f.remove();
				const l = this.replyLink;
				if (l) {
					l.setAttribute('aria-expanded', 'false');
					if (!quiet && l.isConnected)
						l.focus();
				}
				this.replyLink = null;
			} else if (f.pvKept) {
				const [body, foot] = f.pvKept;
				f.replaceWith(body);
				body.after(foot);
				const l = foot.querySelector('a.edit');
				if (!quiet && l)
					l.focus();
			}
		}

		clearErrors(f) {
			for (const e of f.querySelectorAll('.form-error'))
				e.remove();
			for (const e of f.querySelectorAll('[aria-invalid]')) {
				e.removeAttribute('aria-invalid');
				e.removeAttribute('aria-describedby');
			}
		}

		/* The answer's message at the form, the named field marked; the
		 * reader's text is left as it was. */
		fail(f, r, field) {
			const S = this.S;
			const msg = r.status === 0 ? S['error-network'] : r.j.error ||
			    fmt(S['error-server'], { status: String(r.status) });
			const eid = (field || f.elements.body).id.split('-')[0] + '-error';
			const p = h('p', { class: 'form-error', role: 'alert', id: eid }, msg);
			f.prepend(p);
			const fld = r.j.field && f.elements[r.j.field];
			if (fld && fld.type && fld.type !== 'hidden' && fld.name !== 'hp') {
				fld.setAttribute('aria-invalid', 'true');
				fld.setAttribute('aria-describedby', eid);
				fld.focus();
			}
			this.say('');
		}

		busy(f, on) {
			f.pvBusy = on;
			const b = f.querySelector('button[type=submit]');
			if (b)
				b.disabled = on;
			if (on)
				f.setAttribute('aria-busy', 'true');
			else
				f.removeAttribute('aria-busy');
		}

		/* A form token palaver will take: not stale, and (as its spam
		 * rules want) not sent sooner than min-submit seconds after it
		 * was served. */
		async ready() {
			if (!this.token || Date.now() - this.tokenAt > STALE_MS) {
				const r = await api('GET', '/api/comments?uri=' +
				    enc(this.uri));
				if (r.ok)
					this.setToken(r.j.form_token, r.j.submit_delay);
			}
			const wait = this.minSubmit * 1000 + 150 -
			    (Date.now() - this.tokenAt);
			if (wait > 0)
				await sleep(wait);
		}

		async post(f) {
			const S = this.S, el = f.elements, parent = Number(el.parent.value) || 0;
			const v = (n) => el[n] ? el[n].value.trim() : '';
			this.clearErrors(f);
			this.busy(f, true);
			this.say(S.sending);
			await this.ready();
			const body = el.body.value;
			const r = await api('POST', '/api/comments?uri=' + enc(this.uri), {
				parent: parent || null, author: v('author'),
				email: v('email'), website: v('website'), body,
				form_token: this.token, hp: '', title: this.title,
				notify: !!(el.notify && el.notify.checked),
			});
			this.busy(f, false);
			if (r.status !== 201 || !r.j.id) {
				this.fail(f, r);
				return;
			}
			const c = r.j;
			this.setToken(c.form_token, c.submit_delay);
			if (c.token)
				keep(c.id, { token: c.token, until: c.edit_until,
				    uri: this.uri, body });
			save('author', { author: v('author'), email: v('email'),
			    website: v('website') });
			el.body.value = '';
			if (f === this.reply)
				this.cancel(f, true);
			else if (f.id !== 'comment-form')
				f.remove();	/* palaver drew it (?reply=) */
			const li = this.insert(c, parent);
			const t = own(c.id);
			if (t)
				this.mine(li, t);
			/* What became of it, beside it, where the reader is. */
			const said = c.status === 'spam' ? S.spam : c.status ===
			    'pending' ? S.pending : S.published;
			li.classList.add('posted');
			art(li).querySelector('header').after(h('p', { class: 'notice' }, said));
			focusOn(art(li));
			this.say(said, false, true);
			if (c.status === 'approved')
				this.count(1);
		}

		/* The thread list, made when the thread had no comments. */
		threadList() {
			let ol = this.root.querySelector(':scope > ol.thread');
			if (!ol) {
				ol = h('ol', { class: 'thread' });
				const at = this.root.querySelector(':scope > .empty') ||
				    this.root.querySelector(':scope > nav.pages, :scope > #reply, :scope > .closed');
				if (at && at.matches('.empty'))
					at.replaceWith(ol);
				else if (at)
					at.before(ol);
				else
					this.root.append(ol);
			}
			return ol;
		}

		/* A comment just posted, where the thread would show it. */
		insert(c, parentId) {
			const pli = parentId && this.root.querySelector('#c' + parentId);
			let li;
			if (!pli || !pli.matches('li.comment')) {
				li = this.comment(c, 0, null);
				const ol = this.threadList();
				if (this.order === 'newest')
					ol.prepend(li);
				else
					ol.append(li);
				return li;
			}
			let depth = 0;
			for (let p = pli.parentElement; p && p !== this.root; p = p.parentElement)
				if (p.matches('ol.replies'))
					depth++;
			if (depth < this.maxDepth) {
				li = this.comment(c, depth + 1, null);
				let ol = pli.querySelector(':scope > details > ol.replies');
				if (!ol)
					pli.append((ol = this.replies(0).lastChild).parentNode);
				ol.append(li);
				const n = ol.querySelectorAll('li.comment').length;
				ol.previousElementSibling.lastChild.textContent = plural(this.S, 'show-', n);
				return li;
			}
			const who = pli.querySelector(':scope > article .author');
			li = this.comment(c, depth + 1, { id: parentId,
			    author: who ? who.textContent : '' });
			/* Depth-first, as palaver orders a thread: after the
			 * replies drawn flat beneath the parent, at any level. */
			const under = new Set([String(parentId)]);
			let last = pli;
			for (let x = pli.nextElementSibling; x; x = x.nextElementSibling) {
				const a = x.querySelector(':scope > article > header .in-reply-to');
				if (!a || !under.has(a.href.split('/').pop()))
					break;
				under.add(x.id.slice(1));
				last = x;
			}
			last.after(li);
			return li;
		}

		count(delta) {
			const h2 = this.root.querySelector(':scope > h2');
			if (!h2)
				return;
			const m = /\d+/.exec(h2.textContent);
			const n = Math.max(0, (m ? Number(m[0]) : 0) + delta);
			h2.textContent = plural(this.S, 'count-', n);
			for (const a of document.querySelectorAll('[data-palaver-count]'))
				if (a.getAttribute('data-palaver-count') === this.uri)
					a.textContent = plural(strings(script, a), 'count-', n);
		}

		/* --- the reader's own comments -------------------------------- */

		openEdit(li) {
			const t = own(idOf(li)), a = art(li);
			if (!t || t.body == null)
				return;
			let f = a.querySelector(':scope > form[id^="edit-"]');
			if (!f) {
				if (this.reply && this.reply.parentNode === a)
					this.cancel(this.reply, true);
				const body = a.querySelector(':scope > .body');
				const foot = a.querySelector(':scope > footer.actions');
				f = this.form('e', t.id, t.body);
				f.pvKept = [body, foot];
				body.replaceWith(f);
				foot.remove();
			}
			f.elements.body.focus();
		}

		async edit(f) {
			const id = Number(f.id.slice(5)), body = f.elements.body.value;
			this.clearErrors(f);
			this.busy(f, true);
			const r = await api('PUT', '/api/comments/' + id, { body });
			this.busy(f, false);
			if (r.status !== 200) {
				this.fail(f, r);
				return;
			}
			const [div] = f.pvKept;
			/* Sanitised by palaver (markup.c). */
			div.innerHTML = r.j.html || '';
			const li = f.closest('li.comment'), hd = art(li).querySelector('header');
			if (!hd.querySelector('.edited'))
				hd.querySelector('.permalink').after(' ', h('span',
				    { class: 'edited' }, this.S.edited));
			keep(id, { body });
			this.cancel(f);
			this.say(this.S.saved);
		}

		/* Delete asks first, in place. */
		confirm(foot, ask) {
			const S = this.S, form = foot.querySelector('form.inline');
			const old = foot.querySelector('.pv-confirm');
			if (ask && form) {
				const q = h('span', { class: 'pv-confirm', role: 'group',
				    'aria-label': S['delete-confirm'] }, S['delete-confirm'],
				    ' ', h('button', { type: 'button', class: 'link pv-yes' },
				    S['delete-yes']), ' ', h('button', { type: 'button',
				    class: 'link pv-no' }, S['delete-no']));
				q.pvForm = form;
				form.replaceWith(q);
				q.querySelector('.pv-yes').focus();
			} else if (!ask && old) {
				old.replaceWith(old.pvForm);
				old.pvForm.querySelector('button').focus();
			}
		}

		async del(li) {
			const id = idOf(li);
			const r = await api('DELETE', '/api/comments/' + id);
			const foot = art(li).querySelector('footer.actions');
			if (r.status !== 200) {
				this.confirm(foot, false);
				this.say(r.j.error || (r.status ? fmt(this.S['error-server'],
				    { status: String(r.status) }) : this.S['error-network']), true);
				if (r.status === 403) {
					drop(id);
					this.unmine(li);
				}
				return;
			}
			drop(id);
			const shown = !li.classList.contains('pending');
			if (li.querySelector(':scope > details > ol.replies > li') ||
			    this.root.querySelector('a.in-reply-to[href$="/c/' + id + '"]')) {
				li.classList.remove('pending', 'new');
				art(li).replaceChildren(h('p', { class: 'gone',
				    id: 'c' + id + '-by' }, this.S.gone));
			} else {
				const ol = li.parentElement;
				li.remove();
				if (ol.matches('ol.replies') && !ol.children.length)
					ol.parentElement.remove();
			}
			if (shown)
				this.count(-1);
			this.say(this.S.deleted);
			focusOn(this.root.querySelector(':scope > h2'));
		}

		/* --- more of the thread ------------------------------------- */

		async fetchPage(after, extra) {
			const r = await api('GET', this.q((after ? '&after=' + enc(after) : '') +
			    (extra || '')));
			if (!r.ok || !Array.isArray(r.j.comments)) {
				this.say(r.j.error || this.S['error-load'], true);
				return null;
			}
			if (!this.token)
				this.setToken(r.j.form_token, r.j.submit_delay);
			return r.j;
		}

		/* Next page appended; what this reader posted meanwhile and the
		 * page brings again is drawn where the page has it. */
		async more(link) {
			if (link.pvBusy)
				return;
			link.pvBusy = true;
			link.setAttribute('aria-disabled', 'true');
			const after = new URL(link.href, location.href).searchParams.get('after');
			const j = await this.fetchPage(after);
			link.pvBusy = false;
			link.removeAttribute('aria-disabled');
			if (!j)
				return;
			for (const c of j.comments) {
				const old = this.root.querySelector('#c' + c.id);
				if (old)
					old.remove();
			}
			const frag = this.list(j.comments, 0, h('ol', { class: 'thread' }), null);
			const first = frag.firstElementChild;
			this.threadList().append(...frag.children);
			this.pages(j.next);
			this.decorate(this.threadList());
			this.markNew(this.root);
			focusOn(first && art(first));
		}

		pages(next) {
			const nav = this.root.querySelector(':scope > nav.pages');
			if (nav)
				nav.remove();
			if (next)
				this.threadList().after(this.moreNav(next));
		}

		async reorder(order) {
			this.order = order;
			const j = await this.fetchPage(0);
			if (!j)
				return;
			if (this.reply)
				this.cancel(this.reply, true);
			const ol = this.threadList();
			ol.replaceChildren(...this.list(j.comments, 0,
			    h('ol', { class: 'thread' }), null).children);
			this.pages(j.next);
			for (const a of this.root.querySelectorAll('nav.order a'))
				if ((new URL(a.href).searchParams.get('order') || 'oldest') === order)
					a.setAttribute('aria-current', 'true');
				else
					a.removeAttribute('aria-current');
			this.decorate(ol);
			this.markNew(ol);
		}
	}

	/* --- counts on index pages ------------------------------------------ */

	async function counts() {
		const els = [...document.querySelectorAll('[data-palaver-count]')];
		const uris = [...new Set(els.map((e) => e.getAttribute('data-palaver-count')))];
		const asks = [];
		/* The API answers 100 uris at a time. */
		for (let i = 0; i < uris.length; i += 100)
			asks.push(api('GET', '/api/counts?' + uris.slice(i, i + 100)
			    .map((u) => 'uri=' + enc(u)).join('&'), undefined, true));
		for (const r of await Promise.all(asks))
			if (r.ok)
				for (const e of els) {
					const n = r.j[e.getAttribute('data-palaver-count')];
					if (typeof n === 'number')
						e.textContent = plural(strings(script, e), 'count-', n);
				}
	}

	/* --- start ------------------------------------------------------------ */

	const started = new WeakSet();

	function start() {
		const css = BASE + '/static/palaver.css';
		const hosts = [...document.querySelectorAll('#palaver-thread, [data-palaver-thread]')];
		for (const f of document.querySelectorAll('[data-palaver-rendered="1"]'))
			if (!hosts.some((x) => x.contains(f)))
				hosts.push(f);
		if (hosts.length && ![...document.querySelectorAll('link[rel~="stylesheet"]')]
		    .some((l) => l.href === css))
			document.head.append(h('link', { rel: 'stylesheet', href: css }));
		for (const host of hosts) {
			if (started.has(host))
				continue;
			started.add(host);
			const done = host.matches('[data-palaver-rendered="1"]') ? host :
			    host.querySelector('[data-palaver-rendered="1"]');
			const t = new Thread(host, done);
			if (done)
				t.wire();
			else
				t.load();
		}
		counts();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
