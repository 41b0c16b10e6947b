-- Context depth (run --context-depth): the tokens of filler context a request's prompt sat after,
-- as requested (the measured depth comes from its prompt token count). NULL: no filler, as every
-- request before this column. A measure phase carries its level's depth, as it carries its concurrency.
--
-- A request is one task repetition at one level, and a level is now concurrency x arrival rate x depth:
-- the uniqueness index of migration 0014 is recreated with the depth in it (NULL depth as -1, since
-- SQLite counts NULLs in a UNIQUE index as all distinct).
ALTER TABLE requests ADD COLUMN context_depth_tokens INTEGER CHECK (context_depth_tokens IS NULL OR context_depth_tokens >= 0);
DROP INDEX requests_level_task;
CREATE UNIQUE INDEX requests_level_task
  ON requests (run_id, concurrency, ifnull(arrival_rate_per_s, 0), ifnull(context_depth_tokens, -1), task_id, repeat_index);

ALTER TABLE phases ADD COLUMN context_depth_tokens INTEGER;
