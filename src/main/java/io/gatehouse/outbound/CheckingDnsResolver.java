package io.gatehouse.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves a host once and refuses it when any of its addresses may not be reached. The HTTP client connects to the
 * addresses returned here and never looks the name up again, so a name that resolves to a public address for the
 * check and to a private one for the connection (DNS rebinding) cannot get through. Refusing a host when any one
 * address is refused keeps a name that mixes public and private addresses out too.
 */
final class CheckingDnsResolver implements DnsResolver {

	/** Looks a host up: {@code InetAddress::getAllByName}, or a fixed answer in tests. */
	@FunctionalInterface
	interface HostLookup {

		InetAddress[] lookup(String host) throws UnknownHostException;

	}

	/** A refused host; an {@link UnknownHostException} so that the HTTP client gives up at once and passes it on. */
	static final class RefusedHostException extends UnknownHostException {

		private static final long serialVersionUID = 1L;

		RefusedHostException(String message) {
			super(message);
		}

	}

	private final HostLookup lookup;

	private final boolean allowPrivate;

	CheckingDnsResolver(HostLookup lookup, boolean allowPrivate) {
		this.lookup = lookup;
		this.allowPrivate = allowPrivate;
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		InetAddress[] addresses = this.lookup.lookup(name);
		if (addresses.length == 0) {
			throw new UnknownHostException(name);
		}
		for (InetAddress address : addresses) {
			TargetAddresses.Refusal refusal = TargetAddresses.refusal(address);
			if (refusal != null && (!refusal.privateTarget() || !this.allowPrivate)) {
				throw new RefusedHostException(name + " resolves to " + refusal.description() + " ("
						+ address.getHostAddress() + "), which outbound calls may not reach"
						+ (refusal.privateTarget() ? " unless GATEHOUSE_OUTBOUND_ALLOW_PRIVATE=true" : ""));
			}
		}
		return addresses;
	}

	@Override
	public String resolveCanonicalHostname(String host) {
		return host;
	}

}
