-- wrk script: counts responses by HTTP status across all threads and prints latency percentiles.
-- WRK_DELAY_MS paces each connection: it waits that long before each request.
local threads = {}

local pace = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pace then
  function delay()
    return pace
  end
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
  io.write(string.format("errors connect=%d read=%d write=%d timeout=%d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency_ms p50=%.2f p99=%.2f p999=%.2f\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
  io.write(string.format("requests_per_s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
