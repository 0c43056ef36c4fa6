package io.gatehouse.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Which addresses an outbound call may reach. A server that fetches URLs its clients choose must not become their
 * way into its own network (SSRF): loopback, private, link-local (with the cloud metadata service at
 * 169.254.169.254) and CGNAT addresses only when an administrator allows private targets; the unspecified address,
 * multicast and reserved ranges never, as no HTTP server listens there.
 */
final class TargetAddresses {

	/** Why an address is not reachable, or {@code null} when it is. */
	enum Refusal {

		LOOPBACK("a loopback address", true), PRIVATE("a private address", true),
		LINK_LOCAL("a link-local address", true), SHARED("a shared (CGNAT, 100.64.0.0/10) address", true),
		UNSPECIFIED("the unspecified address", false), MULTICAST("a multicast address", false),
		RESERVED("a reserved address", false);

		private final String description;

		private final boolean privateTarget;

		Refusal(String description, boolean privateTarget) {
			this.description = description;
			this.privateTarget = privateTarget;
		}

		String description() {
			return this.description;
		}

		/** Whether allowing private targets lifts this refusal. */
		boolean privateTarget() {
			return this.privateTarget;
		}

	}

	/** NAT64's well-known prefix, 64:ff9b::/96 (RFC 6052): its last 32 bits are an IPv4 address. */
	private static final byte[] NAT64_PREFIX = { 0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

	private TargetAddresses() {
	}

	static @Nullable Refusal refusal(InetAddress address) {
		if (address instanceof Inet6Address) {
			InetAddress embedded = embeddedIpv4(address.getAddress());
			if (embedded != null) {
				return refusal(embedded);
			}
		}
		if (address.isAnyLocalAddress()) {
			return Refusal.UNSPECIFIED;
		}
		if (address.isLoopbackAddress()) {
			return Refusal.LOOPBACK;
		}
		if (address.isLinkLocalAddress()) {
			return Refusal.LINK_LOCAL;
		}
		if (address.isMulticastAddress()) {
			return Refusal.MULTICAST;
		}
		if (address.isSiteLocalAddress()) {
			return Refusal.PRIVATE;
		}
		byte[] bytes = address.getAddress();
		int first = bytes[0] & 0xff;
		if (address instanceof Inet4Address) {
			if (first == 0) {
				// RFC 1122 3.2.1.3: 0.0.0.0/8 is "this network"; Linux connects 0.x to the local host
				return Refusal.UNSPECIFIED;
			}
			if (first == 100 && (bytes[1] & 0xc0) == 64) {
				return Refusal.SHARED;
			}
			if (first >= 240) {
				// 240.0.0.0/4 reserved, and the limited broadcast 255.255.255.255
				return Refusal.RESERVED;
			}
			return null;
		}
		if ((first & 0xfe) == 0xfc) {
			// RFC 4193 unique local addresses, fc00::/7: IPv6's private ranges
			return Refusal.PRIVATE;
		}
		return null;
	}

	/**
	 * The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address, which reaches
	 * that IPv4 host; IPv4-mapped addresses (::ffff:a.b.c.d) the JDK already returns as IPv4.
	 */
	private static @Nullable InetAddress embeddedIpv4(byte[] bytes) {
		boolean compatible = Arrays.equals(bytes, 0, 12, new byte[12], 0, 12);
		boolean nat64 = Arrays.equals(bytes, 0, 12, NAT64_PREFIX, 0, 12);
		if (!compatible && !nat64) {
			return null;
		}
		if (compatible && (bytes[12] | bytes[13] | bytes[14]) == 0 && (bytes[15] == 0 || bytes[15] == 1)) {
			// :: and ::1 are IPv6's own unspecified and loopback addresses
			return null;
		}
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
		}
		catch (UnknownHostException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
