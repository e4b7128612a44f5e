-- 002-moderation.sql: full-text search over comments for the moderation
-- queue, kept in step with the comments table by triggers.

-- An external-content FTS5 index: the text lives in comments, the index
-- holds only the search terms.
CREATE VIRTUAL TABLE comments_fts USING fts5(
	body,		-- the comment's Markdown source
	author,		-- its author's name
	email,		-- its author's e-mail
	content = 'comments',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO comments_fts (rowid, body, author, email)
	SELECT id, body, author, coalesce(email, '') FROM comments;

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
	INSERT INTO comments_fts (rowid, body, author, email)
	VALUES (new.id, new.body, new.author, coalesce(new.email, ''));
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
	INSERT INTO comments_fts (comments_fts, rowid, body, author, email)
	VALUES ('delete', old.id, old.body, old.author, coalesce(old.email, ''));
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body, author, email
    ON comments BEGIN
	INSERT INTO comments_fts (comments_fts, rowid, body, author, email)
	VALUES ('delete', old.id, old.body, old.author, coalesce(old.email, ''));
	INSERT INTO comments_fts (rowid, body, author, email)
	VALUES (new.id, new.body, new.author, coalesce(new.email, ''));
END;

-- The queue lists one status at a time, oldest or newest first, per
-- article or across all.
CREATE INDEX comments_status_article ON comments (status, article, id);

-- A thread whose top-level comment was held or marked spam still shows its
-- approved replies: the page asks for those by root.
CREATE INDEX comments_root ON comments (root, status);
