package keyquota.application.quota;

import keyquota.application.auth.Callers;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.domain.service.CloudService;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.project.ProjectView;
import keyquota.projections.quota.MemberQuotaRow;
import keyquota.projections.quota.QuotaHistory;
import keyquota.projections.quota.QuotaProjection;
import keyquota.projections.quota.QuotaUsage;
import keyquota.projections.quota.QuotaView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.util.List;
import java.util.Map;

import static keyquota.application.auth.Callers.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The quota use cases without a database: who sets which quota, what a tenant user sees of the view, and what is
 * refused before any command is sent. The read models and the command bus are stood in for.
 */
@ExtendWith(MockitoExtension.class)
class QuotaManagementTest {

    private static final Principal OPERATOR = Callers.operator();
    private static final Principal ADMIN = Callers.member("P1", "alice", Role.TENANT_ADMIN);
    private static final Principal BOB = Callers.member("P1", "bob", Role.TENANT_USER);
    private static final Principal CCS_SERVICE = Callers.service("CCS");
    private static final CloudService CCS = ServiceCatalog.TWCC.service("CCS");

    @Mock
    private CommandGateway commands;
    @Mock
    private ProjectManagement projects;
    @Mock
    private QuotaProjection quotas;
    @Mock
    private QuotaHistory history;

    private QuotaManagement management;

    private static MemberQuotaRow row(String userId) {
        return new MemberQuotaRow(userId, Role.TENANT_USER, Map.of("cpu", 4L), Map.of("cpu", 1L), false);
    }

    @BeforeEach
    void setUp() {
        management = new QuotaManagement(commands, projects, quotas, history, ServiceCatalog.TWCC);
    }

    @Test
    void aTenantUserSeesTheProjectsTotalsAndOnlyTheirOwnRow() {
        QuotaUsage totals = new QuotaUsage(Map.of("cpu", 10L), Map.of("cpu", 2L));
        when(quotas.view("P1", CCS)).thenReturn(new QuotaView("P1", "CCS", totals, List.of(row("bob"), row("carol"))));

        QuotaView seen = management.view(BOB, "P1", "CCS", null);

        assertThat(seen.project()).isEqualTo(totals);
        assertThat(seen.members()).extracting(MemberQuotaRow::userId).containsExactly("bob");
    }

    @Test
    void aTenantAdminSeesEveryMembersRow() {
        when(quotas.view("P1", CCS)).thenReturn(new QuotaView("P1", "CCS",
                new QuotaUsage(Map.of(), Map.of()), List.of(row("bob"), row("carol"))));

        assertThat(management.view(ADMIN, "P1", "CCS", null).members()).extracting(MemberQuotaRow::userId)
                .containsExactly("bob", "carol");
    }

    @Test
    void onlyTheOperatorSetsTheProjectQuota() {
        assertThatThrownBy(() -> management.setProjectQuota(ADMIN, "P1", "CCS", Map.of("cpu", 8L), false, false))
                .isInstanceOf(Forbidden.class);
        verifyNoInteractions(commands);
    }

    @Test
    void aTenantUserSetsNoMembersQuota() {
        assertThatThrownBy(() -> management.setMemberQuota(BOB, "P1", "CCS", "bob", Map.of("cpu", 8L), false, false))
                .isInstanceOf(Forbidden.class);
        verifyNoInteractions(commands);
    }

    @Test
    void usageIsAllocatedOnlyToAMember() {
        DomainException notAMember = new DomainException(ErrorCode.MEMBER_NOT_FOUND, "Member not found.");
        when(projects.ensureMember("P1", "mallory")).thenThrow(notAMember);

        assertThatThrownBy(() -> management.allocate(CCS_SERVICE, "P1", "CCS", "vm-1", "mallory",
                Map.of("cpu", 1L))).isSameAs(notAMember);
        verifyNoInteractions(commands);
    }

    @Test
    void aServiceKeyReportsUsageOfItsOwnServiceOnly() {
        assertThatThrownBy(() -> management.allocate(CCS_SERVICE, "P1", "VCS", "vm-1", "bob", Map.of("cpu", 1L)))
                .isInstanceOf(Forbidden.class);
        verifyNoInteractions(commands, projects);
    }

    @Test
    void aPastViewFromBeforeTheProjectExistedIsNotFound() {
        when(projects.project("P1")).thenReturn(new ProjectView("P1", "Climate", NOW));

        assertThatThrownBy(() -> management.view(OPERATOR, "P1", "CCS", NOW.minusSeconds(1)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_NOT_FOUND));
        verifyNoInteractions(history);
    }
}
