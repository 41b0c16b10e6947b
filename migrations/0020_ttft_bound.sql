-- The p95 TTFT bound a rate sweep judged an open-loop level against, ms (run --max-p95-ttft); NULL: no
-- TTFT bound. A level holds when every bound it was given holds (latency_bound_ms from 0014, this one).
ALTER TABLE phases ADD COLUMN ttft_bound_ms REAL;
