-- wrk script of bench/filing_capacity.py: citizens filing appeals through the API as
-- a Poisson stream of a given rate (open loop), each answer written down for the
-- reconciliation. Arguments (after wrk's "--"): data file, rate per second, output
-- file. The data file is Lua returning {tokens = {...}, regions = {...}, topics = {...}}.
--
-- wrk keeps a connection busy until its answer; `delay` is asked before each request
-- and returns how long until the next filing is due on this thread's clock, so with
-- enough connections the arrivals do not depend on the server's speed.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } izb_timespec;
int clock_gettime(int clock, izb_timespec *now);
]])
local clock = ffi.new("izb_timespec")

local function now_ms()
   ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local data, mean_ms, out, due
local sent = 0
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_id", threads) -- a global of that thread's own Lua state
end

function init(args)
   data = dofile(args[1])
   mean_ms = 1000 / tonumber(args[2]) -- each thread's share; the caller divides the rate
   out = io.open(args[3] .. "." .. thread_id, "w")
   out:setvbuf("line") -- wrk exits without closing the script's files
   math.randomseed(tonumber(thread_id) * 7919 + os.time())
end

function delay()
   local now = now_ms()
   due = (due or now) - math.log(1 - math.random()) * mean_ms
   return due > now and math.floor(due - now) or 0
end

local function pick(list)
   return list[math.random(#list)]
end

function request()
   sent = sent + 1
   -- The key is in the subject too, so each answer names the filing it answers.
   local key = string.format("wrk%d-%d-%d", thread_id, os.time(), sent)
   local body = string.format(
      '{"region": "%s", "topic": "%s", "subject": "Нагрузочный тест %s", '
         .. '"text": "Прошу отремонтировать асфальт во дворе дома 12, яма уже полгода.", '
         .. '"consent": true}',
      pick(data.regions), pick(data.topics), key)
   out:write("0 ", key, " -\n") -- sent: wrk drops the answers still on the way at its end
   return wrk.format("POST", "/api/v1/appeals/", {
      ["Authorization"] = "Token " .. pick(data.tokens),
      ["Idempotency-Key"] = key,
      ["Content-Type"] = "application/json",
      ["X-Forwarded-Proto"] = "https",
   }, body)
end

function response(status, headers, body)
   local key = body:match('"subject":"Нагрузочный тест ([^"]+)"') or "-"
   local number = body:match('"number":"([^"]+)"') or "-"
   out:write(status, " ", key, " ", number, "\n")
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      "wrk: %d answers in %.1f s; socket errors: connect %d, read %d, write %d, timeout %d\n",
      summary.requests, summary.duration / 1e6,
      errors.connect, errors.read, errors.write, errors.timeout))
   io.write(string.format(
      "wrk latency (ms): median %.1f, p95 %.1f, p99 %.1f, max %.1f\n",
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
