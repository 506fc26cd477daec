-- wrk script for the Frontdoor benchmarks (bench/run.sh) and the load battery
-- (tests/reliability/load.sh).
--   FD_MODE     queue | search | reads | record | plain
--                 queue:  GET /queue
--                 search: GET each line of FD_PATHS in turn
--                 reads:  search, with GET /queue every fourth request
--                 record: POST /api/v1/contacts, a new contact each time
--                 plain:  GET wrk's URL path, without credentials
--   FD_SESSION  the fd_session cookie of a signed-in user, or
--   FD_TOKEN    an API token (sent as Authorization: Bearer)
--   FD_PATHS    search, reads: a file of request paths, one a line (make_council --queries)
--   FD_NAME     the label of the RESULT line printed at the end (record: also
--               part of each contact's partner_reference, so keep it unique per run)
--   FD_COUNT    1: count the responses by status and the 503s without a
--               Retry-After header, and add them to the RESULT line (costs a
--               Lua call per response, so the benchmarks leave it off)
local mode = os.getenv("FD_MODE") or "plain"
local session = os.getenv("FD_SESSION")
local token = os.getenv("FD_TOKEN")
local name = os.getenv("FD_NAME") or mode
local count = os.getenv("FD_COUNT") == "1"
local paths = {}
local next_path = 1
local sent = 0
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  if mode ~= "plain" then
    if token and token ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. token
    else
      assert(session and session ~= "", "FD_SESSION or FD_TOKEN must be set")
      wrk.headers["Cookie"] = "fd_session=" .. session
    end
  end
  if mode == "queue" then
    wrk.path = "/queue"
  elseif mode == "search" or mode == "reads" then
    local file = assert(io.open(assert(os.getenv("FD_PATHS"), "FD_PATHS is not set"), "r"))
    for line in file:lines() do
      if line ~= "" then paths[#paths + 1] = line end
    end
    file:close()
    assert(#paths > 0, "no search paths")
    -- Each thread starts at a different place in the list.
    next_path = 1 + ((thread_index or 1) - 1) * math.floor(#paths / 7) % #paths
  elseif mode == "record" then
    wrk.headers["Content-Type"] = "application/json"
  end
  statuses = {}
  no_retry_after = 0
end

-- A partner system's referral about one child; partner_reference makes each
-- one a new contact (it is also the idempotency key).
local function contact_body()
  sent = sent + 1
  return string.format(
    '{"partner_reference":"%s-%d-%d","source_code":"2A",' ..
    '"referrer":{"name":"PC 4410 Jones","role":"Response officer","phone":"01632 960001"},' ..
    '"children":[{"given_name":"Ruby","family_name":"Loadtest","date_of_birth":"2017-05-14",' ..
    '"sex":"2"}],"address_line":"12 Synthetic Road","postcode":"ZZ99 3AB",' ..
    '"concerns":"Police called to a domestic incident at 01:40; the child was present.",' ..
    '"family_aware":"yes","consent":"not_sought"}',
    name, thread_index or 1, sent)
end

-- The queue page varies nothing, so without a request() function wrk builds
-- the request once and sends it unchanged (no Lua per request).
if mode == "search" then
  function request()
    local p = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format("GET", p)
  end
elseif mode == "reads" then
  function request()
    sent = sent + 1
    if sent % 4 == 0 then return wrk.format("GET", "/queue") end
    local p = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format("GET", p)
  end
elseif mode == "record" then
  function request()
    return wrk.format("POST", "/api/v1/contacts", nil, contact_body())
  end
end

if count then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status == 503 and not (headers["Retry-After"] or headers["retry-after"]) then
      no_retry_after = no_retry_after + 1
    end
  end
end

-- " s2xx=N s503=N sother=N no_retry_after=N statuses=200:N,503:N" over every thread.
local function status_fields()
  local total = {}
  local missing = 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      total[status] = (total[status] or 0) + n
    end
    missing = missing + (thread:get("no_retry_after") or 0)
  end
  local ok, unavailable, other = 0, 0, 0
  local codes = {}
  for status, n in pairs(total) do
    if status >= 200 and status < 300 then
      ok = ok + n
    elseif status == 503 then
      unavailable = unavailable + n
    else
      other = other + n
    end
    codes[#codes + 1] = status
  end
  table.sort(codes)
  local list = {}
  for _, status in ipairs(codes) do list[#list + 1] = status .. ":" .. total[status] end
  return string.format(" s2xx=%d s503=%d sother=%d no_retry_after=%d statuses=%s", ok,
    unavailable, other, missing, #list > 0 and table.concat(list, ",") or "none")
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT %s requests=%d rate=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "socket_errors=%d non2xx3xx=%d timeouts=%d%s\n",
    name, summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, e.timeout,
    count and status_fields() or ""))
end
