/**
 * Token usage: tokens issued per client and grant type, counted in memory on the request thread and added once a
 * minute to hourly rows, read back as series for the dashboard and each client's page, and drawn as SVG charts.
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.usage;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
