-- wrk script for the Frontdoor benchmarks (bench/run.sh).
--   FD_MODE     queue | search | plain   (plain: GET wrk's URL path, no cookie)
--   FD_SESSION  the fd_session cookie of a signed-in MASH social worker
--   FD_PATHS    search: a file of request paths, one a line (make_council --queries)
--   FD_NAME     the label of the RESULT line printed at the end
local mode = os.getenv("FD_MODE") or "plain"
local session = os.getenv("FD_SESSION")
local name = os.getenv("FD_NAME") or mode
local paths = {}
local next_path = 1
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
end

function init(args)
  if mode ~= "plain" then
    assert(session and session ~= "", "FD_SESSION is not set")
    wrk.headers["Cookie"] = "fd_session=" .. session
  end
  if mode == "queue" then
    wrk.path = "/queue"
  elseif mode == "search" then
    local file = assert(io.open(assert(os.getenv("FD_PATHS"), "FD_PATHS is not set"), "r"))
    for line in file:lines() do
      if line ~= "" then paths[#paths + 1] = line end
    end
    file:close()
    assert(#paths > 0, "no search paths")
    -- Each thread starts at a different place in the list.
    next_path = 1 + ((thread_index or 1) - 1) * math.floor(#paths / 7) % #paths
  end
end

-- Only the search varies its requests; without a request() function wrk
-- builds the request once and sends it unchanged (no Lua per request).
if mode == "search" then
  function request()
    local p = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format("GET", p)
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT %s requests=%d rate=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "socket_errors=%d non2xx3xx=%d\n",
    name, summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
