/**
 * Security filter chains and start-up checks. Nothing depends on this module; it wires the others together.
 */
@NullMarked
package io.gatehouse.config;

import org.jspecify.annotations.NullMarked;
