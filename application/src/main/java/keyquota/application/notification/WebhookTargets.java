package keyquota.application.notification;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;
import keyquota.domain.InvalidValue;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a webhook may send: {@code https://} (or {@code http://} where allowed), to a host that is not on
 * loopback, unspecified, private, link-local or shared addresses (unless allowed), in any of their IPv4-mapped
 * forms too. A host name is resolved at every check, so that a name moved to such an address after the webhook
 * was made is refused too.
 */
public final class WebhookTargets {

    public static final String FIELD = "url";
    public static final int MAX_LENGTH = 2048;

    private static final List<IPAddress> REFUSED = Stream.of(
                    "127.0.0.0/8", "::1/128",                       // loopback
                    "0.0.0.0/8", "::/128",                          // unspecified
                    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", // private
                    "169.254.0.0/16", "fe80::/10",                  // link-local
                    "100.64.0.0/10")                                // shared (carrier-grade NAT)
            .map(network -> new IPAddressString(network).getAddress())
            .toList();

    private static final IPAddressNetwork.IPAddressGenerator ADDRESSES = new IPAddressNetwork.IPAddressGenerator();

    private final boolean allowHttp;
    private final boolean allowPrivateTargets;

    /**
     * @param allowHttp           whether {@code http://} is taken (for a test or a trusted network)
     * @param allowPrivateTargets whether the refused addresses are taken (for a test or a trusted network)
     */
    public WebhookTargets(boolean allowHttp, boolean allowPrivateTargets) {
        this.allowHttp = allowHttp;
        this.allowPrivateTargets = allowPrivateTargets;
    }

    /**
     * The URL, if a webhook may send to it now.
     *
     * @throws InvalidValue naming {@value #FIELD}, why not
     */
    public URI check(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new InvalidValue(FIELD, allowHttp ? "must be an https:// or http:// URL" : "must be an https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidValue(FIELD, "must name a host");
        }
        // Credentials in the URL would show in every listing of the webhook.
        if (uri.getRawUserInfo() != null) {
            throw new InvalidValue(FIELD, "must not hold credentials");
        }
        if (!allowPrivateTargets) {
            for (InetAddress address : resolve(uri.getHost())) {
                if (refused(ADDRESSES.from(address))) {
                    throw new InvalidValue(FIELD, "points at a loopback, private, link-local or shared address");
                }
            }
        }
        return uri;
    }

    private static URI parse(String url) {
        if (url == null || url.length() > MAX_LENGTH) {
            throw new InvalidValue(FIELD, "must be a URL of at most " + MAX_LENGTH + " characters");
        }
        try {
            return new URI(url).parseServerAuthority();
        } catch (URISyntaxException e) {
            throw new InvalidValue(FIELD, "is not a URL");
        }
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidValue(FIELD, "names a host that cannot be resolved");
        }
    }

    private static boolean refused(IPAddress address) {
        if (address instanceof IPv6Address v6 && (v6.isIPv4Mapped() || v6.isIPv4Compatible())) {
            return refused(v6.getEmbeddedIPv4Address());
        }
        return REFUSED.stream().anyMatch(network -> network.contains(address));
    }
}
