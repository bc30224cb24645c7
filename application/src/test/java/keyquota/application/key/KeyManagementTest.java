package keyquota.application.key;

import keyquota.application.auth.Callers;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.application.auth.VerificationCache;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.Role;
import keyquota.domain.key.DeleteKey;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.key.KeyPolicy;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.key.KeyHistory;
import keyquota.projections.key.KeyPage;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static keyquota.application.auth.Callers.NOW;
import static keyquota.application.auth.Callers.memberKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The key use cases without a database: whom a key may be made for, what a tenant user sees, who is recorded as
 * having deleted a key, and what a bulk delete reports and waits for. The read models and the command bus are
 * stood in for; the rules of {@code Access} and {@code KeyPolicy} are the real ones.
 */
@ExtendWith(MockitoExtension.class)
class KeyManagementTest {

    private static final Principal OPERATOR = Callers.operator();
    private static final Principal ADMIN = Callers.member("P1", "alice", Role.TENANT_ADMIN);
    private static final Principal BOB = Callers.member("P1", "bob", Role.TENANT_USER);

    @Mock
    private CommandGateway commands;
    @Mock
    private ProjectManagement projects;
    @Mock
    private KeyProjection keys;
    @Mock
    private KeyHistory history;
    @Mock
    private VerificationCache verifications;

    private KeyManagement management;

    @BeforeEach
    void setUp() {
        management = new KeyManagement(commands, projects, keys, history, KeyPolicy.DEFAULT, ServiceCatalog.TWCC, verifications,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void onlyATenantAdminMakesAKeyForAnotherMember() {
        assertThatThrownBy(() -> management.create(BOB, "P1", "carol", "laptop", null))
                .isInstanceOf(Forbidden.class);
        verifyNoInteractions(commands);
    }

    @Test
    void theOperatorNamesTheMemberAKeyIsFor() {
        assertThatThrownBy(() -> management.create(OPERATOR, "P1", null, "laptop", null))
                .isInstanceOfSatisfying(InvalidValue.class, e -> assertThat(e.field()).isEqualTo("userId"));
        verifyNoInteractions(commands);
    }

    @Test
    void aTenantUserListsTheirOwnKeysWhateverMemberTheyAskFor() {
        KeyPage own = new KeyPage(List.of(memberKey("P1", "bob")), null);
        when(keys.memberKeys("P1", "bob", null, null, null, NOW, 20, null)).thenReturn(own);

        assertThat(management.list(BOB, "P1", null, null, 20, null)).isSameAs(own);
        assertThat(management.list(BOB, "P1", "carol", null, 20, null).keys()).isEmpty();
        verify(keys, never()).memberKeys(eq("P1"), eq("carol"), any(), any(), any(), any(), anyInt(), any());
    }

    @Test
    void aKeyTheCallerMayNotSeeIsNotFoundLikeOneThatDoesNotExist() {
        KeyView carols = memberKey("P1", "carol");
        KeyView otherProjects = memberKey("P2", "bob");
        when(keys.findLive(carols.keyId())).thenReturn(Optional.of(carols));
        when(keys.findLive(otherProjects.keyId())).thenReturn(Optional.of(otherProjects));

        for (UUID keyId : List.of(carols.keyId(), otherProjects.keyId(), UUID.randomUUID())) {
            assertThatThrownBy(() -> management.get(BOB, "P1", keyId)).isInstanceOfSatisfying(
                    DomainException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND));
        }
        assertThatThrownBy(() -> management.get(OPERATOR, "P1", otherProjects.keyId()))
                .as("a key is found only in its own project, by the operator too")
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND));
    }

    @Test
    void aDeletionRecordsWhetherTheOwnerATenantAdminOrTheOperatorDeletedTheKey() {
        assertThat(deletedBy(BOB)).isEqualTo(KeyDeletionReason.BY_OWNER);
        assertThat(deletedBy(ADMIN)).isEqualTo(KeyDeletionReason.BY_TENANT_ADMIN);
        assertThat(deletedBy(OPERATOR)).isEqualTo(KeyDeletionReason.BY_OPERATOR);
    }

    private KeyDeletionReason deletedBy(Principal principal) {
        KeyView bobs = memberKey("P1", "bob");
        when(keys.findLive(bobs.keyId())).thenReturn(Optional.of(bobs));
        management.delete(principal, "P1", bobs.keyId());
        ArgumentCaptor<DeleteKey> deleted = ArgumentCaptor.forClass(DeleteKey.class);
        verify(commands, atLeastOnce()).sendAndWait(deleted.capture());
        verify(verifications).awaitRevoked(List.of(bobs.keyId()));
        return deleted.getValue().reason();
    }

    @Test
    void aBulkDeleteReportsEveryOtherIdNotFoundAndWaitsOnlyForTheDeletedKeys() {
        KeyView bobs = memberKey("P1", "bob");
        KeyView carols = memberKey("P1", "carol");
        UUID unknown = UUID.randomUUID();
        when(keys.findLive(bobs.keyId())).thenReturn(Optional.of(bobs));
        when(keys.findLive(carols.keyId())).thenReturn(Optional.of(carols));

        Map<UUID, KeyManagement.DeleteResult> results =
                management.deleteAll(BOB, "P1", List.of(bobs.keyId(), carols.keyId(), unknown));

        assertThat(results).containsExactly(Map.entry(bobs.keyId(), KeyManagement.DeleteResult.DELETED),
                Map.entry(carols.keyId(), KeyManagement.DeleteResult.NOT_FOUND),
                Map.entry(unknown, KeyManagement.DeleteResult.NOT_FOUND));
        verify(verifications).awaitRevoked(List.of(bobs.keyId()));
    }

    @Test
    void aBulkDeleteThatFailsHalfwayStillWaitsForTheKeysItDeleted() {
        KeyView first = memberKey("P1", "bob");
        KeyView second = memberKey("P1", "bob");
        when(keys.findLive(first.keyId())).thenReturn(Optional.of(first));
        when(keys.findLive(second.keyId())).thenReturn(Optional.of(second));
        RuntimeException lost = new IllegalStateException("the database is away");
        when(commands.sendAndWait(any(DeleteKey.class))).thenReturn(null).thenThrow(lost);

        assertThatThrownBy(() -> management.deleteAll(BOB, "P1", List.of(first.keyId(), second.keyId())))
                .isSameAs(lost);
        verify(verifications).awaitRevoked(List.of(first.keyId()));
    }
}
