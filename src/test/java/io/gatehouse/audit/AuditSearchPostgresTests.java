package io.gatehouse.audit;

import java.util.List;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class AuditSearchPostgresTests extends AuditSearchTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

	/** On a handful of rows a full scan is cheapest; on a million (bench/) the planner picks the index itself. */
	@Override
	void preferIndexes() {
		jdbc.sql("set local enable_seqscan = off").update();
	}

	@Override
	boolean usesIndexInOrder(List<String> plan, String index) {
		String text = String.join("\n", plan);
		return text.contains(index) && text.contains("index scan") && !text.contains("sort");
	}

}
