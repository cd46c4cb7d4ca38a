-- wrk script: each request asks for a random 1 MiB range of a file of FILE_SIZE bytes (set by the caller).
local size = tonumber(os.getenv("FILE_SIZE"))
local chunk = 1024 * 1024
math.randomseed(42)

request = function()
    local start = math.random(0, size - chunk)
    return wrk.format("GET", nil, { ["Range"] = "bytes=" .. start .. "-" .. (start + chunk - 1) })
end
