-- 007-port.sql: moving a site in and out (palaver export, palaver import
-- palaver) and re-importing a WordPress site that changed its host.

-- The id of this database's data, written in every export: an export
-- read back into the database it came from, or twice into another, adds
-- nothing twice.  A restore into an empty database takes the export's.
-- (32 hex digits, as SQLite's lower(hex(randomblob(16))).)
INSERT INTO settings (key, value)
	VALUES ('site_id', convert_to(replace(gen_random_uuid()::text, '-',
	    ''), 'UTF8'))
	ON CONFLICT (key) DO NOTHING;

-- WordPress comment ids were keyed by the site's host and path
-- ('wordpress:blog.example.com/blog'); they are keyed by its path alone
-- now ('wordpress' at the root, 'wordpress:/blog' below it), so a site
-- that moved to another host is found again.  A row whose new key is
-- taken (two hosts imported before) keeps its old one.
UPDATE imported i SET source = k.key
	FROM (SELECT source, source_id, CASE
	    WHEN strpos(substr(source, 11), '/') = 0 THEN 'wordpress'
	    ELSE 'wordpress:' || substr(substr(source, 11),
		strpos(substr(source, 11), '/'))
	    END AS key FROM imported WHERE source LIKE 'wordpress:%') k
	WHERE i.source = k.source AND i.source_id = k.source_id
	AND NOT EXISTS (SELECT 1 FROM imported j WHERE j.source = k.key
	    AND j.source_id = k.source_id);
