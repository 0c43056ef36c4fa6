package io.gatehouse.cluster;

import java.lang.management.ManagementFactory;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Scheduled jobs that must run on one node at a time carry ShedLock's {@code @SchedulerLock}: before each run the node
 * takes the job's row in {@code shedlock} (an atomic insert or conditional update), or skips the run while another
 * node holds it. Times come from the database's clock, so the nodes' own clocks need not agree. The lock is taken in
 * a transaction of its own, whatever the job does; a node that dies mid-run holds it no longer than the job's
 * {@code lockAtMostFor}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
class ScheduledJobLocks {

	@Bean
	LockProvider lockProvider(DataSource dataSource, PlatformTransactionManager transactions) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.withTransactionManager(transactions)
			.usingDbTime()
			// which node holds a lock, for an operator reading the table: host and process
			.withLockedByValue(ManagementFactory.getRuntimeMXBean().getName())
			.build());
	}

}
