-- Merchant notifications: the current state per payment and every attempt.
CREATE SCHEMA notify;

CREATE TABLE notify.notifications (
    payment_id      text PRIMARY KEY,
    notify_id       text NOT NULL UNIQUE,
    status          text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'ACKNOWLEDGED', 'GAVE_UP')),
    next_attempt_at timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.attempts (
    payment_id  text NOT NULL REFERENCES notify.notifications,
    number      integer NOT NULL CHECK (number > 0),
    at          timestamptz NOT NULL,
    http_status integer,
    outcome     text NOT NULL CHECK (outcome IN ('DELIVERED', 'HTTP_ERROR', 'UNEXPECTED_BODY', 'TIMEOUT', 'CONNECTION_FAILED')),
    error       text,
    PRIMARY KEY (payment_id, number)
);
