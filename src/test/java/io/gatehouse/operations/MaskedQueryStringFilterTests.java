package io.gatehouse.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskedQueryStringFilterTests {

	@Test
	void maskWhenCredentialParametersThenValuesHiddenAndNamesKept() {
		assertThat(MaskedQueryStringFilter.mask("client_id=app&client_secret=s3cr3t&grant_type=client_credentials"))
			.isEqualTo("client_id=app&client_secret=***&grant_type=client_credentials");
		assertThat(MaskedQueryStringFilter.mask("pass%77ord=hunter2&refresh_token=abc&code=xyz"))
			.isEqualTo("pass%77ord=***&refresh_token=***&code=***");
	}

	@Test
	void maskWhenNoCredentialThenQueryUnchanged() {
		String query = "response_type=code&client_id=app&state=s&code_challenge=abc&redirect_uri=https%3A%2F%2Fa";
		assertThat(MaskedQueryStringFilter.mask(query)).isEqualTo(query);
		assertThat(MaskedQueryStringFilter.mask("flag&x=%zz")).isEqualTo("flag&x=%zz");
	}

}
