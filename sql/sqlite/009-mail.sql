-- 009-mail.sql: mail and webhooks.  Readers' subscriptions to replies,
-- moderators' alerts, the changes that cause messages (written in the
-- transaction of the change: a transactional outbox), the messages the
-- background sender delivers, and the lease that lets one process at a
-- time be that sender.

-- Where a moderator's alerts go, and how often.
ALTER TABLE moderators ADD COLUMN email TEXT;	-- their address for alerts, NULL: none
ALTER TABLE moderators ADD COLUMN alerts TEXT NOT NULL DEFAULT 'none'	-- none, each (a message a held comment) or digest
	CHECK (alerts IN ('none', 'each', 'digest'));
ALTER TABLE moderators ADD COLUMN digest_minutes INTEGER NOT NULL DEFAULT 60;	-- a digest at most this often
ALTER TABLE moderators ADD COLUMN digest_last INTEGER NOT NULL DEFAULT 0;	-- unix seconds: held comments up to here were in a digest

-- Addresses readers gave with "e-mail me replies".  Nothing but the
-- confirmation is sent to one until it confirms (double opt-in).
CREATE TABLE subscribers (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- never reused: an old link cannot name a newer subscriber
	email		TEXT NOT NULL UNIQUE,		-- the address, lower-case
	created		INTEGER NOT NULL,		-- unix seconds
	confirmed	INTEGER,			-- unix seconds it confirmed, NULL: not (yet, or again after "stop all")
	asked		INTEGER NOT NULL DEFAULT 0	-- unix seconds the last confirmation message was queued
);

-- What a subscriber follows: published replies to one of their comments.
CREATE TABLE subscriptions (
	subscriber	INTEGER NOT NULL		-- who
			REFERENCES subscribers (id) ON DELETE CASCADE,
	comment		INTEGER NOT NULL		-- their comment, whose replies they get
			REFERENCES comments (id) ON DELETE CASCADE,
	article		INTEGER NOT NULL		-- its thread: one unsubscribe link ends the thread
			REFERENCES articles (id) ON DELETE CASCADE,
	created		INTEGER NOT NULL,		-- unix seconds
	PRIMARY KEY (subscriber, comment)
);
CREATE INDEX subscriptions_comment ON subscriptions (comment);
CREATE INDEX subscriptions_thread ON subscriptions (subscriber, article);

-- Changes that cause messages, each written in the transaction of the
-- change.  The sender turns each, oldest first, into outbox rows and
-- deletes it, in one transaction, so a change is never lost nor
-- announced twice.  The comment is copied as it was (it may be changed or
-- gone by then); rows live seconds.
CREATE TABLE events (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- order of the changes
	kind		TEXT NOT NULL			-- what happened
			CHECK (kind IN ('published', 'held', 'deleted',
			    'reported', 'confirm')),
	at		INTEGER NOT NULL,		-- unix seconds
	subscriber	INTEGER,			-- confirm: the address to confirm
	comment		INTEGER,			-- the comment (no foreign key: it may be gone)
	article		INTEGER,			-- its article, then:
	uri		TEXT,				-- the article's uri
	title		TEXT,				-- the article's title
	parent		INTEGER,			-- the comment it replies to, NULL at top level
	author		TEXT,				-- the comment's author
	email		TEXT,				-- its author's e-mail (no mail about one's own reply)
	body		TEXT,				-- its Markdown, for the plain-text part of mail
	html		TEXT,				-- its rendered HTML
	status		TEXT,				-- its status after the change
	score		REAL,				-- its spam score
	reasons		TEXT,				-- and the reasons
	created		INTEGER				-- unix seconds it was posted
);

-- Messages to deliver: mail (the whole RFC 5322 message) and webhook
-- deliveries (the JSON body).  Kept [mail] keep_days after they are done,
-- for the hourly cap and for admins to see failures.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- order: webhooks to one URL go in this order
	kind		TEXT NOT NULL			-- mail or webhook
			CHECK (kind IN ('mail', 'webhook')),
	target		TEXT NOT NULL,			-- the recipient's address, or the webhook's URL
	what		TEXT NOT NULL,			-- confirm, reply, alert, digest; or the webhook's event
	payload		TEXT NOT NULL,			-- the message, or the JSON body
	comment		INTEGER,			-- the comment it is about, if one
	state		TEXT NOT NULL DEFAULT 'queued'	-- queued, sent, failed (for good), dropped (over the hourly cap, or the address left)
			CHECK (state IN ('queued', 'sent', 'failed', 'dropped')),
	attempts	INTEGER NOT NULL DEFAULT 0,	-- deliveries tried
	next_try	INTEGER NOT NULL,		-- unix seconds of the next try
	created		INTEGER NOT NULL,		-- unix seconds
	done		INTEGER,			-- unix seconds it was sent, failed or dropped
	last_error	TEXT				-- why the last try failed
);
CREATE INDEX outbox_due ON outbox (state, next_try);
CREATE INDEX outbox_target ON outbox (target, state, done);

-- Jobs one process runs at a time for the whole site, whichever worker
-- holds the lease: the sender.  A holder renews it while it works; when
-- it dies, another takes over once `until` has passed.
CREATE TABLE leases (
	name		TEXT PRIMARY KEY NOT NULL,	-- the job
	holder		TEXT NOT NULL,			-- who holds it (process and a random tag), '' none
	until		INTEGER NOT NULL		-- unix seconds it lasts to
);
INSERT INTO leases (name, holder, until) VALUES ('sender', '', 0);
