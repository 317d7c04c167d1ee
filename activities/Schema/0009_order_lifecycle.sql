-- Contract revision 2: the order's workflow owns it from creation; orders expire (CLOSED), remember every operator
-- decision and the last failed step; a debit that arrives after the close is returned through the bank.
ALTER TABLE orders.payments DROP CONSTRAINT payments_status_check;
ALTER TABLE orders.payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('CREATED', 'PROCESSING', 'FAILED', 'PAID', 'SUSPENDED', 'REFUNDED', 'CLOSED'));
ALTER TABLE orders.payments DROP CONSTRAINT payments_step_check;
ALTER TABLE orders.payments ADD CONSTRAINT payments_step_check
    CHECK (step IN ('WAITING_FOR_BANK', 'RECEIVED', 'TRYING', 'CONFIRMING', 'CANCELLING', 'WAITING_FOR_OPERATOR',
                    'REFUNDING', 'POSTING_VOUCHER', 'DONE'));
-- NULL only on orders created before revision 2, until the platform's start gives them one (with their workflow).
ALTER TABLE orders.payments ADD COLUMN expires_at timestamptz;
ALTER TABLE orders.payments ADD COLUMN last_error text;
CREATE INDEX payments_without_expiry ON orders.payments (seq) WHERE expires_at IS NULL;

-- Every operator decision, numbered per payment (the workflow's decision count), so a retried activity writes it once.
CREATE TABLE orders.resolutions (
    payment_id text NOT NULL REFERENCES orders.payments,
    number     integer NOT NULL CHECK (number > 0),
    action     text NOT NULL CHECK (action IN ('RETRY', 'REFUND')),
    reason     text,
    source     text NOT NULL CHECK (source IN ('API', 'UI')),
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (payment_id, number)
);

-- A late debit (SUCCESS for a CLOSED order) is an exception whose money goes back through the bank.
ALTER TABLE orders.bank_exceptions ADD COLUMN refund_status text CHECK (refund_status IN ('PENDING', 'REFUNDED', 'REFUND_REFUSED'));
CREATE UNIQUE INDEX bank_exceptions_late_debit ON orders.bank_exceptions (payment_id, bank_txn_id) WHERE refund_status IS NOT NULL;

-- Each late debit of a payment is refunded under its own refund id (rfd_{bankTxnId}).
ALTER TABLE refunds.refunds DROP CONSTRAINT refunds_payment_id_key;

