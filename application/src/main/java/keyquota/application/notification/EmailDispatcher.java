package keyquota.application.notification;

import keyquota.projections.notification.EmailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Notifications by email to the member they concern, when the service has an SMTP server (spring.mail.host):
 * Spring's mail support sends them, at least once, from any node that has one. A member without an address is
 * skipped; a failed send is tried again with growing pauses for 24 hours. Without an SMTP server nothing is made.
 */
@Component
public class EmailDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EmailDispatcher.class);

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(5);
    private static final Duration LONGEST_PAUSE = Duration.ofHours(1);
    private static final Duration TRIED_FOR = Duration.ofHours(24);
    private static final int CLAIMED_AT_ONCE = 50;

    private final EmailStore store;
    private final ObjectProvider<JavaMailSender> mail;
    private final Clock clock;
    private final String from;
    private final JsonMapper json = JsonMapper.builder().build();

    public EmailDispatcher(EmailStore store, ObjectProvider<JavaMailSender> mail, Clock clock,
                           @Value("${keyquota.mail.from:keyquota@localhost}") String from) {
        this.store = store;
        this.mail = mail;
        this.clock = clock;
        this.from = from;
    }

    /** A node with an SMTP server switches the channel on for every node: notifications get email deliveries. */
    @EventListener(ContextRefreshedEvent.class)
    public void switchOnWhereMailIsConfigured() {
        if (mail.getIfAvailable() != null) {
            store.switchOn();
        }
    }

    @Scheduled(fixedDelayString = "${keyquota.mail.dispatch-interval:PT5S}")
    public void dispatch() {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            return;
        }
        try {
            Instant now = clock.instant();
            List<EmailStore.DueEmail> due = store.claim(now, now.plus(LEASE), CLAIMED_AT_ONCE);
            for (EmailStore.DueEmail email : due) {
                send(sender, email);
            }
        } catch (RuntimeException e) {
            log.warn("Notification emails not dispatched, the next round catches up: {}", e.toString());
        }
    }

    private void send(JavaMailSender sender, EmailStore.DueEmail email) {
        if (email.email() == null) {
            store.done(email.position(), "SKIPPED");
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(email.email());
        message.setSubject("keyquota: " + subjectOf(email));
        message.setText(textOf(email));
        try {
            sender.send(message);
            store.done(email.position(), "SENT");
        } catch (MailException e) {
            log.info("Notification email {} attempt {} not sent: {}", email.notification().notificationId(),
                    email.attempts(), e.toString());
            Instant now = clock.instant();
            Instant deadline = email.createdAt().plus(TRIED_FOR);
            Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(email.attempts() - 1, 10));
            Instant next = now.plus(pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause);
            store.notSent(email.position(), now.isBefore(deadline) ? next : null);
        }
    }

    private static String subjectOf(EmailStore.DueEmail email) {
        return switch (email.notification().type()) {
            case "KEY_EXPIRING" -> "an API key expires soon";
            case "KEY_EXPIRED" -> "an API key expired";
            case "KEY_DELETED" -> "an API key was deleted";
            default -> email.notification().type();
        };
    }

    /** The notification as the API gives it, in words a person reads; never a secret (details hold none). */
    private String textOf(EmailStore.DueEmail email) {
        JsonNode details = json.readTree(email.notification().detailsJson());
        StringBuilder text = new StringBuilder()
                .append("Project ").append(email.notification().projectId())
                .append(", member ").append(email.notification().userId()).append(":\n")
                .append(subjectOf(email)).append(".\n\n");
        details.properties().forEach(field -> text.append(field.getKey()).append(": ")
                .append(field.getValue().asString()).append('\n'));
        text.append("\nNotification ").append(email.notification().notificationId())
                .append(", ").append(email.notification().createdAt()).append('\n');
        return text.toString();
    }
}
