-- login.lua: wrk script for the login flood.  Every request is a moderator
-- login with a new name from a new address (X-Forwarded-For, which the dev
-- nginx trusts from loopback), so no throttle turns it away before the
-- password hash: each one costs an Argon2id computation or a 503 from the
-- hash gate.  The login form's cookie and token are fetched once by run.sh
-- (the token is derived from the cookie, so the pair can be reused).
--
--   wrk ... -s login.lua http://host/mod/login -- COOKIE CSRF

local threads = {}
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("tid", nthreads)
	table.insert(threads, thread)
end

function init(args)
	n = 0
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	wrk.headers["Cookie"] = args[1]
	csrf = args[2]
end

function request()
	n = n + 1
	local body = string.format("name=flood%d-%d&password=not+the+password" ..
	    "&csrf=%s", tid, n, csrf)
	local a = tid * 100000 + n
	wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
	    math.floor(a / 65536) % 256, math.floor(a / 256) % 256, a % 256)
	return wrk.format(nil, nil, nil, body)
end

-- Counts by status in globals n403, n503, ...: wrk's thread:get reads
-- plain globals only.
function response(status, headers, body)
	local k = "n" .. status
	_G[k] = (_G[k] or 0) + 1
end

function done(summary, latency, requests)
	local all = {}
	for _, t in ipairs(threads) do
		for _, s in ipairs({200, 303, 403, 429, 500, 502, 503, 504}) do
			local v = t:get("n" .. s)
			if v then all[s] = (all[s] or 0) + v end
		end
	end
	local line = "LOGINS"
	for _, s in ipairs({200, 303, 403, 429, 500, 502, 503, 504}) do
		line = line .. string.format(" %d=%d", s, all[s] or 0)
	end
	io.write(line, "\n")
end
