package io.gatehouse.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A port Gatehouse cannot listen on: taken by another process, not a number, or out of range. Spring Boot's own
 * analyses say "configure this application to listen on another port"; this one names {@code SERVER_PORT}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ServerPortFailureAnalyzer implements FailureAnalyzer {

	private static final String SETTING = "SERVER_PORT (server.port) to a free port number from 1 to 65535, "
			+ "for example SERVER_PORT=8081, or leave it unset for the default 8080.";

	private static final String FIX = "Set " + SETTING;

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof PortInUseException inUse) {
				return new FailureAnalysis("Port " + inUse.getPort() + " is already in use by another process.",
						"Stop the process listening on port " + inUse.getPort() + ", or set " + SETTING,
						failure);
			}
			if (cause instanceof BindException bind && "server.port".equals(bind.getName().toString())) {
				ConfigurationProperty property = bind.getProperty();
				Object value = property == null ? null : property.getValue();
				return new FailureAnalysis(
						"SERVER_PORT (server.port) must be a port number, but it is \"" + value + "\".", FIX, failure);
			}
			// Tomcat refuses a number outside 0..65535 only when it binds
			if (cause instanceof IllegalArgumentException && cause.getMessage() != null
					&& cause.getMessage().startsWith("port out of range:")) {
				String value = cause.getMessage().substring("port out of range:".length());
				return new FailureAnalysis(
						"SERVER_PORT (server.port) is " + value + ", which is not a port number from 0 to 65535.", FIX,
						failure);
			}
		}
		return null;
	}

}
