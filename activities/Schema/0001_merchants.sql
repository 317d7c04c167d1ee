-- Master data: merchants (with their API key hash and notify secret) and users.
CREATE SCHEMA merchants;

CREATE TABLE merchants.merchants (
    merchant_id   text PRIMARY KEY,
    name          text NOT NULL,
    currency      text NOT NULL,
    fee_bps       integer NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
    status        text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FROZEN')),
    api_key_hash  bytea NOT NULL UNIQUE,
    notify_secret text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE merchants.users (
    user_id    text PRIMARY KEY,
    name       text NOT NULL,
    status     text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FROZEN')),
    created_at timestamptz NOT NULL DEFAULT now()
);
