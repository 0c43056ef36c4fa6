package io.gatehouse.oauth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pushed authorization requests server-wide ({@code gatehouse.par.required}, or {@code GATEHOUSE_PAR_REQUIRED}).
 *
 * @param required every client's authorization requests only through {@code /oauth/par} (RFC 9126 5), as if each
 *        had "Require pushed authorization requests" checked
 */
@ConfigurationProperties("gatehouse.par")
record PushedRequestProperties(@DefaultValue("false") boolean required) {
}
