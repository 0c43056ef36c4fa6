-- wrk script for bench/oauth.sh: POSTs an application/x-www-form-urlencoded body (or CONTENT_TYPE).
--
--   BODY        the body; "{TOKEN}" in it is replaced per request by the next line of TOKEN_FILE, and "{N}" by a
--               value unique to the request (thread and request number), for names that must not repeat
--   CONTENT_TYPE optional: the body's content type (default application/x-www-form-urlencoded)
--   AUTH        optional Authorization header value (e.g. "Basic ...")
--   TOKEN_FILE  optional: single-use values (refresh tokens, authorization codes), one a line. Each wrk thread takes
--               every THREADS-th line, uses each line once, and stops when its share is used up, so no value is
--               ever sent twice (a second use would be refused, and a reused refresh token revokes its grant).
--   THREADS     the wrk -t value, to split TOKEN_FILE between the threads

local body = os.getenv("BODY") or ""
local auth = os.getenv("AUTH")
local file = os.getenv("TOKEN_FILE")
local threads = tonumber(os.getenv("THREADS") or "1")
local content_type = os.getenv("CONTENT_TYPE") or "application/x-www-form-urlencoded"
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = content_type
  if auth and auth ~= "" then
    wrk.headers["Authorization"] = auth
  end
  values = {}
  position = 1
  sent = 0
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
    if not body:find("{N}", 1, true) then
      return wrk.format(nil, nil, nil, body)
    end
    sent = sent + 1
    local n = id .. "-" .. sent
    return wrk.format(nil, nil, nil, (body:gsub("{N}", function() return n end)))
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
