-- get.lua — wrk script: GET /api/v1/people/ID for uniformly random ids in 1..MAX.
-- usage: wrk ... -s get.lua URL -- TOKEN MAX
local token, max = "", 100000
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", thread_no * 7919)
end

function init(args)
  token = args[1] or ""
  max = tonumber(args[2] or "100000")
  math.randomseed(seed or 1)
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  return wrk.format("GET", "/api/v1/people/" .. math.random(1, max))
end
