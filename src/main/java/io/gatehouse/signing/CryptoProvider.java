package io.gatehouse.signing;

import java.lang.reflect.InvocationTargetException;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC, native code) first among the JCA providers at start-up, before any
 * bean signs, hashes or encrypts: Nimbus signs tokens through JCA, so ECDSA signing becomes tens of times faster and
 * RSA several times, and SHA-256 (every token and secret hash) and AES-GCM (the signing keys at rest) get faster
 * too. It is used only where its jar is on the class path (the build adds the one of its platform) and it passes its
 * own self-check; otherwise the JDK's providers serve, as they do with {@code GATEHOUSE_CRYPTO_PROVIDER=jdk}. One log
 * line says which. Registered in {@code META-INF/spring.factories}; runs once logging is set up.
 */
final class CryptoProvider implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

	static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";

	static final String SETTING = "gatehouse.crypto.provider";

	private static final Log logger = LogFactory.getLog(CryptoProvider.class);

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		logger.info(install(event.getEnvironment()));
	}

	@Override
	public int getOrder() {
		// after Boot's LoggingApplicationListener, so the line goes to the configured log
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Installs the native provider unless the setting says {@code jdk}; returns the line to log. */
	static synchronized String install(Environment environment) {
		String setting = environment.getProperty(SETTING, "auto").trim().toLowerCase(Locale.ROOT);
		if (setting.equals("jdk")) {
			if (Security.getProvider(ACCP_NAME) != null) {
				Security.removeProvider(ACCP_NAME);
			}
			return "Cryptography: the JDK's providers (GATEHOUSE_CRYPTO_PROVIDER=jdk)";
		}
		if (!setting.equals("auto")) {
			throw new IllegalStateException(
					"GATEHOUSE_CRYPTO_PROVIDER is \"" + setting + "\"; use auto (the default) or jdk.");
		}
		Provider[] providers = Security.getProviders();
		if (providers.length > 0 && providers[0].getName().equals(ACCP_NAME)) {
			return "Cryptography: Amazon Corretto Crypto Provider " + providers[0].getVersionStr()
					+ " (AWS-LC), first of the JCA providers";
		}
		Provider accp;
		try {
			Class<?> type = Class.forName(ACCP_CLASS);
			accp = (Provider) type.getField("INSTANCE").get(null);
			// throws when its native library did not load or a self-test failed
			type.getMethod("assertHealthy").invoke(accp);
		}
		catch (ClassNotFoundException ex) {
			return "Cryptography: the JDK's providers (Amazon Corretto Crypto Provider is not in this build for "
					+ System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")";
		}
		catch (InvocationTargetException ex) {
			return unhealthy(ex.getCause() == null ? ex : ex.getCause());
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			return unhealthy(ex);
		}
		Security.removeProvider(ACCP_NAME);
		Security.insertProviderAt(accp, 1);
		return "Cryptography: Amazon Corretto Crypto Provider " + accp.getVersionStr()
				+ " (AWS-LC), first of the JCA providers";
	}

	private static String unhealthy(Throwable failure) {
		return "Cryptography: the JDK's providers (Amazon Corretto Crypto Provider did not pass its self-check: "
				+ failure + ")";
	}

}
