-- Every business event of every company, once: the audit trail's entries as they were recorded.
-- An entry delivered twice (a retried batch, a second ingester) keeps one row: read with FINAL.
CREATE TABLE IF NOT EXISTS events (
    company UUID,
    event_id UUID,
    seq UInt64,
    action LowCardinality(String),
    subject String,
    occurred_at DateTime64(6, 'UTC'),
    amount Decimal(18, 2),
    currency LowCardinality(String),
    ingested_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree
ORDER BY (company, event_id)
