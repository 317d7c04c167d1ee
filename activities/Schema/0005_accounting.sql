-- The ledger: one voucher per payment, double entry checked by the database at commit.
CREATE SCHEMA accounting;

CREATE TABLE accounting.vouchers (
    voucher_id text PRIMARY KEY,
    payment_id text NOT NULL UNIQUE,
    kind       text NOT NULL CHECK (kind IN ('PAYMENT', 'REFUND')),
    posted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounting.voucher_lines (
    voucher_id text NOT NULL REFERENCES accounting.vouchers ON DELETE CASCADE,
    line_no    integer NOT NULL CHECK (line_no > 0),
    account    text NOT NULL,
    debit      bigint NOT NULL CHECK (debit >= 0),
    credit     bigint NOT NULL CHECK (credit >= 0),
    PRIMARY KEY (voucher_id, line_no),
    -- Every line is either a debit or a credit, never zero (zero lines are left out).
    CHECK ((debit = 0) <> (credit = 0))
);

CREATE INDEX voucher_lines_by_account ON accounting.voucher_lines (account);

CREATE FUNCTION accounting.check_voucher_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    checked_id text := CASE WHEN TG_OP = 'DELETE' THEN OLD.voucher_id ELSE NEW.voucher_id END;
    line_count bigint;
    total_debit numeric;
    total_credit numeric;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM accounting.vouchers WHERE voucher_id = checked_id) THEN
        RETURN NULL;
    END IF;
    SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
      INTO line_count, total_debit, total_credit
      FROM accounting.voucher_lines WHERE voucher_id = checked_id;
    IF line_count = 0 OR total_debit <> total_credit THEN
        RAISE EXCEPTION 'voucher % does not balance: % lines, debits %, credits %',
            checked_id, line_count, total_debit, total_credit
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- Deferred to commit, so a voucher may be written line by line inside its transaction.
CREATE CONSTRAINT TRIGGER voucher_lines_balance
    AFTER INSERT OR UPDATE OR DELETE ON accounting.voucher_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounting.check_voucher_balanced();

CREATE CONSTRAINT TRIGGER vouchers_balance
    AFTER INSERT ON accounting.vouchers
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounting.check_voucher_balanced();
