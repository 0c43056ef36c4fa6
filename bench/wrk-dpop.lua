-- wrk script for bench/compare.sh's cc-dpop workload: wrk-oauth.lua's request and validity rules (same WRK_METHOD,
-- WRK_BODY, WRK_AUTH, WRK_EXPECT, same RESULT line), plus a DPoP header that is a different proof on every request.
--   WRK_DPOP_POOL  file of DPoP proofs, one a line (bench/lib/DPoPProofPool.java). Each thread takes its own slice
--                  (thread i: lines i, i+T, i+2T, ... with T = WRK_THREADS) and sends each proof once. A thread whose
--                  slice is used up sends its last proof again: the server refuses the replay, so the run has
--                  non-2xx answers and is INVALID, and RESULT says pool_used_up=N (the requests past the pool).
local method = os.getenv("WRK_METHOD") or "POST"
local body   = os.getenv("WRK_BODY") or ""
local auth   = os.getenv("WRK_AUTH")
local pool_f = os.getenv("WRK_DPOP_POOL")
local expect = os.getenv("WRK_EXPECT")
if expect == "" then expect = nil end
assert(pool_f and pool_f ~= "", "WRK_DPOP_POOL is not set")

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

non2xx, bad_body, responses, used_up = 0, 0, 0, 0
local pool, pi = nil, 0

function init(args)
  local nt = tonumber(os.getenv("WRK_THREADS") or "1")
  local line = 0
  pool = {}
  for proof in io.lines(pool_f) do
    if #proof > 0 then
      line = line + 1
      if (line - tid) % nt == 0 then pool[#pool + 1] = proof end
    end
  end
  assert(#pool > 0, "empty DPoP proof pool slice for thread " .. tostring(tid))
end

function request()
  pi = pi + 1
  if pi > #pool then
    used_up = used_up + 1
    pi = #pool
  end
  wrk.headers["DPoP"] = pool[pi]
  return wrk.format()
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
  local n2, bb, uu = 0, 0, 0
  for _, t in ipairs(threads) do
    n2 = n2 + (t:get("non2xx") or 0)
    bb = bb + (t:get("bad_body") or 0)
    uu = uu + (t:get("used_up") or 0)
  end
  local e = summary.errors
  local dur = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d bad_body=%d connect=%d read=%d write=%d timeout=%d pool_used_up=%d\n",
    summary.requests, dur, summary.requests / dur, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    n2, bb, e.connect, e.read, e.write, e.timeout, uu))
end
