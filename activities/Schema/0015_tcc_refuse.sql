-- A TCC call refuses inside the statement that finds the refusal (its owner frozen, no account, a confirm whose try
-- never ran), so the call runs as one implicit transaction with no COMMIT round trip and a refusal leaves no barrier row.
-- The hint is the refusal, then ':' and the value read when there is one (the owner's status; the detail field would be
-- redacted by Npgsql); activities/Tcc/TccBarrier.cs maps it.
CREATE SCHEMA tcc;

CREATE FUNCTION tcc.refuse(refusal text, detail text) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'TCC call refused: %', refusal USING ERRCODE = 'TCC01', HINT = refusal || coalesce(':' || detail, '');
END
$$;
