-- Shared by the endpoint scripts: thread ids, the seeded users' ids, and one machine-readable
-- RESULT line per run for bench/Harness to parse.
local threads = {}
users = tonumber(os.getenv("BENCH_USERS") or "10000")
run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
end

-- The seed gives user n the id 00000000-0000-4000-8000-<n in 12 hex digits>.
function user_id(n)
  return string.format("00000000-0000-4000-8000-%012x", n)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"durationUs":%d,"errors":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
