-- Until when some node may hold a key in its verification cache (VerificationCache). Not a read model: nothing
-- rebuilds it; one row per key ever verified, renewed at most once per cache lifetime per node.
CREATE TABLE verification_lease (
    key_hash CHAR(64)    PRIMARY KEY,
    until    TIMESTAMPTZ NOT NULL
);
