-- Payment orders, their bank callbacks and the callbacks that disagreed with their order.
CREATE SCHEMA orders;

CREATE TABLE orders.payments (
    seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    payment_id        text PRIMARY KEY,
    merchant_id       text NOT NULL,
    merchant_order_no text NOT NULL,
    user_id           text NOT NULL,
    amount            bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000),
    currency          text NOT NULL,
    fee_bps           integer NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
    fee               bigint NOT NULL CHECK (fee >= 0),
    net_amount        bigint NOT NULL CHECK (net_amount >= 0 AND net_amount + fee = amount),
    points            bigint NOT NULL CHECK (points >= 0),
    notify_url        text NOT NULL,
    subject           text,
    status            text NOT NULL DEFAULT 'CREATED'
                      CHECK (status IN ('CREATED', 'PROCESSING', 'FAILED', 'PAID', 'SUSPENDED', 'REFUNDED')),
    bank_txn_id       text,
    bank_result       text CHECK (bank_result IN ('SUCCESS', 'FAILED')),
    paid_at           timestamptz,
    step              text CHECK (step IN ('RECEIVED', 'TRYING', 'CONFIRMING', 'CANCELLING', 'WAITING_FOR_OPERATOR',
                                           'REFUNDING', 'POSTING_VOUCHER', 'DONE')),
    fund_account      text NOT NULL DEFAULT 'NONE' CHECK (fund_account IN ('NONE', 'TRIED', 'CONFIRMED', 'CANCELLED')),
    points_account    text NOT NULL DEFAULT 'NONE' CHECK (points_account IN ('NONE', 'TRIED', 'CONFIRMED', 'CANCELLED')),
    accounting        text NOT NULL DEFAULT 'NONE' CHECK (accounting IN ('NONE', 'PENDING', 'POSTED')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, merchant_order_no),
    -- A bank transaction is recorded together with its result, never one without the other.
    CHECK ((bank_txn_id IS NULL) = (bank_result IS NULL))
);

CREATE INDEX payments_by_status ON orders.payments (status, seq DESC);
CREATE INDEX payments_by_merchant ON orders.payments (merchant_id, seq DESC);

CREATE TABLE orders.bank_exceptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    payment_id  text NOT NULL,
    bank_txn_id text NOT NULL,
    amount      bigint NOT NULL,
    currency    text NOT NULL,
    result      text NOT NULL,
    paid_at     timestamptz,
    reason      text NOT NULL
);
