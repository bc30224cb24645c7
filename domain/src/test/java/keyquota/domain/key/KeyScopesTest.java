package keyquota.domain.key;

import keyquota.domain.InvalidValue;
import keyquota.domain.service.ServiceCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key's scopes: the services it may be verified for and the networks it may be presented from. */
class KeyScopesTest {

    @Test
    void networksAreKeptInCanonicalFormAndABareAddressIsOneHost() {
        AllowedCidrs cidrs = AllowedCidrs.parse(List.of("140.110.0.0/16", "2001:DB8::/32", "192.0.2.7", "2001:db8::1"));
        assertThat(cidrs.cidrs()).containsExactly("140.110.0.0/16", "2001:db8::/32", "192.0.2.7/32",
                "2001:db8::1/128");
    }

    @Test
    void anAddressIsAllowedInsideItsNetworksOnly() {
        AllowedCidrs cidrs = AllowedCidrs.parse(List.of("140.110.0.0/16", "2001:db8::/32", "192.0.2.7"));
        assertThat(cidrs.allows("140.110.23.4")).isTrue();
        assertThat(cidrs.allows("140.111.0.1")).isFalse();
        assertThat(cidrs.allows("2001:db8:ffff::1")).isTrue();
        assertThat(cidrs.allows("2001:db9::1")).isFalse();
        assertThat(cidrs.allows("192.0.2.7")).isTrue();
        assertThat(cidrs.allows("192.0.2.8")).isFalse();
        assertThat(cidrs.allows("not an address")).isFalse();
        assertThat(cidrs.allows(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "2001:db8::1/32", "10.0.0.0/33", "300.1.1.1", "10.0.0.*", "10.0.0.0-10",
            "example.org", "", " ", "10.0.0.0/255.0.0.0", "1.2.3", "::ffff:10.0.0.1/200", "10.0.0.0/8/8"})
    void aValueThatIsNotANetworkIsInvalid(String cidr) {
        assertThatThrownBy(() -> AllowedCidrs.parse(List.of(cidr)))
                .isInstanceOfSatisfying(InvalidValue.class, e -> assertThat(e.field()).isEqualTo("allowedCidrs"));
    }

    @Test
    void oneToTenNetworks() {
        assertThatThrownBy(() -> AllowedCidrs.parse(List.of())).isInstanceOf(InvalidValue.class);
        assertThatThrownBy(() -> AllowedCidrs.parse(Collections.nCopies(11, "10.0.0.0/8")))
                .isInstanceOf(InvalidValue.class);
        assertThat(AllowedCidrs.parse(Collections.nCopies(10, "10.0.0.0/8")).cidrs()).containsExactly("10.0.0.0/8");
        assertThat(AllowedCidrs.parse(null)).isNull();
    }

    @Test
    void addressesAreTold() {
        assertThat(AllowedCidrs.isAddress("140.110.1.1")).isTrue();
        assertThat(AllowedCidrs.isAddress("::1")).isTrue();
        assertThat(AllowedCidrs.isAddress("10.0.0.0/8")).isFalse();
        assertThat(AllowedCidrs.isAddress("localhost")).isFalse();
        assertThat(AllowedCidrs.isAddress("")).isFalse();
    }

    @Test
    void servicesAreOneOrTwoDistinctOnesOfTheCatalog() {
        assertThat(KeyServices.parse(List.of("CCS"), ServiceCatalog.TWCC).allows("CCS")).isTrue();
        assertThat(KeyServices.parse(List.of("CCS"), ServiceCatalog.TWCC).allows("VCS")).isFalse();
        assertThat(KeyServices.parse(List.of("VCS", "CCS"), ServiceCatalog.TWCC).services()).containsExactly("VCS", "CCS");
        assertThat(KeyServices.parse(null, ServiceCatalog.TWCC)).isNull();
        for (List<String> wrong : List.of(List.<String>of(), List.of("CCS", "CCS"), List.of("XYZ"))) {
            assertThatThrownBy(() -> KeyServices.parse(wrong, ServiceCatalog.TWCC))
                    .isInstanceOfSatisfying(InvalidValue.class, e -> assertThat(e.field()).isEqualTo("services"));
        }
    }
}
