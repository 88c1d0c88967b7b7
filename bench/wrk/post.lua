dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local n = 0
request = function()
  n = n + 1
  local body = string.format('{"email":"wrk-%s-%d-%d@example.com","name":"Bench User"}', run_id, tid, n)
  return wrk.format("POST", "/api/v1/users", { ["Content-Type"] = "application/json" }, body)
end
