-- 002-moderation.sql: full-text search over comments for the moderation
-- queue, kept in step with the comments table by PostgreSQL itself.
-- (SQLite keeps an FTS5 index for the same words: sql/sqlite/.)

-- A comment's words as the search sees them, near enough to FTS5's
-- unicode61 tokenizer with remove_diacritics: punctuation is a space (an
-- e-mail is its parts), lower case, common Latin accents folded (in
-- either case, whatever the database's locale).
CREATE FUNCTION palaver_words(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(translate(regexp_replace(t, '[[:punct:]]+', ' ', 'g'),
	'àáâãäåāăąçćčďèéêëēėęěìíîïīįıñńňòóôõöøōőùúûüūůűųýÿžźżšśşřŕľĺłţťğÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŠŚŞŘŔĽĹŁŢŤĞ',
	'aaaaaaaaacccdeeeeeeeeiiiiiiinnnoooooooouuuuuuuuyyzzzsssrrlllttgaaaaaaaaacccdeeeeeeeeiiiiiinnnoooooooouuuuuuuuyyzzzsssrrlllttg')) $$;

-- The words of each comment, indexed: the text lives in comments, the
-- index holds only the search terms.  The queue's search says the same
-- expression (pg_sql.c), which is how it finds this index.
CREATE INDEX comments_search ON comments USING gin ((to_tsvector(
	'simple'::regconfig, palaver_words(body || ' ' || author || ' ' ||
	coalesce(email, '')))));

-- The queue lists one status at a time, oldest or newest first, per
-- article or across all.
CREATE INDEX comments_status_article ON comments (status, article, id);

-- A thread whose top-level comment was held or marked spam still shows its
-- approved replies: the page asks for those by root.
CREATE INDEX comments_root ON comments (root, status);
