-- Copied unchanged (below this header) from ../shared/peers/wrk-oauth.lua, the wrk script the peers
-- (node-oidc-provider, Keycloak) are measured with, so that bench/compare.sh drives Gatehouse with exactly the same
-- request shapes and validity rules and the repository holds everything it needs. Keep it in step with the shared
-- copy: a change to one without the other makes the side-by-side figures incomparable.
--
-- wrk-oauth.lua — one OAuth request shape per run, configured by environment variables:
--   WRK_METHOD  POST (default) | GET
--   WRK_BODY    request body (form-encoded); "{TOKEN}" is replaced per request from WRK_POOL
--   WRK_AUTH    Authorization header value (e.g. "Basic ..." or "Bearer ...")
--   WRK_POOL    optional file, one token per line; each thread cycles through its own disjoint
--               slice (thread i takes lines i, i+T, i+2T, ...), so with rotation no token is sent
--               twice by different threads; a pool of 1 line = one reusable token
--   WRK_EXPECT  optional plain substring that every 2xx body must contain (e.g. "active":true),
--               otherwise the response is counted as bad_body
-- done() prints one machine-readable line:
--   RESULT requests=N duration_s=S rps=R p50_ms=X p99_ms=Y non2xx=A bad_body=B connect=.. read=.. write=.. timeout=..
local method = os.getenv("WRK_METHOD") or "POST"
local body   = os.getenv("WRK_BODY") or ""
local auth   = os.getenv("WRK_AUTH")
local pool_f = os.getenv("WRK_POOL")
local expect = os.getenv("WRK_EXPECT")
if expect == "" then expect = nil end
if pool_f == "" then pool_f = nil end

wrk.method = method
if method ~= "GET" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end

local threads, nthreads = {}, 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end

-- per-thread state (globals live in each thread's own Lua state)
non2xx, bad_body, responses = 0, 0, 0
local pool, pi, step = nil, 0, 1

function init(args)
  if pool_f then
    local all = {}
    for line in io.lines(pool_f) do if #line > 0 then all[#all + 1] = line end end
    local nt = tonumber(os.getenv("WRK_THREADS") or "1")
    pool = {}
    if #all == 1 then pool[1] = all[1]
    else for i = tid, #all, nt do pool[#pool + 1] = all[i] end end
    assert(#pool > 0, "empty token pool slice for thread " .. tostring(tid))
  end
end

if pool_f then
  function request()
    pi = pi % #pool + 1
    return wrk.format(nil, nil, nil, (body:gsub("{TOKEN}", pool[pi])))
  end
end

function response(status, headers, rbody)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  elseif expect and not (rbody and rbody:find(expect, 1, true)) then
    bad_body = bad_body + 1
  end
end

function done(summary, latency, requests)
  local n2, bb = 0, 0
  for _, t in ipairs(threads) do
    n2 = n2 + (t:get("non2xx") or 0)
    bb = bb + (t:get("bad_body") or 0)
  end
  local e = summary.errors
  local dur = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d bad_body=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, dur, summary.requests / dur, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    n2, bb, e.connect, e.read, e.write, e.timeout))
end
