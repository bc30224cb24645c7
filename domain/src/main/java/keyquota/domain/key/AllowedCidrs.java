package keyquota.domain.key;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import keyquota.domain.InvalidValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The networks a key may be presented from, IPv4 or IPv6, 1 to 10 of them. A bare address is that one host
 * (/32, /128); a network written with host bits set ({@code 10.0.0.1/8}) is refused rather than guessed at.
 * Kept in canonical form, so that the same networks always read the same.
 */
public record AllowedCidrs(List<String> cidrs) {

    public static final String FIELD = "allowedCidrs";
    public static final int MAX = 10;

    /** Plain addresses and prefixes only: no ranges, wildcards, masks, inet_aton forms or the empty string. */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowMask(false).allowSingleSegment(false)
            .allowWildcardedSeparator(false).allow_inet_aton(false)
            .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE).toParams();

    public AllowedCidrs {
        cidrs = List.copyOf(cidrs);
    }

    /** The networks as given, checked and in canonical form; null (any address) stays null. */
    public static AllowedCidrs parse(List<String> given) {
        if (given == null) {
            return null;
        }
        if (given.isEmpty() || given.size() > MAX) {
            throw new InvalidValue(FIELD, "must hold 1 to " + MAX + " networks");
        }
        Set<String> canonical = new LinkedHashSet<>();
        for (String cidr : given) {
            canonical.add(network(cidr).toCanonicalString());
        }
        return new AllowedCidrs(List.copyOf(canonical));
    }

    /** Whether this address lies in one of the networks; an address that is not one lies in none. */
    public boolean allows(String address) {
        Optional<IPAddress> client = address(address);
        return client.isPresent() && cidrs.stream().map(AllowedCidrs::network)
                .anyMatch(network -> network.contains(client.get()));
    }

    /** Whether this is an address at all (IPv4 or IPv6, no prefix). */
    public static boolean isAddress(String address) {
        return address(address).isPresent();
    }

    private static IPAddress network(String cidr) {
        try {
            IPAddress network = cidr == null ? null : new IPAddressString(cidr.strip(), STRICT).toAddress();
            if (network == null) {
                throw new InvalidValue(FIELD, "holds a value that is not a network");
            }
            if (!network.isPrefixed()) {
                return network.toPrefixBlock(network.getBitCount());
            }
            if (!network.isPrefixBlock()) {
                throw new InvalidValue(FIELD, "holds a network with host bits set");
            }
            return network;
        } catch (AddressStringException e) {
            throw new InvalidValue(FIELD, "holds a value that is not a network");
        }
    }

    private static Optional<IPAddress> address(String address) {
        if (address == null) {
            return Optional.empty();
        }
        try {
            IPAddress parsed = new IPAddressString(address.strip(), STRICT).toAddress();
            return parsed == null || parsed.isPrefixed() ? Optional.empty() : Optional.of(parsed);
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }
}
