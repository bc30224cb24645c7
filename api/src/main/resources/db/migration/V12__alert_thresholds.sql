-- A project's usage alert thresholds per service (percentages of a finite quota). A missing row means the
-- default, [80, 100]. Part of the quota read model, rebuilt with it.
CREATE TABLE quota_alert (
    project_id VARCHAR(64) NOT NULL,
    service    VARCHAR(32) NOT NULL,
    thresholds INT[]       NOT NULL,
    PRIMARY KEY (project_id, service)
);
