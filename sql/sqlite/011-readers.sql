-- 011-readers.sql: readers' votes and "best first", and reports of
-- comments that readers think should not be shown.

-- Votes: one a reader a comment; a change of mind replaces it.  A reader
-- is their voter token (a cookie, or what the widget keeps) and the
-- address it came from: a vote from either replaces the earlier one, so
-- clearing cookies does not vote twice.
CREATE TABLE votes (
	comment		INTEGER NOT NULL		-- the comment voted on
			REFERENCES comments (id) ON DELETE CASCADE,
	voter		TEXT NOT NULL,			-- keyed hash (server secret) of the reader's voter token
	addr_hash	TEXT,				-- keyed hash of the address it came from (rotating key), NULL: none
	value		INTEGER NOT NULL		-- up or down
			CHECK (value IN (-1, 1)),
	at		INTEGER NOT NULL,		-- unix seconds of the vote (or its last change)
	PRIMARY KEY (comment, voter)
) WITHOUT ROWID;
CREATE INDEX votes_addr ON votes (comment, addr_hash);

-- The counts, kept in step with `votes` by the same transaction, and the
-- ranking they give: the lower bound of the Wilson score interval (95%)
-- of the share of up votes, so a comment with 40 up and 2 down ranks
-- above one with 2 up and none down.
ALTER TABLE comments ADD COLUMN up INTEGER NOT NULL DEFAULT 0;		-- up votes
ALTER TABLE comments ADD COLUMN down INTEGER NOT NULL DEFAULT 0;	-- down votes
ALTER TABLE comments ADD COLUMN best REAL NOT NULL DEFAULT 0;		-- Wilson lower bound of up / (up + down), 0 without votes
-- Top-level comments of an article, best first (ties: oldest first).
CREATE INDEX comments_best ON comments (article, best DESC, id)
	WHERE parent IS NULL;

-- Votes do not move an article's version (that would empty the page
-- cache on every click); they move this counter, and a cached page is
-- drawn again for votes at most every few seconds (http/cache.c).
ALTER TABLE articles ADD COLUMN votes INTEGER NOT NULL DEFAULT 0;	-- bumped by every vote on its comments

-- Recent votes per address and network, for [votes] per_minute.
CREATE TABLE vote_log (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,		-- unix seconds
	addr_hash	TEXT NOT NULL,			-- keyed hash of the address
	net_hash	TEXT				-- keyed hash of its network, NULL: not counted by network
);
CREATE INDEX vote_log_addr ON vote_log (addr_hash, at);
CREATE INDEX vote_log_net ON vote_log (net_hash, at);

-- Reports: a reader says a comment should not be shown, and why.  One
-- address counts once a comment until a moderator decides it; with
-- [moderation] report_hold open reports a published comment waits for a
-- moderator again.  Who reported is never shown: the address hash is
-- kept for the limits only.
CREATE TABLE reports (
	id		INTEGER PRIMARY KEY,
	comment		INTEGER NOT NULL		-- the comment reported
			REFERENCES comments (id) ON DELETE CASCADE,
	reason		TEXT NOT NULL			-- what is wrong with it
			CHECK (reason IN ('spam', 'abuse', 'off-topic', 'other')),
	text		TEXT NOT NULL DEFAULT '',	-- the reporter's words, shown to moderators
	created		INTEGER NOT NULL,		-- unix seconds
	addr_hash	TEXT,				-- keyed hash of the reporter's address (limits only; never shown)
	net_hash	TEXT,				-- keyed hash of its network (limits only)
	settled		INTEGER NOT NULL DEFAULT 0	-- 1: a moderator decided the comment since
			CHECK (settled IN (0, 1))
);
CREATE INDEX reports_comment ON reports (comment, settled);
CREATE INDEX reports_addr ON reports (addr_hash, created);
CREATE INDEX reports_net ON reports (net_hash, created);
