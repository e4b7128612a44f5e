# seed.awk: SQL for one benchmark thread of n comments, all approved, in one
# transaction.  Every thread has the same shape, so only its size differs:
# top-level comments each followed by one reply (with page_size 50, the
# first page of any thread of 100 or more comments holds 100 comments).
#
#   awk -v article=ID -v n=N -v first=FIRST_ID -v now=UNIX -f seed.awk
#
# Ids first .. first+n-1 must be free.  comments.path is the parent's path
# followed by the id as 8 bytes big-endian, written as blob literals because
# Debian 12's sqlite3 (3.40) has no unhex().
function key(id) { return sprintf("%016x", id) }
BEGIN {
	print "BEGIN IMMEDIATE;"
	for (k = 0; k < n; k++) {
		id = first + k
		text = "Comment " (k + 1) ", with a few words of text to make it realistic."
		if (k % 2 == 0) {
			root = id
			parent = "NULL"
			depth = 0
			path = key(id)
		} else {
			parent = id - 1
			depth = 1
			path = key(root) key(id)
		}
		printf "INSERT INTO comments (id, article, parent, root, depth, " \
		    "path, author, body, html, status, created) VALUES (%d, %d, " \
		    "%s, %d, %d, x'%s', 'Reader %d', '%s', '<p>%s</p>', " \
		    "'approved', %d);\n", id, article, parent, root, depth, path,
		    k % 97, text, text, now - n + k
	}
	printf "UPDATE articles SET ncomments = ncomments + %d, " \
	    "version = version + 1 WHERE id = %d;\n", n, article
	print "COMMIT;"
}
