-- path.lua — wrk script: GET one fixed path (with its query) with a bearer token.
-- usage: wrk ... -s path.lua URL -- TOKEN PATH
local token, path = "", "/"

function init(args)
  token = args[1] or ""
  path = args[2] or "/"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  return wrk.format("GET", path)
end
