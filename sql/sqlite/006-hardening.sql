-- 006-hardening.sql: the full-text index kept without triggers that write
-- to a virtual table, and storage per comment that does not grow with its
-- depth.

-- palaver opens every connection with trusted_schema off (a database file
-- is data, and its triggers should not reach code with side effects), and
-- then SQLite refuses triggers that write to a virtual table not marked
-- innocuous; FTS5 is marked so only from SQLite 3.44 (Debian 12 has 3.40).
-- The triggers of 002 now note each change in fts_pending, a plain table,
-- and palaver applies the notes to comments_fts in the same transaction,
-- just before it commits.  Changes made by other programs (the sqlite3
-- shell, say) are noted as well, and indexed with palaver's next write.
DROP TRIGGER comments_fts_insert;
DROP TRIGGER comments_fts_delete;
DROP TRIGGER comments_fts_update;

-- Changes to comments not yet in comments_fts, oldest first.  Empty
-- between transactions.
CREATE TABLE fts_pending (
	seq		INTEGER PRIMARY KEY,		-- order of the changes
	cmd		TEXT				-- NULL: add the row to the index; 'delete': take it out
			CHECK (cmd IS NULL OR cmd = 'delete'),
	id		INTEGER NOT NULL,		-- the comment (comments_fts's rowid)
	body		TEXT NOT NULL,			-- its text, as added (new) or as indexed before (old)
	author		TEXT NOT NULL,			-- its author's name, the same way
	email		TEXT NOT NULL			-- its author's e-mail, '' for none
);

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
	INSERT INTO fts_pending (cmd, id, body, author, email)
	VALUES (NULL, new.id, new.body, new.author, coalesce(new.email, ''));
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
	INSERT INTO fts_pending (cmd, id, body, author, email)
	VALUES ('delete', old.id, old.body, old.author, coalesce(old.email, ''));
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body, author, email
    ON comments BEGIN
	INSERT INTO fts_pending (cmd, id, body, author, email)
	VALUES ('delete', old.id, old.body, old.author, coalesce(old.email, ''));
	INSERT INTO fts_pending (cmd, id, body, author, email)
	VALUES (NULL, new.id, new.body, new.author, coalesce(new.email, ''));
END;

-- comments.path held the ids of every ancestor, 8 bytes a level, so a
-- chain of 10,000 replies took 832 MB.  It now keeps the first 8 levels:
-- a comment at depth 8 or deeper has the path of its ancestor at depth 7
-- followed by its own id (at most 72 bytes), so below that ancestor
-- comments sort by id, and the store puts a page back in depth-first
-- order from the parent ids.  `||` makes text of blobs; the CAST makes
-- the bytes a blob again.  The space freed is reused as the database
-- grows (VACUUM gives it back to the file system at once).
UPDATE comments SET path = CAST(substr(path, 1, 64) || substr(path, -8)
    AS BLOB) WHERE length(path) > 72;
