package keyquota.api.audit;

import keyquota.application.auth.Principal;
import keyquota.domain.audit.AuditMetadata;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/** Stamps every command with who sent it and the request's correlation id; its events inherit both. */
public class ActorMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
            List<? extends CommandMessage<?>> messages) {
        return (index, command) -> command.andMetaData(actorMetadata());
    }

    private static MetaData actorMetadata() {
        Map<String, String> metadata = new HashMap<>();
        String correlationId = MDC.get(AuditMetadata.CORRELATION_ID);
        metadata.put(AuditMetadata.CORRELATION_ID,
                correlationId != null ? correlationId : UUID.randomUUID().toString());
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Object caller = authentication == null ? null : authentication.getPrincipal();
        if (caller instanceof Principal.Member member) {
            metadata.put(AuditMetadata.ACTOR_TYPE, "MEMBER");
            metadata.put(AuditMetadata.ACTOR_USER_ID, member.userId());
            metadata.put(AuditMetadata.ACTOR_KEY_ID, member.keyId().toString());
        } else if (caller instanceof Principal principal) {
            metadata.put(AuditMetadata.ACTOR_TYPE, principal instanceof Principal.Operator ? "OPERATOR" : "SERVICE");
            metadata.put(AuditMetadata.ACTOR_KEY_ID, principal.keyId().toString());
        } else {
            metadata.put(AuditMetadata.ACTOR_TYPE, AuditMetadata.SYSTEM);
        }
        return MetaData.from(metadata);
    }
}
