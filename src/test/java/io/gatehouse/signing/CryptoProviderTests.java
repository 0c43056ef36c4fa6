package io.gatehouse.signing;

import java.security.MessageDigest;
import java.security.Security;
import java.security.Signature;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JCA provider tokens are signed with. This build runs on Linux x86-64, where the build puts Amazon Corretto
 * Crypto Provider on the class path: it must end up first, so Nimbus's signatures and the SHA-256 of every token
 * use it.
 */
class CryptoProviderTests {

	@AfterEach
	void restore() {
		CryptoProvider.install(new MockEnvironment());
	}

	@Test
	void installWhenAutoThenNativeProviderSignsAndHashes() throws Exception {
		String line = CryptoProvider.install(new MockEnvironment());

		assertThat(line).startsWith("Cryptography: Amazon Corretto Crypto Provider 2.5.0");
		assertThat(Security.getProviders()[0].getName()).isEqualTo(CryptoProvider.ACCP_NAME);
		assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName())
			.isEqualTo(CryptoProvider.ACCP_NAME);
		assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo(CryptoProvider.ACCP_NAME);
	}

	@Test
	void installWhenJdkThenTheJdkProvidersServe() throws Exception {
		String line = CryptoProvider.install(new MockEnvironment().withProperty(CryptoProvider.SETTING, "jdk"));

		assertThat(line).isEqualTo("Cryptography: the JDK's providers (GATEHOUSE_CRYPTO_PROVIDER=jdk)");
		assertThat(Security.getProvider(CryptoProvider.ACCP_NAME)).isNull();
		assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isNotEqualTo(
				CryptoProvider.ACCP_NAME);
	}

	@Test
	void installWhenUnknownSettingThenStartupFailsNamingIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> CryptoProvider.install(new MockEnvironment().withProperty(CryptoProvider.SETTING, "x")))
			.withMessage("GATEHOUSE_CRYPTO_PROVIDER is \"x\"; use auto (the default) or jdk.");
	}

	@Test
	void applicationStartWhenAutoThenNativeProviderFirst() {
		CryptoProvider.install(new MockEnvironment().withProperty(CryptoProvider.SETTING, "jdk"));
		// installed by the listener registered in META-INF/spring.factories, as every start does
		try (var context = new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE).run()) {
			assertThat(Security.getProviders()[0].getName()).isEqualTo(CryptoProvider.ACCP_NAME);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
