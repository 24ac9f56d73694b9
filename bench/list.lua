-- list.lua — wrk script: one page of 50 people in one department, at a random page.
-- usage: wrk ... -s list.lua URL -- TOKEN DEPARTMENT ROWS_IN_DEPARTMENT
local token, dept, rows = "", "Engineering", 5000
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", thread_no * 104729)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  token = args[1] or ""
  dept = urlencode(args[2] or dept)
  rows = tonumber(args[3] or "5000")
  math.randomseed(seed or 1)
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local pages = math.max(1, math.floor((rows + 49) / 50))
  local offset = (math.random(1, pages) - 1) * 50
  return wrk.format("GET", "/api/v1/people?department=" .. dept .. "&limit=50&offset=" .. offset)
end
