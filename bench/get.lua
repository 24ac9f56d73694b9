-- get.lua — wrk script: GET /api/v1/people/ID for uniformly random ids in MIN..MAX.
-- usage: wrk ... -s get.lua URL -- TOKEN MIN MAX
local token, min, max = "", 1, 100000
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", thread_no * 7919)
end

function init(args)
  token = args[1] or ""
  min = tonumber(args[2] or "1")
  max = tonumber(args[3] or "100000")
  math.randomseed(seed or 1)
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  return wrk.format("GET", "/api/v1/people/" .. math.random(min, max))
end
