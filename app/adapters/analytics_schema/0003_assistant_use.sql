-- The assistant's use, on its events (a question answered or failed): the tool calls of the run, the tokens
-- the model reported, the milliseconds from the run's start to its answer, and a failure's code.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS tool_calls UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS tokens UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS answer_ms UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS failure LowCardinality(String) DEFAULT ''
