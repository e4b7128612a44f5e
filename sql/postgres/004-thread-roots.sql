-- 004-thread-roots.sql: the top-level comments of one article, by id.
-- A thread page asks for roots that are shown OR the reader's own OR have
-- shown replies; an index of (article, id) serves that OR whatever the
-- status, as on SQLite.
CREATE INDEX comments_roots ON comments (article, id) WHERE parent IS NULL;
DROP INDEX comments_top;
