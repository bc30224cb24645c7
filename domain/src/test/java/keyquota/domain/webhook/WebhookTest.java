package keyquota.domain.webhook;

import keyquota.domain.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static keyquota.domain.Rejections.rejectedWith;

class WebhookTest {

    private static final UUID WEBHOOK_ID = UUID.fromString("0e6f1f8a-3c52-4b7e-9d0a-6a1b2c3d4e5f");
    private static final String URL = "https://hooks.example.org/keyquota";

    private FixtureConfiguration<Webhook> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Webhook.class);
    }

    @Test
    void aWebhookForOneProjectAndSomeTypesIsCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhook(WEBHOOK_ID, URL, "GOV108001", List.of("KEY_EXPIRING", "KEY_DELETED")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new WebhookCreated(WEBHOOK_ID, URL, "GOV108001", List.of("KEY_EXPIRING", "KEY_DELETED")));
    }

    @Test
    void aWebhookForEveryProjectAndEveryTypeIsCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhook(WEBHOOK_ID, URL, null, null))
                .expectEvents(new WebhookCreated(WEBHOOK_ID, URL, null, null));
    }

    @Test
    void deletingAWebhookNamesItsProject() {
        fixture.given(new WebhookCreated(WEBHOOK_ID, URL, "GOV108001", null))
                .when(new DeleteWebhook(WEBHOOK_ID))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new WebhookDeleted(WEBHOOK_ID, "GOV108001"));
    }

    @Test
    void aDeletedWebhookIsNotFound() {
        fixture.given(new WebhookCreated(WEBHOOK_ID, URL, null, null), new WebhookDeleted(WEBHOOK_ID, null))
                .when(new DeleteWebhook(WEBHOOK_ID))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND))
                .expectNoEvents();
    }
}
