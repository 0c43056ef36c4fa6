/**
 * The embedded H2 database: every commit is on the file before it returns, and the data directory and its files are
 * private to the account that runs Gatehouse. Tells other modules where the embedded database lives.
 */
@NullMarked
package io.gatehouse.database;

import org.jspecify.annotations.NullMarked;
