-- 004-thread-roots.sql: the top-level comments of one article, by id.
-- A thread page asks for roots that are shown OR the reader's own OR have
-- shown replies; with that OR, SQLite cannot use (article, status, id),
-- and walked every top-level comment of every article instead.
CREATE INDEX comments_roots ON comments (article, id) WHERE parent IS NULL;
DROP INDEX comments_top;
