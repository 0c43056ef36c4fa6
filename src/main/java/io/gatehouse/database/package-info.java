/**
 * How Gatehouse stores values alike on H2 and PostgreSQL: case-insensitive keys, LIKE patterns that match literally,
 * and timestamps at the precision both databases keep. Every module that owns tables may use it.
 */
@NullMarked
package io.gatehouse.database;

import org.jspecify.annotations.NullMarked;
