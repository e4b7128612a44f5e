-- 007-port.sql: moving a site in and out (palaver export, palaver import
-- palaver) and re-importing a WordPress site that changed its host.

-- The id of this database's data, written in every export: an export
-- read back into the database it came from, or twice into another, adds
-- nothing twice.  A restore into an empty database takes the export's.
INSERT OR IGNORE INTO settings (key, value)
	VALUES ('site_id', lower(hex(randomblob(16))));

-- WordPress comment ids were keyed by the site's host and path
-- ('wordpress:blog.example.com/blog'); they are keyed by its path alone
-- now ('wordpress' at the root, 'wordpress:/blog' below it), so a site
-- that moved to another host is found again.  A row whose new key is
-- taken (two hosts imported before) keeps its old one.
UPDATE OR IGNORE imported SET source = CASE
	WHEN instr(substr(source, 11), '/') = 0 THEN 'wordpress'
	ELSE 'wordpress:' || substr(substr(source, 11),
	    instr(substr(source, 11), '/'))
	END
	WHERE source LIKE 'wordpress:%';
