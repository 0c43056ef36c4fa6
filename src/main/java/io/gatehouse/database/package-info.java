/**
 * The database, as every module that owns tables uses it: the embedded H2 database (every commit is on the file
 * before it returns, and the data directory and its files are private to the account that runs Gatehouse; where it
 * lives), and how values are stored alike on H2 and PostgreSQL (case-insensitive keys, LIKE patterns that match
 * literally, timestamps at the precision both databases keep).
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.gatehouse.database;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
