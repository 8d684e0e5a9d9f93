-- wrk script: POSTs the seed app's click, each with a fresh id (duplicates are cheaper to
-- store, so reusing one id would flatter the server). BATCH=N in the environment sends
-- `{"clicks": [...]}` with N clicks to /clicks/batch instead.
local batch = tonumber(os.getenv("BATCH") or "0")
local counter = 0
local prefix

function setup(thread)
  thread:set("thread_seed", math.random(0, 0xffff))
end

function init(args)
  math.randomseed(os.time() + (thread_seed or 0))
  prefix = string.format("%08x-%04x-4%03x", math.random(0, 0x7fffffff), math.random(0, 0xffff),
    math.random(0, 0xfff))
end

local function click()
  counter = counter + 1
  return string.format(
    '{"id":"%s-8%03x-%012x","button":"Buy now","timestamp":"2026-11-24T21:30:00",'
      .. '"pageUrl":"https://shop.example/pricing","device":{"deviceType":"desktop",'
      .. '"platform":"MacIntel","browser":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) '
      .. 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},'
      .. '"location":{"city":"Unknown","country":"Unknown"}}',
    prefix, math.random(0, 0xfff), counter)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  if batch > 0 then
    local items = {}
    for i = 1, batch do items[i] = click() end
    return wrk.format(nil, "/clicks/batch", nil, '{"clicks":[' .. table.concat(items, ",") .. "]}")
  end
  return wrk.format(nil, "/clicks", nil, click())
end

function done(summary, latency, requests)
  io.write(string.format("LATENCY_US p50=%d p99=%d\n", latency:percentile(50), latency:percentile(99)))
end
