dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

request = function()
  return wrk.format("GET", "/api/v1/users?limit=50")
end
