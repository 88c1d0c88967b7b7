dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

request = function()
  return wrk.format("GET", "/api/v1/users/" .. user_id(math.random(1, users)))
end
