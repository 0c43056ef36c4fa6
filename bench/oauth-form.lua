-- wrk script for bench/oauth.sh: POSTs an application/x-www-form-urlencoded body.
--
--   BODY        the form body; "{TOKEN}" in it is replaced per request by the next line of TOKEN_FILE
--   AUTH        optional Authorization header value (e.g. "Basic ...")
--   TOKEN_FILE  optional: single-use values (refresh tokens, authorization codes), one a line. Each wrk thread takes
--               every THREADS-th line, uses each line once, and stops when its share is used up, so no value is
--               ever sent twice (a second use would be refused, and a reused refresh token revokes its grant).
--   THREADS     the wrk -t value, to split TOKEN_FILE between the threads

local body = os.getenv("BODY") or ""
local auth = os.getenv("AUTH")
local file = os.getenv("TOKEN_FILE")
local threads = tonumber(os.getenv("THREADS") or "1")
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  if auth and auth ~= "" then
    wrk.headers["Authorization"] = auth
  end
  values = {}
  position = 1
  if file and file ~= "" then
    local line_number = 0
    for line in io.lines(file) do
      if line ~= "" and line_number % threads == id then
        values[#values + 1] = line
      end
      line_number = line_number + 1
    end
  end
end

function request()
  if not file or file == "" then
    return wrk.format(nil, nil, nil, body)
  end
  local value = values[position] or "used-up"
  position = position + 1
  return wrk.format(nil, nil, nil, (body:gsub("{TOKEN}", function() return value end)))
end

if file and file ~= "" then
  function response(status, headers, response_body)
    if position > #values then
      wrk.thread:stop()
    end
  end
end
