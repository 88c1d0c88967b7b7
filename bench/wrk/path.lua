dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

-- One path, given by the harness (e.g. a list page deep in the table, by its cursor).
local path = os.getenv("BENCH_PATH")
request = function()
  return wrk.format("GET", path)
end
