package io.gatehouse.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LikePatternsTests {

	@Test
	void containsWhenSearchHasWildcardsThenEscapedAndLowercased() {
		assertThat(LikePatterns.contains("50%_Off\\")).isEqualTo("%50\\%\\_off\\\\%");
	}

}
