package io.gatehouse.support;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * One headless Chromium per test class, pointed at the server of a {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)} test. Each test starts signed out (cookies cleared); a failed test leaves a screenshot and the page's
 * HTML in {@code target/browser-screenshots/<TestClass>-<testMethod>.png}. Use:
 *
 * <pre>
 * &#64;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class XxxBrowserTests {
 *     &#64;RegisterExtension
 *     static final BrowserExtension browser = new BrowserExtension();
 *
 *     &#64;Test
 *     void someTest() {
 *         browser.get().login("ada", "password");
 *         ...
 *     }
 * }
 * </pre>
 *
 * Name the class {@code ...BrowserTests}: Maven runs those with failsafe in {@code mvn verify}, not in {@code mvn
 * test}.
 */
public final class BrowserExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterTestExecutionCallback, AfterAllCallback {

	private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

	private Browser browser;

	/** The browser of the running test class. */
	public Browser get() {
		if (browser == null) {
			throw new IllegalStateException("The browser starts before the first test of the class");
		}
		return browser;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		browser = Browser.start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		String port = SpringExtension.getApplicationContext(context).getEnvironment().getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException(
					"No server is running: annotate the test with @SpringBootTest(webEnvironment = RANDOM_PORT)");
		}
		browser.baseUrl("http://localhost:" + port);
		browser.open("/login");
		browser.forgetSession();
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		if (context.getExecutionException().isPresent() && browser != null) {
			browser.screenshot(SCREENSHOTS,
					context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (browser != null) {
			browser.close();
			browser = null;
		}
	}

}
