package io.gatehouse.audit;

import java.util.List;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class AuditSearchH2Tests extends AuditSearchTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Override
	boolean usesIndexInOrder(List<String> plan, String index) {
		String text = String.join("\n", plan);
		return text.contains(index) && text.contains("index sorted");
	}

}
