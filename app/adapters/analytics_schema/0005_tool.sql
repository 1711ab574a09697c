-- Each tool call the assistant ran is an event of its own: which tool (and, in failure, how it ended).
ALTER TABLE events ADD COLUMN IF NOT EXISTS tool LowCardinality(String) DEFAULT ''
