package io.gatehouse.signing;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.gatehouse.GatehouseApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class SigningKeySettingsTests {

	@Test
	void createWhenDefaultsThenAcceptedAndAlgorithmParsedIgnoringCase() {
		SigningKeySettings settings = settings("es256", Duration.ofDays(30), Duration.ofDays(1), 2048);

		assertThat(settings.signingAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
	}

	@Test
	void createWhenAlgorithmUnsupportedThenMessageNamesVariableAndChoices() {
		assertThatIllegalStateException()
			.isThrownBy(() -> settings("HS256", Duration.ofDays(30), Duration.ofDays(1), 2048))
			.withMessage("GATEHOUSE_TOKENS_SIGNING_ALGORITHM is \"HS256\"; use one of RS256, PS256, ES256.");
	}

	@Test
	void createWhenOverlapNotAboveTokenLifetimePlusSkewThenMessageNamesOverlap() {
		assertThatIllegalStateException()
			.isThrownBy(() -> settings("RS256", Duration.ofDays(30), Duration.ofHours(1).plusSeconds(60), 2048))
			.withMessageStartingWith("GATEHOUSE_TOKENS_SIGNING_OVERLAP is PT1H1M but must exceed");
		assertThat(settings("RS256", Duration.ofDays(30), Duration.ofHours(1).plusSeconds(61), 2048).overlap())
			.isEqualTo(Duration.ofSeconds(3661));
	}

	@Test
	void createWhenRotationPeriodNotAboveOverlapThenMessageNamesRotationPeriod() {
		assertThatIllegalStateException()
			.isThrownBy(() -> settings("RS256", Duration.ofDays(1), Duration.ofDays(1), 2048))
			.withMessageStartingWith("GATEHOUSE_TOKENS_SIGNING_ROTATION_PERIOD is PT24H but must exceed the overlap");
	}

	@Test
	void createWhenRsaKeySizeNeither2048Nor3072ThenMessageNamesKeySize() {
		assertThatIllegalStateException()
			.isThrownBy(() -> settings("RS256", Duration.ofDays(30), Duration.ofDays(1), 1024))
			.withMessage("GATEHOUSE_TOKENS_SIGNING_RSA_KEY_SIZE is 1024; use 2048 or 3072.");
		assertThat(settings("RS256", Duration.ofDays(30), Duration.ofDays(1), 3072).rsaKeySize()).isEqualTo(3072);
	}

	@Test
	void createWhenMaxTokenLifetimeZeroThenMessageNamesIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new SigningKeySettings("RS256", Duration.ofDays(30), Duration.ofDays(1), Duration.ZERO,
					2048))
			.withMessageStartingWith("GATEHOUSE_TOKENS_SIGNING_MAX_TOKEN_LIFETIME must be positive");
	}

	@Test
	void startWhenAlgorithmUnsupportedThenShortAnalysisNamesTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplication(GatehouseApplication.class).run(
				"--spring.datasource.url=jdbc:h2:mem:startup-signing-algorithm", "--server.port=0",
				"--gatehouse.tokens.signing.algorithm=HS256"));

		assertThat(output).contains("APPLICATION FAILED TO START",
				"GATEHOUSE_TOKENS_SIGNING_ALGORITHM is \"HS256\"; use one of RS256, PS256, ES256.",
				"Fix GATEHOUSE_TOKENS_SIGNING_ALGORITHM");
		assertThat(output).doesNotContain("Caused by:", "\tat ");
	}

	private static SigningKeySettings settings(String algorithm, Duration rotationPeriod, Duration overlap,
			int rsaKeySize) {
		return new SigningKeySettings(algorithm, rotationPeriod, overlap, Duration.ofHours(1), rsaKeySize);
	}

}
