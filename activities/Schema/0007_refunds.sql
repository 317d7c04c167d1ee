-- Refund requests sent to the bank: one per payment, under an idempotent refund id.
CREATE SCHEMA refunds;

CREATE TABLE refunds.refunds (
    refund_id    text PRIMARY KEY,
    payment_id   text NOT NULL UNIQUE,
    amount       bigint NOT NULL CHECK (amount > 0),
    currency     text NOT NULL,
    http_status  integer,
    requested_at timestamptz NOT NULL DEFAULT now(),
    accepted_at  timestamptz
);
