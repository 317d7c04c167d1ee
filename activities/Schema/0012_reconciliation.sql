-- The ledger reconciliation's reports: what differed, one row per run.
CREATE SCHEMA reconciliation;

CREATE TABLE reconciliation.reports (
    report_id        text PRIMARY KEY,
    checked_at       timestamptz NOT NULL,
    difference_count integer NOT NULL CHECK (difference_count >= 0),
    differences      jsonb NOT NULL
);

CREATE INDEX reports_by_time ON reconciliation.reports (checked_at DESC);
