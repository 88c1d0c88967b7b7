dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

-- GET by id at a steady rate rather than flat out: each connection waits BENCH_INTERVAL_MS
-- (fractional: rounded up or down at random, so the mean is exact) before its next request.
local interval = tonumber(os.getenv("BENCH_INTERVAL_MS") or "10")
request = function()
  return wrk.format("GET", "/api/v1/users/" .. user_id(math.random(1, users)))
end

delay = function()
  local whole = math.floor(interval)
  if math.random() < interval - whole then
    return whole + 1
  end
  return whole
end
