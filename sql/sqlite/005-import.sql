-- 005-import.sql: which comments came from an old site's export, so that
-- importing the same export again adds nothing.

-- One row an imported comment.  Removing the comment removes its row, so
-- a later import of the same export brings it back.
CREATE TABLE imported (
	source		TEXT NOT NULL,			-- the export it came from, e.g. 'wordpress:blog.example.com' or 'disqus'
	source_id	TEXT NOT NULL,			-- the comment's id in that export (wp:comment_id, dsq:id)
	comment		INTEGER NOT NULL		-- the comment it became
			REFERENCES comments (id) ON DELETE CASCADE,
	PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
-- Deleting a comment looks its rows up here (the foreign key).
CREATE INDEX imported_comment ON imported (comment);
