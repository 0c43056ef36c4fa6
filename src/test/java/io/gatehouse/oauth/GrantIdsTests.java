package io.gatehouse.oauth;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GrantIdsTests {

	@Test
	void ofWhenLaterMillisecondThenSortsAfterWhateverTheRandomBits() {
		String earlier = GrantIds.of(1_764_700_000_000L, -1L, -1L);
		String later = GrantIds.of(1_764_700_000_001L, 0L, 0L);

		assertThat(earlier).isLessThan(later);
		assertThat(GrantIds.of(1_764_700_000_000L, 0L, 0L)).startsWith("019ae051-0f00-7000-8000-");
	}

	@Test
	void nextThenVersion7UuidsThatDiffer() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String id = GrantIds.next();
			UUID uuid = UUID.fromString(id);
			assertThat(uuid.version()).isEqualTo(7);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
					within(60_000L));
			ids.add(id);
		}
		assertThat(ids).hasSize(1000);
	}

}
