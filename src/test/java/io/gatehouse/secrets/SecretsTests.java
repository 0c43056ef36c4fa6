package io.gatehouse.secrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	@Test
	void generateThenPrefixAnd256RandomBitsBase64Url() {
		assertThat(Secrets.generate("gtx_")).matches("gtx_[A-Za-z0-9_-]{43}").isNotEqualTo(Secrets.generate("gtx_"));
	}

	@Test
	void matchesWhenSameSecretThenTrueOtherwiseFalse() {
		String secret = Secrets.generate("gtcs_");
		String hash = Secrets.sha256(secret);
		assertThat(hash).hasSize(64).doesNotContain(secret.substring(5));
		assertThat(Secrets.matches(secret, hash)).isTrue();
		assertThat(Secrets.matches(secret + "x", hash)).isFalse();
		assertThat(Secrets.matches(Secrets.generate("gtcs_"), hash)).isFalse();
	}

	@Test
	void sha256WhenKnownValueThenItsHexDigest() {
		// FIPS 180-2 test vector
		assertThat(Secrets.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

}
