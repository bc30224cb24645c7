-- Quota requests (the "quota_requests" read model): what members asked for and how it was decided. Written in the
-- command's transaction, so a request is listed as soon as the answer that made or decided it returns.
CREATE TABLE quota_request (
    request_id      UUID         PRIMARY KEY,
    project_id      VARCHAR(64)  NOT NULL,
    service         VARCHAR(16)  NOT NULL,
    user_id         VARCHAR(64)  NOT NULL, -- whose quota it asks for
    requested_by    VARCHAR(64)  NOT NULL, -- the member who asked
    resources       JSONB        NOT NULL,
    reason          VARCHAR(500) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    forwarded_at    TIMESTAMPTZ,
    forwarded_by    VARCHAR(64),
    forward_reason  VARCHAR(500),
    decided_at      TIMESTAMPTZ,
    decided_by_type VARCHAR(16),           -- OPERATOR or MEMBER
    decided_by      VARCHAR(64),           -- the member, or null for the operator
    decision_reason VARCHAR(500)
);

-- The list: a project's requests newest first, also filtered by status.
CREATE INDEX quota_request_by_project ON quota_request (project_id, created_at DESC, request_id DESC);
