-- 008-limits-privacy.sql: limits that count networks as well as
-- addresses, logins throttled per address and name, threads on first use
-- that cannot set their own title, and form tokens a shared page can hand
-- to many readers.

-- A post's network (an IPv6 /64, or an IPv4 /24 when configured), keyed
-- like its address, so a limit holds for every address of one network.
ALTER TABLE post_log ADD COLUMN net_hash TEXT;	-- keyed hash of the network, NULL: not counted by network
CREATE INDEX post_log_net ON post_log (net_hash, at);

-- Logins are throttled by the pair of name and network (a moderator is
-- never locked out from a network that has not failed), by network, and
-- slowed down for a name that fails from many networks.  A row is written
-- before the password is hashed and removed when the login succeeds, so
-- parallel attempts cannot slip past the limit together.
ALTER TABLE login_failures ADD COLUMN net_hash TEXT;	-- keyed hash of the network the attempt came from
CREATE INDEX login_failures_pair ON login_failures (name, net_hash, at);
CREATE INDEX login_failures_net ON login_failures (net_hash, at);

-- A thread made by its first comment from an embedding site shows its
-- path until a moderator gives it a title: the title a page sends is kept
-- here, never shown, so a forged request cannot name a thread.
ALTER TABLE articles ADD COLUMN title_proposed TEXT;	-- title the embedding page sent, for a moderator to accept
-- Who made it: 'admin' (command line, moderators) or 'reader' (a first
-- comment).  The list of articles shows readers' threads only once they
-- have an approved comment.
ALTER TABLE articles ADD COLUMN made_by TEXT NOT NULL DEFAULT 'admin'
	CHECK (made_by IN ('admin', 'reader'));
