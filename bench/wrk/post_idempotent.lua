dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

-- post.lua with an Idempotency-Key on every request (a new key each: every request is a first).
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"email":"wrk-key-%s-%d-%d@example.com","name":"Bench User"}', run_id, tid, n)
  local key = string.format("%s-%d-%d", run_id, tid, n)
  return wrk.format("POST", "/api/v1/users", { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
end
