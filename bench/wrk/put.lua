dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local n = 0
request = function()
  n = n + 1
  local i = math.random(1, users)
  local body = string.format('{"email":"seed%d@example.com","name":"Updated %d"}', i, n)
  return wrk.format("PUT", "/api/v1/users/" .. user_id(i), { ["Content-Type"] = "application/json" }, body)
end
