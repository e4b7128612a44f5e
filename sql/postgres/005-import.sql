-- 005-import.sql: which comments came from an old site's export, so that
-- importing the same export again adds nothing.

-- One row an imported comment.  Removing the comment removes its row, so
-- a later import of the same export brings it back.
-- (The comment first: a row carries no padding.)
CREATE TABLE imported (
	comment		bigint NOT NULL			-- the comment it became
			REFERENCES comments (id) ON DELETE CASCADE,
	source		text NOT NULL,			-- the export it came from, e.g. 'wordpress:blog.example.com' or 'disqus'
	source_id	text NOT NULL,			-- the comment's id in that export (wp:comment_id, dsq:id)
	PRIMARY KEY (source, source_id)
);
-- Deleting a comment looks its rows up here (the foreign key).
CREATE INDEX imported_comment ON imported (comment);
