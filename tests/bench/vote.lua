-- vote.lua: wrk script for reads while readers vote.  Every request is a
-- vote through the API from a reader of its own (a new address in
-- X-Forwarded-For, which the benchmark's nginx takes from loopback), on
-- one of the comments given, alternately up and taken back, so the counts
-- keep moving.  Prints "VOTES ok=N other=M" at the end.
--
--   wrk ... -s vote.lua http://host/api/comments/ -- ID ID ...

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

function init(args)
	ids = args
	n = 0
	ok = 0
	other = 0
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	n = n + 1
	local id = ids[(n % #ids) + 1]
	local a = tid * 100000 + n
	wrk.headers["X-Forwarded-For"] = string.format("127.%d.%d.%d",
	    100 + math.floor(a / 65536) % 100, math.floor(a / 256) % 256,
	    a % 256)
	return wrk.format(nil, wrk.path .. id .. "/vote", nil,
	    string.format('{"vote": %d}', n % 2))
end

function response(status, headers, body)
	if status == 200 then
		ok = ok + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local o, x = 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		x = x + t:get("other")
	end
	io.write(string.format("VOTES ok=%d other=%d\n", o, x))
end
