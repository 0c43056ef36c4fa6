package io.gatehouse.accounts;

import java.util.Set;

import io.gatehouse.api.PageQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleListsTests {

	@Test
	void baseUrlWhenFilterHasReservedCharactersThenEncodedSoPagerKeepsSearch() {
		PageQuery query = new PageQuery(2, 10, "a&b c=d", "username", true);
		assertThat(ConsoleLists.baseUrl("/admin/users", query))
			.isEqualTo("/admin/users?filter=a%26b%20c%3Dd&order_by=username&order_direction=desc");
	}

	@Test
	void queryWhenParametersAreNonsenseThenDefaults() {
		PageQuery query = ConsoleLists.query("-3", "x", "password_hash", "sideways", Set.of("username"), "username");
		assertThat(query.page()).isEqualTo(1);
		assertThat(query.orderBy()).isEqualTo("username");
		assertThat(query.filter()).isEmpty();
	}

}
