-- Merchant fund accounts (TCC participant) and their barrier.
CREATE SCHEMA funds;

CREATE TABLE funds.accounts (
    merchant_id    text PRIMARY KEY,
    currency       text NOT NULL,
    balance        bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
    pending_credit bigint NOT NULL DEFAULT 0 CHECK (pending_credit >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- DTM-style barrier: insert-only; a row's presence is the branch's memory of what already happened.
CREATE TABLE funds.barrier (
    gid        text NOT NULL,
    branch_id  text NOT NULL,
    op         text NOT NULL CHECK (op IN ('try', 'confirm', 'cancel')),
    reason     text NOT NULL CHECK (reason IN ('try', 'confirm', 'cancel')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gid, branch_id, op)
);
