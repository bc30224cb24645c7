-- Key lifecycle: a key may be disabled, rolled to another, and limited to services and networks.
ALTER TABLE api_key
    ADD COLUMN disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN replaced_by   UUID,
    ADD COLUMN services      VARCHAR(16)[],
    ADD COLUMN allowed_cidrs VARCHAR(64)[];
