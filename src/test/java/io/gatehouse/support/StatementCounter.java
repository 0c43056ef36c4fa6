package io.gatehouse.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Records the SQL statements the current thread sends to the database, so a test can pin how many reads a request
 * costs (MockMvc runs the request in the test's thread). Wraps the application's {@link DataSource}; statements of
 * other threads (scheduled jobs, other requests) are not counted. Registered for every
 * {@link GatehouseIntegrationTest}.
 */
public final class StatementCounter implements BeanPostProcessor {

	private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "createStatement", "prepareCall");

	private static final ThreadLocal<List<String>> RECORDED = new ThreadLocal<>();

	/** The SQL of every statement prepared in this thread while {@code action} ran (a plain statement as "-"). */
	public static List<String> statementsOf(ThrowingRunnable action) throws Exception {
		List<String> previous = RECORDED.get();
		List<String> statements = new ArrayList<>();
		RECORDED.set(statements);
		try {
			action.run();
		}
		finally {
			RECORDED.set(previous);
		}
		return statements;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource) {
			return proxy(DataSource.class, dataSource, (target, method, args) -> {
				Object result = method.invoke(target, args);
				return result instanceof Connection connection ? counting(connection) : result;
			});
		}
		return bean;
	}

	private static Connection counting(Connection connection) {
		return proxy(Connection.class, connection, (target, method, args) -> {
			List<String> statements = RECORDED.get();
			if (statements != null && STATEMENT_METHODS.contains(method.getName())) {
				statements.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : "-");
			}
			return method.invoke(target, args);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, Delegate<T> delegate) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getName().equals("unwrap") && args.length == 1 && ((Class<?>) args[0]).isInstance(target)) {
				return target;
			}
			if (method.getName().equals("isWrapperFor") && args.length == 1
					&& ((Class<?>) args[0]).isInstance(target)) {
				return true;
			}
			try {
				return delegate.invoke(target, method, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		};
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler);
	}

	private interface Delegate<T> {

		Object invoke(T target, Method method, Object[] args) throws Exception;

	}

	/** Code under measurement. */
	@FunctionalInterface
	public interface ThrowingRunnable {

		void run() throws Exception;

	}

}
