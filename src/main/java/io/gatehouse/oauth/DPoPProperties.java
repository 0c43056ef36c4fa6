package io.gatehouse.oauth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * DPoP server-wide ({@code gatehouse.dpop.nonce-required}, or {@code GATEHOUSE_DPOP_NONCE_REQUIRED}).
 *
 * @param nonceRequired every DPoP proof at the token endpoint must carry the server's current nonce (RFC 9449 8);
 *        one without it is answered {@code use_dpop_nonce} with the nonce in the {@code DPoP-Nonce} header
 */
@ConfigurationProperties("gatehouse.dpop")
record DPoPProperties(@DefaultValue("false") boolean nonceRequired) {
}
