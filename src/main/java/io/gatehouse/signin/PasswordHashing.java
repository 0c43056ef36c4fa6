package io.gatehouse.signin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * User passwords are low-entropy, so they get a deliberately slow hash: bcrypt through Spring's delegating encoder,
 * whose {@code {bcrypt}} prefix lets a later change of algorithm upgrade hashes as users sign in.
 */
@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

}
