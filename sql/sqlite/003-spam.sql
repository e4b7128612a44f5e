-- 003-spam.sql: what the spam checks remember.

-- A hash of each comment's normalised body, to spot the same text posted
-- again (NULL for comments from before this migration).
ALTER TABLE comments ADD COLUMN body_hash TEXT;
CREATE INDEX comments_body_hash ON comments (body_hash, created);

-- Form tokens already used, so a captured form cannot be replayed.  A
-- token lives a day; older rows are pruned.
CREATE TABLE form_tokens (
	hash		BLOB PRIMARY KEY NOT NULL,	-- hash of the token, never the token
	expires		INTEGER NOT NULL		-- unix seconds after which it is refused anyway
) WITHOUT ROWID;

-- The exact input given to the spam hook for each comment, kept for the
-- feedback loop (submit-spam / submit-ham send the same object).  It holds
-- the poster's address, so rows go after 30 days.
CREATE TABLE spam_checks (
	comment		INTEGER PRIMARY KEY		-- the comment checked
			REFERENCES comments (id) ON DELETE CASCADE,
	input		TEXT NOT NULL,			-- the JSON object the hook read
	created		INTEGER NOT NULL		-- unix seconds
);

-- Moderator corrections waiting to be told to the hook (Akismet learns
-- from them).  Drained in the background, retried with back-off.
CREATE TABLE feedback (
	id		INTEGER PRIMARY KEY,
	comment		INTEGER NOT NULL		-- the comment corrected
			REFERENCES comments (id) ON DELETE CASCADE,
	kind		TEXT NOT NULL			-- the hook's first argument
			CHECK (kind IN ('submit-spam', 'submit-ham')),
	attempts	INTEGER NOT NULL DEFAULT 0,	-- tries so far
	next_try	INTEGER NOT NULL,		-- unix seconds of the next try
	last_error	TEXT				-- why the last try failed
);
CREATE INDEX feedback_next ON feedback (next_try);
