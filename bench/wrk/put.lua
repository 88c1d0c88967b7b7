dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

-- Each thread walks its own ids (thread 1: 1, 3, 5, ...; thread 2: 2, 4, ...), so no two
-- requests in flight update the same user: a write conflict would be a 409, and a benchmark
-- run must see only 2xx.
local n = 0
request = function()
  local i = ((n * 2 + tid - 1) % users) + 1
  n = n + 1
  local body = string.format('{"email":"seed%d@example.com","name":"Updated %d"}', i, n)
  return wrk.format("PUT", "/api/v1/users/" .. user_id(i), { ["Content-Type"] = "application/json" }, body)
end
