package io.gatehouse.usage;

/** A client's tokens in a window: a row of the dashboard's top clients. */
public record ClientUsage(String clientId, long tokens) {
}
