package io.gatehouse.oauth;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class FormParametersTests {

	@Test
	void ofWhenNameInQueryAndBodyThenOnlyBodyValues() {
		// the servlet container lists query values first, then the body's
		MockHttpServletRequest request = request("scope=from-url");
		request.addParameter("scope", "from-url", "from-body");
		request.addParameter("grant_type", "password");
		assertThat(FormParameters.of(request)).containsEntry("scope", List.of("from-body"))
			.containsEntry("grant_type", List.of("password"));
	}

	@Test
	void ofWhenValueInQueryLooksLikeAFieldNameThenFieldStillRead() {
		// Spring's substring test would take "password" in ?hint=password as the field being in the URL
		MockHttpServletRequest request = request("hint=password");
		request.addParameter("hint", "password");
		request.addParameter("password", "secret");
		assertThat(FormParameters.of(request)).containsEntry("password", List.of("secret")).doesNotContainKey("hint");
	}

	@Test
	void queryCountsWhenNamesEncodedRepeatedOrWithoutValueThenDecodedAndCounted() {
		assertThat(FormParameters.queryCounts(request("pass%77ord=x&a&a=1&&b%ZZ=2")))
			.containsEntry("password", 1).containsEntry("a", 2).containsEntry("b%ZZ", 1).hasSize(3);
		assertThat(FormParameters.queryCounts(request(null))).isEmpty();
	}

	private static MockHttpServletRequest request(String query) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth/token");
		request.setQueryString(query);
		return request;
	}

}
