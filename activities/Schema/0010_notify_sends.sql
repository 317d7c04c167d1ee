-- Every POST sent to a merchant, written before it is sent: a retried attempt (its worker died after the POST,
-- before recording the answer) sends again, and both sends stay in the log.
CREATE TABLE notify.sends (
    payment_id text NOT NULL REFERENCES notify.notifications,
    number     integer NOT NULL CHECK (number > 0),
    try        integer NOT NULL CHECK (try > 0),
    sent_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (payment_id, number, try)
);
