package io.gatehouse.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The outbound rules for a webhook URL, checked when it is saved so an administrator hears of a bad URL at once; the
 * outbound module checks them again at each attempt, on the addresses it connects to ({@link WebhookSender}):
 * {@code https://} to a host whose every address is public. Refused: user info or a fragment in the URL, private
 * (RFC 1918, RFC 4193), loopback, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and
 * unspecified addresses, unless {@code GATEHOUSE_OUTBOUND_ALLOW_PRIVATE=true}, which also allows plain http to
 * loopback.
 */
@Component
class WebhookUrls {

	/** How host names are resolved; a test may supply its own. */
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

	private final boolean allowPrivate;

	private final Resolver resolver;

	@Autowired
	WebhookUrls(@Value("${gatehouse.outbound.allow-private:false}") boolean allowPrivate) {
		this(allowPrivate, InetAddress::getAllByName);
	}

	WebhookUrls(boolean allowPrivate, Resolver resolver) {
		this.allowPrivate = allowPrivate;
		this.resolver = resolver;
	}

	/** What is wrong with the URL as a webhook target, or null when it may be called. */
	@Nullable String problemWith(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return "The URL is not valid.";
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		String host = uri.getHost();
		if (!uri.isAbsolute() || host == null || !(scheme.equals("https") || scheme.equals("http"))) {
			return "The URL must be an absolute https:// URL.";
		}
		if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			return "The URL must not contain user info or a fragment.";
		}
		InetAddress[] addresses;
		try {
			addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
		}
		catch (UnknownHostException ex) {
			return "The URL's host does not resolve.";
		}
		boolean loopback = addresses.length > 0;
		for (InetAddress address : addresses) {
			loopback &= address.isLoopbackAddress();
		}
		if (!scheme.equals("https") && !(loopback && allowPrivate)) {
			return "The URL must be an absolute https:// URL (plain http only to loopback, and only when "
					+ "GATEHOUSE_OUTBOUND_ALLOW_PRIVATE=true).";
		}
		for (InetAddress address : addresses) {
			if (!allowPrivate && !isPublic(address)) {
				return "The URL's host resolves to a private, loopback or link-local address, which webhooks do "
						+ "not call.";
			}
		}
		return null;
	}

	static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			// 0.0.0.0/8 "this network", 100.64.0.0/10 carrier-grade NAT (RFC 6598), 192.0.0.0/24, 240.0.0.0/4
			return first != 0 && !(first == 100 && (second & 0xc0) == 64)
					&& !(first == 192 && second == 0 && bytes[2] == 0) && first < 240;
		}
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local (RFC 4193); an IPv4-mapped or -compatible address is judged as its IPv4
			if ((bytes[0] & 0xfe) == 0xfc) {
				return false;
			}
			boolean zeroPrefix = true;
			for (int i = 0; i < 10; i++) {
				zeroPrefix &= bytes[i] == 0;
			}
			if (zeroPrefix && ((bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff)
					|| (bytes[10] == 0 && bytes[11] == 0))) {
				try {
					return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
				}
				catch (UnknownHostException ex) {
					return false;
				}
			}
		}
		return true;
	}

}
