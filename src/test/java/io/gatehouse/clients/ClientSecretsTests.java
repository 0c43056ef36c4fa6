package io.gatehouse.clients;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSecretsTests {

	@Test
	void generateThenAtLeast256RandomBitsWithScannablePrefix() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String secret = ClientSecrets.generate();
			assertThat(secret).startsWith(ClientSecrets.PREFIX).matches("gtcs_[A-Za-z0-9_-]{43}");
			assertThat(seen.add(secret)).isTrue();
		}
	}

}
