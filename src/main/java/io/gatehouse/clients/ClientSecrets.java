package io.gatehouse.clients;

import io.gatehouse.secrets.Secrets;

/**
 * Client secrets: 256 random bits (see {@link Secrets}), with a prefix that lets secret scanners recognise a leaked
 * Gatehouse client secret. Stored only as {@link Secrets#sha256}, so the token endpoint checks one in microseconds.
 */
public final class ClientSecrets {

	public static final String PREFIX = "gtcs_";

	private ClientSecrets() {
	}

	static String generate() {
		return Secrets.generate(PREFIX);
	}

}
