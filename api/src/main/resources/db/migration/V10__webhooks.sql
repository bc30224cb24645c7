-- Webhooks: notifications sent to a URL. The secret is kept here, and only here, because every delivery is
-- signed with it; it is shown once, in the answer that creates the webhook.
CREATE TABLE webhook (
    webhook_id UUID          PRIMARY KEY,
    url        VARCHAR(2048) NOT NULL,
    project_id VARCHAR(64),           -- null: every project's notifications
    types      TEXT[],                -- null: every type
    secret     VARCHAR(128)  NOT NULL,
    created_at TIMESTAMPTZ   NOT NULL,
    deleted    BOOLEAN       NOT NULL DEFAULT FALSE
);

-- One delivery of one notification to one webhook. The dispatcher claims due ones with FOR UPDATE SKIP LOCKED
-- and leases them by moving next_attempt_at, so any node may send and a node that dies mid-send loses none.
CREATE TABLE webhook_delivery (
    delivery_id           UUID        PRIMARY KEY,
    webhook_id            UUID        NOT NULL REFERENCES webhook,
    notification_position BIGINT      NOT NULL REFERENCES notification (position),
    status                VARCHAR(16) NOT NULL,
    attempts              INT         NOT NULL DEFAULT 0,
    next_attempt_at       TIMESTAMPTZ NOT NULL,
    last_attempt_at       TIMESTAMPTZ,
    last_status_code      INT,
    created_at            TIMESTAMPTZ NOT NULL,
    UNIQUE (webhook_id, notification_position)
);

CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_pending ON webhook_delivery (webhook_id, notification_position)
    WHERE status = 'PENDING';

-- Every notification, whichever statement makes it (the notification policy, the expiry scan, those still to
-- come), gets its deliveries in the same transaction: none is lost between the two, and no high-water mark is
-- needed (BIGSERIAL positions commit out of order, so a mark could step over one). A notification is made once
-- by its cause (ON CONFLICT DO NOTHING fires no trigger), so a replay or a second node makes no second delivery.
CREATE FUNCTION notification_to_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_delivery (delivery_id, webhook_id, notification_position, status, next_attempt_at,
                                  created_at)
    SELECT gen_random_uuid(), w.webhook_id, NEW.position, 'PENDING', NEW.created_at, NEW.created_at
    FROM webhook w
    WHERE NOT w.deleted
      AND (w.project_id IS NULL OR w.project_id = NEW.project_id)
      AND (w.types IS NULL OR NEW.type = ANY (w.types));
    RETURN NULL;
END
$$;

CREATE TRIGGER notification_to_webhooks AFTER INSERT ON notification
    FOR EACH ROW EXECUTE FUNCTION notification_to_webhooks();
