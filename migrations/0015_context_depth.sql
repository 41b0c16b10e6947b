-- Context depth (run --context-depth): the tokens of filler context a request's prompt sat after,
-- as requested (the measured depth comes from its prompt token count). NULL: no filler, as every
-- request before this column. A measure phase carries its level's depth, as it carries its concurrency.
ALTER TABLE requests ADD COLUMN context_depth_tokens INTEGER;
ALTER TABLE phases ADD COLUMN context_depth_tokens INTEGER;
