-- Usage history (the "usage_history" read model): one row per project, service, member and resource for every
-- UTC hour in which its usage or quota changed; user_id '' is the project as a whole ('' is no user id). An hour
-- without a row is the previous row's end state carried forward, so a 400-day series is one range scan of at most
-- 9600 rows per resource, however many allocations a busy project makes (a log of every change would not be).
-- The integral is exact: usage_seconds is the usage integrated (in resource-seconds, to the microsecond) from the
-- start of the hour to changed_at; the rest of the hour adds usage_end for the time after changed_at.
CREATE TABLE usage_hour (
    project_id    VARCHAR(64)  NOT NULL,
    service       VARCHAR(32)  NOT NULL,
    user_id       VARCHAR(64)  NOT NULL,
    resource      VARCHAR(64)  NOT NULL,
    hour          TIMESTAMPTZ  NOT NULL,
    usage_end     BIGINT       NOT NULL, -- usage after the hour's last change
    peak          BIGINT       NOT NULL, -- the highest usage within the hour, the usage carried in included
    quota_end     BIGINT       NOT NULL, -- quota after the hour's last change
    usage_seconds NUMERIC      NOT NULL,
    changed_at    TIMESTAMPTZ  NOT NULL, -- the hour's last change
    PRIMARY KEY (project_id, service, user_id, resource, hour)
);
