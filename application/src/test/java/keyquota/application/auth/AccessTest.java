package keyquota.application.auth;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static keyquota.application.auth.Callers.member;
import static keyquota.application.auth.Callers.memberKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may do what, without a database: every rule of {@link Access} for each kind of caller. */
class AccessTest {

    private static final Principal OPERATOR = Callers.operator();
    private static final Principal CCS = Callers.service("CCS");
    private static final Principal ALL_SERVICES = Callers.service(null);
    private static final Principal ADMIN = member("P1", "alice", Role.TENANT_ADMIN);
    private static final Principal USER = member("P1", "bob", Role.TENANT_USER);

    private static void assertProjectNotFound(Runnable rule) {
        assertThatThrownBy(rule::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_NOT_FOUND));
    }

    @Nested
    class InAProject {

        @Test
        void theOperatorAndTheProjectsMembersAreIn() {
            assertThatCode(() -> Access.ensureInProject(OPERATOR, "P1")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureInProject(ADMIN, "P1")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureInProject(USER, "P1")).doesNotThrowAnyException();
        }

        @Test
        void anotherProjectLooksAsIfItDidNotExist() {
            assertProjectNotFound(() -> Access.ensureInProject(ADMIN, "P2"));
            assertProjectNotFound(() -> Access.ensureProjectAdmin(ADMIN, "P2"));
        }

        @Test
        void aServiceKeyManagesNoProject() {
            assertThatThrownBy(() -> Access.ensureInProject(CCS, "P1")).isInstanceOf(Forbidden.class);
        }

        @Test
        void onlyATenantAdminOrTheOperatorAdministers() {
            assertThatCode(() -> Access.ensureProjectAdmin(ADMIN, "P1")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureProjectAdmin(OPERATOR, "P1")).doesNotThrowAnyException();
            assertThatThrownBy(() -> Access.ensureProjectAdmin(USER, "P1")).isInstanceOf(Forbidden.class);
        }

        @Test
        void onlyTheOperatorIsTheOperator() {
            assertThatCode(() -> Access.ensureOperator(OPERATOR)).doesNotThrowAnyException();
            for (Principal other : new Principal[] {ADMIN, USER, CCS}) {
                assertThatThrownBy(() -> Access.ensureOperator(other)).isInstanceOf(Forbidden.class);
            }
        }
    }

    @Nested
    class Usage {

        @Test
        void aServiceKeyReportsUsageOfItsOwnServiceOrOfAll() {
            assertThatCode(() -> Access.ensureReportsUsageOf(CCS, "P1", "CCS")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureReportsUsageOf(ALL_SERVICES, "P1", "VCS")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureReportsUsageOf(OPERATOR, "P1", "VCS")).doesNotThrowAnyException();
            assertThatThrownBy(() -> Access.ensureReportsUsageOf(CCS, "P1", "VCS")).isInstanceOf(Forbidden.class);
        }

        @Test
        void aMemberReportsNoUsageInTheirProjectAndSeesNoOther() {
            assertThatThrownBy(() -> Access.ensureReportsUsageOf(ADMIN, "P1", "CCS")).isInstanceOf(Forbidden.class);
            assertProjectNotFound(() -> Access.ensureReportsUsageOf(ADMIN, "P2", "CCS"));
        }

        @Test
        void membersVerifyNoKeys() {
            assertThatThrownBy(() -> Access.ensureServiceOrOperator(USER)).isInstanceOf(Forbidden.class);
            assertThatCode(() -> Access.ensureServiceOrOperator(CCS)).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureServiceOrOperator(OPERATOR)).doesNotThrowAnyException();
        }
    }

    @Nested
    class Visibility {

        @Test
        void aTenantUserSeesOnlyTheirOwn() {
            assertThat(Access.onlyOwnOf(USER)).contains("bob");
            assertThat(Access.canSee(USER, memberKey("P1", "bob"))).isTrue();
            assertThat(Access.canSee(USER, memberKey("P1", "alice"))).isFalse();
        }

        @Test
        void aTenantAdminAndTheOperatorSeeEveryMembers() {
            assertThat(Access.onlyOwnOf(ADMIN)).isEmpty();
            assertThat(Access.onlyOwnOf(OPERATOR)).isEmpty();
            assertThat(Access.canSee(ADMIN, memberKey("P1", "bob"))).isTrue();
            assertThat(Access.canSee(OPERATOR, memberKey("P2", "carol"))).isTrue();
        }

        @Test
        void noMemberSeesAnotherProjectsKeysAndNoServiceKeySeesAny() {
            assertThat(Access.canSee(ADMIN, memberKey("P2", "alice"))).isFalse();
            assertThat(Access.canSee(CCS, memberKey("P1", "bob"))).isFalse();
        }

        @Test
        void theAuditLogIsTheOperatorsAndEachMembersOwnProjects() {
            assertThatCode(() -> Access.ensureReadsAuditLog(OPERATOR, null)).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureReadsAuditLog(USER, "P1")).doesNotThrowAnyException();
            assertThatCode(() -> Access.ensureReadsAuditLog(USER, null)).doesNotThrowAnyException();
            assertProjectNotFound(() -> Access.ensureReadsAuditLog(USER, "P2"));
            assertThatThrownBy(() -> Access.ensureReadsAuditLog(CCS, "P1")).isInstanceOf(Forbidden.class);
        }
    }
}
