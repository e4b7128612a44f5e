-- post.lua: wrk script for the posting run.  Every request POSTs a new,
-- unique comment as a reader's form would; a 303 is an acknowledged post.
-- Each thread writes the ids of its acknowledged comments (from the
-- Location header's posted=ID) to OUTDIR/acked-N, one a line, so run.sh can
-- check that every one of them is in the database.
--
--   wrk ... -s post.lua http://host/articles/ID/comments -- OUTDIR [TAG]
--
-- TAG (default "run") goes into every comment's text: runs on one
-- database must not post the same words twice (the duplicate rule would
-- hold the second).

local threads = {}
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("tid", nthreads)
	table.insert(threads, thread)
end

function init(args)
	out = io.open(args[1] .. "/acked-" .. tid, "w")
	tag = args[2] or "run"
	-- Line-buffered: wrk never closes a thread's Lua state, so nothing
	-- may wait in a buffer when it exits.
	out:setvbuf("line")
	n = 0
	acked = 0
	other = 0
	noid = 0
	firstbad = ""
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
	n = n + 1
	local body = string.format("parent=&author=bench&body=Bench+post+%s-%d-%d" ..
	    "%%2C+with+a+few+words+of+text+to+make+it+realistic.", tag, tid, n)
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status == 303 then
		acked = acked + 1
		local loc = headers["Location"] or headers["location"] or ""
		local id = loc:match("posted=(%d+)")
		if id then
			out:write(id, "\n")
		else
			noid = noid + 1
		end
	else
		other = other + 1
		if firstbad == "" then
			firstbad = status .. " " .. string.sub(body or "", 1, 200)
		end
	end
end

function done(summary, latency, requests)
	local a, o, x, bad = 0, 0, 0, ""
	for _, t in ipairs(threads) do
		a = a + t:get("acked")
		o = o + t:get("other")
		x = x + t:get("noid")
		if bad == "" then bad = t:get("firstbad") end
	end
	io.write(string.format("POSTS acked=%d other=%d noid=%d\n", a, o, x))
	if bad ~= "" then
		io.write("FIRST-REFUSED ", (bad:gsub("%s+", " ")), "\n")
	end
end
