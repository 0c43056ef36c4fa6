package io.gatehouse.audit;

/**
 * Published once an audit record is written, in the same transaction: a listener that stores something of its own
 * (the webhook outbox) commits or rolls back with the change and its record. Carries no secret, as the record does
 * not.
 */
public record AuditRecorded(AuditRecord record) {
}
