package io.gatehouse.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Records every statement the application sends to the database, through a datasource-proxy wrapped around the
 * pool: {@code @Import(StatementLog.Configuration.class)} and autowire {@link StatementLog}. Statements on the
 * signing keys are left out (a background reload every minute may fall into any window), and so is everything of
 * other threads than the one that started the recording (MockMvc serves a request in the test's thread; the webhook
 * dispatcher's poll every two seconds fell into a slow password grant's window on a loaded machine). A JDBC batch
 * counts once, as one round trip, with its size.
 */
public final class StatementLog {

	private final List<Statement> statements = new ArrayList<>();

	private final AtomicInteger commits = new AtomicInteger();

	private volatile boolean recording;

	private volatile Thread recorded;

	/** One execution: its SQL (each statement of a batch once) and how many rows a batch carried (1 otherwise). */
	public record Statement(String sql, int batchSize, String thread) {

		public boolean isSelect() {
			return sql.stripLeading().toLowerCase(Locale.ROOT).startsWith("select");
		}

		public boolean isInsertInto(String table) {
			return sql.stripLeading().toLowerCase(Locale.ROOT).startsWith("insert into " + table + " ");
		}

	}

	/** Forgets what was recorded and starts recording. */
	public synchronized void start() {
		statements.clear();
		commits.set(0);
		recorded = Thread.currentThread();
		recording = true;
	}

	/** Stops recording and returns the statements since {@link #start}. */
	public synchronized List<Statement> stop() {
		recording = false;
		return List.copyOf(statements);
	}

	/** Commits since {@link #start}. */
	public int commits() {
		return commits.get();
	}

	private synchronized void record(List<QueryInfo> queries, int batchSize) {
		if (!recording || Thread.currentThread() != recorded) {
			return;
		}
		for (QueryInfo query : queries) {
			if (!query.getQuery().toLowerCase(Locale.ROOT).contains("signing_key")) {
				statements.add(new Statement(query.getQuery().replaceAll("\\s+", " ").trim(), batchSize,
						Thread.currentThread().getName()));
			}
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		StatementLog statementLog() {
			return new StatementLog();
		}

		@Bean
		static BeanPostProcessor statementLoggingDataSource(
				org.springframework.beans.factory.ObjectProvider<StatementLog> log) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource dataSource) || bean instanceof net.ttddyy.dsproxy.support
						.ProxyDataSource) {
						return bean;
					}
					QueryExecutionListener queries = new QueryExecutionListener() {
						@Override
						public void beforeQuery(net.ttddyy.dsproxy.ExecutionInfo execution, List<QueryInfo> list) {
						}

						@Override
						public void afterQuery(net.ttddyy.dsproxy.ExecutionInfo execution, List<QueryInfo> list) {
							log.getObject().record(list, execution.isBatch() ? execution.getBatchSize() : 1);
						}
					};
					MethodExecutionListener commits = new MethodExecutionListener() {
						@Override
						public void beforeMethod(net.ttddyy.dsproxy.listener.MethodExecutionContext context) {
						}

						@Override
						public void afterMethod(net.ttddyy.dsproxy.listener.MethodExecutionContext context) {
							StatementLog statementLog = log.getObject();
							if (statementLog.recording && Thread.currentThread() == statementLog.recorded
									&& context.getMethod().getName().equals("commit")
									&& context.getTarget() instanceof java.sql.Connection) {
								statementLog.commits.incrementAndGet();
							}
						}
					};
					return ProxyDataSourceBuilder.create(beanName, dataSource).listener(queries)
						.methodListener(commits).build();
				}
			};
		}

	}

}
