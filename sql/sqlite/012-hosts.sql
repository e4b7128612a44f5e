-- 012-hosts.sql: what the processes and hosts that share one database
-- agree on through it.

-- Background jobs (the prune of what is kept only for a while): each
-- runs once a turn, by whichever process or host asks first when it is
-- due (store_job_claim).
CREATE TABLE jobs (
	name		TEXT PRIMARY KEY NOT NULL,	-- the job, e.g. 'prune'
	due		INTEGER NOT NULL		-- unix seconds when it is next due
);

-- The address key in use (the key itself lives in a file of its own on
-- each host, never here): hosts whose key files differ would hash one
-- address two ways, so a host checks its key against this before it
-- serves.  One row.
CREATE TABLE addr_key (
	id		INTEGER PRIMARY KEY CHECK (id = 1),	-- the one row
	period		INTEGER NOT NULL,		-- the key's period (auth/keyring.c)
	fingerprint	TEXT NOT NULL			-- a keyed hash of a constant under the key: it tells keys apart, nothing of them
);
