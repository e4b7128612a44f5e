-- 010-desk.sql: the moderators' desk: a reopened article that stays open,
-- actions told and undone as one, and an audit log that can be searched.

-- [moderation] auto_close_days closes an article by its age, at read
-- time.  A moderator who reopens such an article means it: the decision
-- is kept here, and age no longer closes it (closing it again clears it).
ALTER TABLE articles ADD COLUMN kept_open integer NOT NULL DEFAULT 0	-- 1: reopened by a moderator past auto_close_days; age does not close it
	CHECK (kept_open IN (0, 1));

-- One moderator action may write several rows (a bulk approve, a ban with
-- what became of its comment): they carry the id of the action's first
-- row, so the action can be told back to the moderator and undone as one.
ALTER TABLE audit ADD COLUMN batch bigint;	-- id of the first row of the same action; NULL: this row is the first, or alone
CREATE INDEX audit_batch ON audit (batch) WHERE batch IS NOT NULL;

-- The log is searched by who, what and which target, newest first.
CREATE INDEX audit_actor ON audit (actor, id);
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_target ON audit (target, id);
