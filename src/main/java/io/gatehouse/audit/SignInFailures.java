package io.gatehouse.audit;

/**
 * Sign-in failures in a window, as the audit log recorded them.
 *
 * @param failed attempts refused after checking (wrong password, unknown username, inactive account)
 * @param throttledAccounts distinct existing accounts whose sign-ins were refused unchecked after repeated failures
 */
public record SignInFailures(long failed, long throttledAccounts) {
}
