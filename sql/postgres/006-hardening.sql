-- 006-hardening.sql: storage per comment that does not grow with its
-- depth.  (SQLite's half of this migration, the full-text index kept
-- without triggers that write to a virtual table, has no counterpart
-- here: PostgreSQL keeps comments.search itself.)

-- comments.path held the ids of every ancestor, 8 bytes a level, so a
-- chain of 10,000 replies took 832 MB.  It now keeps the first 8 levels:
-- a comment at depth 8 or deeper has the path of its ancestor at depth 7
-- followed by its own id (at most 72 bytes), so below that ancestor
-- comments sort by id, and the store puts a page back in depth-first
-- order from the parent ids.
UPDATE comments SET path = substr(path, 1, 64) ||
    substr(path, length(path) - 7, 8) WHERE length(path) > 72;
