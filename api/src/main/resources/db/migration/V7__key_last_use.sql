-- When each member key was last used, to the minute, and by which service (CCS, VCS, or API for its own calls).
-- Written by the nodes in batches, not derived from events: it is kept apart from api_key so that rebuilding the
-- key list from the event store leaves it as it is.
CREATE TABLE key_last_use (
    key_id       UUID        PRIMARY KEY,
    last_used_at TIMESTAMPTZ NOT NULL,
    last_used_by VARCHAR(8)  NOT NULL
);
