# stages.awk: where a post's time goes, from palaver's log with
# PALAVER_STAGES=1: for every acknowledged post (POST ... 303), the mean,
# median and 99th percentile of each stage in microseconds, its share of
# the mean total, and the batches the posts committed in (posts, and pages
# written to the WAL).
#
#   awk -f stages.awk palaver.log
function pct(name, p,   n, i, j, t, v) {
	n = count
	for (i = 1; i <= n; i++)
		v[i] = val[name, i]
	# Insertion sort is too slow for 100,000 posts: a heap sort.
	heapsort(v, n)
	i = int(p * n + 0.5)
	if (i < 1) i = 1
	if (i > n) i = n
	return v[i]
}
function sift(v, s, n,   c, t) {
	while ((c = 2 * s) <= n) {
		if (c < n && v[c + 1] > v[c]) c++
		if (v[s] >= v[c]) return
		t = v[s]; v[s] = v[c]; v[c] = t
		s = c
	}
}
function heapsort(v, n,   i, t) {
	for (i = int(n / 2); i >= 1; i--)
		sift(v, i, n)
	for (i = n; i > 1; i--) {
		t = v[1]; v[1] = v[i]; v[i] = t
		sift(v, 1, i - 1)
	}
}
$2 == "POST" && $4 == 303 && $6 == "stages" {
	count++
	val["total", count] = $5
	sum["total"] += $5
	for (i = 7; i <= NF; i++) {
		split($i, kv, "=")
		if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++nk] = kv[1] }
		val[kv[1], count] = kv[2]
		sum[kv[1]] += kv[2]
	}
}
END {
	if (count == 0) {
		print "(no stage timings in the log: a build without PALAVER_STAGES)"
		exit
	}
	printf "%-8s %9s %9s %9s %7s\n", "stage", "mean", "p50", "p99", "share"
	for (k = 1; k <= nk; k++) {
		s = order[k]
		if (s == "batch" || s == "pages")
			continue
		printf "%-8s %9.0f %9.0f %9.0f %6.1f%%\n", s, sum[s] / count,
		    pct(s, 0.5), pct(s, 0.99), 100 * sum[s] / sum["total"]
	}
	printf "%-8s %9.0f %9.0f %9.0f\n", "total", sum["total"] / count,
	    pct("total", 0.5), pct("total", 0.99)
	if ("batch" in seen)
		printf "batch    %9.1f %9.0f %9.0f  posts a commit (%d posts)\n",
		    sum["batch"] / count, pct("batch", 0.5), pct("batch", 0.99),
		    count
	if ("pages" in seen)
		printf "pages    %9.1f %9.0f %9.0f  WAL pages a commit\n",
		    sum["pages"] / count, pct("pages", 0.5), pct("pages", 0.99)
}
