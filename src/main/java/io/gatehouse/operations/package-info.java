/**
 * Running the server: a request id on every request (in the response header and in every log line written while
 * serving it). Health, info and Prometheus metrics are Spring Boot Actuator's, on the management port
 * ({@code application.properties}); the metrics themselves are recorded by the modules that own the work
 * (oauth, signin, signing, config).
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.operations;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
