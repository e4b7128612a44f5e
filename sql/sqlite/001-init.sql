-- 001-init.sql: the first schema of palaver.
-- Forward-only: a shipped migration is never edited; changes go in 002-...

-- Key/value settings kept with the data, such as the server secret.
CREATE TABLE settings (
	key	TEXT PRIMARY KEY NOT NULL,	-- setting name, e.g. 'secret'
	value	BLOB NOT NULL			-- its value
);

-- One row a page that comments hang under.
CREATE TABLE articles (
	id		INTEGER PRIMARY KEY,		-- stable id, used in /articles/{id}
	uri		TEXT NOT NULL UNIQUE,		-- the key an embedding page uses, e.g. /2015/01/28/post/
	title		TEXT NOT NULL,			-- plain-text title
	body		TEXT,				-- Markdown source for hosted pages, or NULL
	body_html	TEXT,				-- body rendered once at write time, or NULL
	created		INTEGER NOT NULL,		-- unix seconds
	closed		INTEGER NOT NULL DEFAULT 0	-- 1: no new comments
			CHECK (closed IN (0, 1)),
	mode		TEXT				-- per-article moderation override, NULL: the config's
			CHECK (mode IS NULL OR mode IN ('pre', 'post')),
	version		INTEGER NOT NULL DEFAULT 1,	-- bumped on every visible change to its comments (ETag)
	ncomments	INTEGER NOT NULL DEFAULT 0	-- approved comments, kept in step by the writers
);
CREATE INDEX articles_created ON articles (created DESC, id DESC);

-- Reader comments.  `path` orders a whole article depth-first in one index
-- scan: it is the parent's path followed by this comment's id as 8 bytes
-- big-endian, so byte order is thread order, and siblings come oldest first.
CREATE TABLE comments (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- stable id, the anchor #c{id}; never reused
	article		INTEGER NOT NULL		-- the article it belongs to
			REFERENCES articles (id) ON DELETE CASCADE,
	parent		INTEGER				-- the comment it replies to, NULL at top level
			REFERENCES comments (id) ON DELETE CASCADE,
	root		INTEGER NOT NULL,		-- id of its top-level ancestor (itself at top level)
	depth		INTEGER NOT NULL DEFAULT 0,	-- 0 at top level
	path		BLOB NOT NULL,			-- depth-first ordering key, see above
	author		TEXT NOT NULL,			-- display name, "Anonymous" when none given
	email		TEXT,				-- optional, never shown to readers
	website		TEXT,				-- optional http(s) URL
	body		TEXT NOT NULL,			-- Markdown source as typed
	html		TEXT NOT NULL,			-- body rendered once at write time
	status		TEXT NOT NULL DEFAULT 'pending'	-- moderation state
			CHECK (status IN ('pending', 'approved', 'spam', 'deleted')),
	score		REAL NOT NULL DEFAULT 0,	-- spam score 0..1, the highest of rules and hook
	reasons		TEXT NOT NULL DEFAULT '',	-- why it scored so, one reason a line
	created		INTEGER NOT NULL,		-- unix seconds
	edited		INTEGER,			-- unix seconds of the last edit, or NULL
	edited_by	INTEGER				-- moderator who last edited it, NULL: the author
			REFERENCES moderators (id) ON DELETE SET NULL,
	addr_hash	TEXT,				-- keyed hash (server secret) of the poster's address
	user_agent	TEXT				-- the poster's User-Agent
);
CREATE UNIQUE INDEX comments_thread ON comments (article, path);
CREATE INDEX comments_top ON comments (article, status, id) WHERE parent IS NULL;
CREATE INDEX comments_status ON comments (status, created);
CREATE INDEX comments_parent ON comments (parent);
CREATE INDEX comments_addr ON comments (addr_hash, created);

-- Moderator and admin accounts.
CREATE TABLE moderators (
	id		INTEGER PRIMARY KEY,		-- stable id
	name		TEXT NOT NULL UNIQUE,		-- login name
	hash		TEXT NOT NULL,			-- Argon2id hash string from crypto_pwhash_str
	role		TEXT NOT NULL DEFAULT 'moderator'	-- what they may do
			CHECK (role IN ('admin', 'moderator')),
	created		INTEGER NOT NULL,		-- unix seconds
	last_login	INTEGER				-- unix seconds, NULL: never
);

-- Moderator sessions.  Only a hash of the cookie's token is kept.
CREATE TABLE sessions (
	token_hash	BLOB PRIMARY KEY NOT NULL,	-- hash of the session token, never the token
	moderator	INTEGER NOT NULL		-- whose session
			REFERENCES moderators (id) ON DELETE CASCADE,
	created		INTEGER NOT NULL,		-- unix seconds: absolute expiry counts from here
	seen		INTEGER NOT NULL,		-- unix seconds: idle expiry counts from here
	expires		INTEGER NOT NULL,		-- unix seconds: hard end
	csrf		BLOB NOT NULL			-- per-session CSRF secret
);
CREATE INDEX sessions_moderator ON sessions (moderator);

-- Bans: by e-mail, keyed address hash or address prefix.
CREATE TABLE bans (
	id		INTEGER PRIMARY KEY,		-- stable id
	kind		TEXT NOT NULL			-- what `value` is
			CHECK (kind IN ('email', 'addr_hash', 'prefix')),
	value		TEXT NOT NULL,			-- the e-mail, hash or prefix (e.g. 192.0.2.0/24)
	reason		TEXT NOT NULL DEFAULT '',	-- why, for the other moderators
	created		INTEGER NOT NULL,		-- unix seconds
	expires		INTEGER,			-- unix seconds, NULL: never
	moderator	INTEGER				-- who banned
			REFERENCES moderators (id) ON DELETE SET NULL,
	UNIQUE (kind, value)
);

-- Every moderator decision, login and account change.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,		-- order of events
	at		INTEGER NOT NULL,		-- unix seconds
	moderator	INTEGER				-- who, NULL for failed logins and the CLI
			REFERENCES moderators (id) ON DELETE SET NULL,
	actor		TEXT NOT NULL,			-- name as typed or 'cli', kept when the account goes
	action		TEXT NOT NULL,			-- e.g. login, login-failed, approve, spam, ban
	target		TEXT NOT NULL DEFAULT '',	-- e.g. comment:42, article:7, user:bob
	before		TEXT,				-- text before an edit
	after		TEXT,				-- text after an edit
	addr_hash	TEXT				-- keyed hash of the actor's address
);
CREATE INDEX audit_at ON audit (at DESC, id DESC);

-- Recent login failures, for throttling by name and by address.
CREATE TABLE login_failures (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,		-- unix seconds
	name		TEXT NOT NULL,			-- name as typed
	addr_hash	TEXT NOT NULL			-- keyed hash of the address
);
CREATE INDEX login_failures_name ON login_failures (name, at);
CREATE INDEX login_failures_addr ON login_failures (addr_hash, at);

-- Recent posts per address, for the posting rate limit.
CREATE TABLE post_log (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,		-- unix seconds
	addr_hash	TEXT NOT NULL			-- keyed hash of the address
);
CREATE INDEX post_log_addr ON post_log (addr_hash, at);
