package io.gatehouse.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A headless Chromium driven through Selenium, with helpers that find things the way a user does: fields by their
 * label, buttons and links by their text. Uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (override with {@code -Dgatehouse.browser.chromium=...} and {@code -Dgatehouse.browser.chromedriver=...}), given
 * explicitly so Selenium Manager never tries to download a browser or driver. Missing Chromium fails the test; it is
 * never skipped.
 *
 * <p>Usually obtained from {@link BrowserExtension}, which starts one per test class, points it at the running server
 * and saves a screenshot when a test fails.
 */
public final class Browser implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebDriver driver;

	private final Path profile;

	private String baseUrl = "http://localhost:8080";

	private Browser(WebDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/** Starts a headless Chromium with a fresh profile; fails with install instructions when it is missing. */
	public static Browser start() {
		File chromium = new File(System.getProperty("gatehouse.browser.chromium", "/usr/bin/chromium"));
		File chromedriver = new File(System.getProperty("gatehouse.browser.chromedriver", "/usr/bin/chromedriver"));
		if (!chromium.canExecute() || !chromedriver.canExecute()) {
			fail("The browser tests need Chromium and its driver at " + chromium + " and " + chromedriver
					+ ". Install them with: sudo apt-get install chromium chromium-driver (Debian/Ubuntu), "
					+ "or point -Dgatehouse.browser.chromium and -Dgatehouse.browser.chromedriver at them.");
		}
		try {
			Path profile = Files.createTempDirectory("gatehouse-chromium-");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(chromium);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
					"--window-size=1280,1024", "--user-data-dir=" + profile);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
				.usingAnyFreePort()
				.build();
			return new Browser(new ChromeDriver(service, options), profile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The server that {@link #open(String)} paths are relative to, e.g. {@code http://localhost:54321}. */
	public void baseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** Opens a path of the server, such as {@code /admin/auth-clients}. */
	public void open(String path) {
		driver.get(baseUrl + path);
	}

	/**
	 * Logs in through the real login page and waits until the next page has loaded; fails the test, quoting the page,
	 * when the login is refused.
	 */
	public void login(String username, String password) {
		open("/login");
		fill("Username", username);
		fill("Password", password);
		click("Log in");
		new WebDriverWait(driver, TIMEOUT)
			.until(d -> !currentPath().startsWith("/login") || currentPath().equals("/login?error"));
		if (currentPath().equals("/login?error")) {
			fail("Could not log in as " + username + ": the login page says \"" + text(".alert") + "\"");
		}
	}

	/** Signs out with the navigation bar's "Log out" button. */
	public void logout() {
		click("Log out");
		waitForText("You have been logged out.");
	}

	/** Forgets the session (cookies), as if a new user opened the browser. */
	public void forgetSession() {
		driver.manage().deleteAllCookies();
	}

	/** The form control labelled {@code label} (a {@code <label for>} or a label wrapping the control). */
	public WebElement field(String label) {
		WebElement element = waitVisible(labelled(label));
		String id = element.getAttribute("for");
		return id != null && !id.isEmpty() ? driver.findElement(By.id(id))
				: element.findElement(By.xpath(".//input|.//select|.//textarea"));
	}

	/** Replaces the text of the field labelled {@code label}. */
	public void fill(String label, String value) {
		WebElement field = field(label);
		field.clear();
		field.sendKeys(value);
	}

	/** Ticks or clears the checkbox labelled {@code label}. */
	public void check(String label, boolean checked) {
		WebElement box = field(label);
		if (box.isSelected() != checked) {
			box.click();
		}
	}

	/** Whether the field labelled {@code label} is on the page and visible (false when hidden or absent). */
	public boolean isFieldVisible(String label) {
		List<WebElement> labels = driver.findElements(labelled(label));
		return !labels.isEmpty() && labels.get(0).isDisplayed();
	}

	/** Waits until the field labelled {@code label} shows, e.g. after ticking the checkbox that reveals it. */
	public void waitFieldVisible(String label) {
		waitVisible(labelled(label));
	}

	/** Waits until the field labelled {@code label} is hidden or gone. */
	public void waitFieldHidden(String label) {
		waitHidden(labelled(label));
	}

	/**
	 * The validation message shown next to the field labelled {@code label}: the text of the elements its
	 * {@code aria-describedby} names, or else of the Bootstrap {@code .invalid-feedback} element following it. Empty
	 * when there is none.
	 */
	public String fieldError(String label) {
		WebElement field = field(label);
		String describedBy = field.getAttribute("aria-describedby");
		StringBuilder text = new StringBuilder();
		if (describedBy != null && !describedBy.isBlank()) {
			for (String id : describedBy.trim().split("\\s+")) {
				driver.findElements(By.id(id)).forEach(element -> text.append(element.getText()).append(' '));
			}
		}
		else {
			field.findElements(By.xpath("following-sibling::*[contains(concat(' ', @class, ' '), ' invalid-feedback "
					+ "')][1]"))
				.forEach(element -> text.append(element.getText()));
		}
		return text.toString().trim();
	}

	/**
	 * Clicks the visible button or link whose text, value, accessible label or title is {@code name} (icons carry
	 * their name in {@code aria-label} or {@code title}). When the click starts a page load (a link, or a form that
	 * will submit), waits until the old page is gone: Chromium may schedule a form's navigation after the click
	 * returns, and reading {@code #redirect-errors} then would find the previous page's element.
	 */
	public void click(String name) {
		Click click = press(name);
		if (click.navigates() == Navigation.NOW) {
			waitGone(click.page());
		}
	}

	/** Clicks {@code name} and accepts the confirmation dialog it opens ({@code form[data-confirm]}). */
	public String clickAndConfirm(String name) {
		Click click = press(name);
		Alert alert = new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.alertIsPresent());
		String question = alert.getText();
		alert.accept();
		if (click.navigates() == Navigation.AFTER_CONFIRMATION) {
			waitGone(click.page());
		}
		return question;
	}

	/** Clicks {@code name} and dismisses the confirmation dialog it opens. */
	public String clickAndCancel(String name) {
		click(name);
		Alert alert = new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.alertIsPresent());
		String question = alert.getText();
		alert.dismiss();
		return question;
	}

	private enum Navigation { NONE, NOW, AFTER_CONFIRMATION }

	private record Click(WebElement page, Navigation navigates) {
	}

	/** What a click on the element will do to the page, judged the way the browser will. */
	private static final String NAVIGATION = """
			const el = arguments[0];
			if (el.tagName === 'A') {
			  const href = el.getAttribute('href');
			  const loads = !!href && !href.startsWith('#') && !href.startsWith('javascript:') && !el.target
			      && !el.hasAttribute('data-bs-toggle') && !el.hasAttribute('download');
			  return loads ? 'NOW' : 'NONE';
			}
			const submits = (el.tagName === 'BUTTON' || el.tagName === 'INPUT') && el.type === 'submit' && el.form;
			if (!submits) return 'NONE';
			const form = el.form;
			if (!(form.noValidate || el.formNoValidate || form.checkValidity())) return 'NONE';
			return form.hasAttribute('data-confirm') ? 'AFTER_CONFIRMATION' : 'NOW';
			""";

	private Click press(String name) {
		WebElement element = waitClickable(named(name));
		WebElement page = driver.findElement(By.tagName("html"));
		JavascriptExecutor js = (JavascriptExecutor) driver;
		Navigation navigates = Navigation.valueOf((String) js.executeScript(NAVIGATION, element));
		// centre it first, at once (Bootstrap makes scrolling smooth, and a click during the animation misses)
		js.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
		element.click();
		return new Click(page, navigates);
	}

	private void waitGone(WebElement page) {
		new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.stalenessOf(page));
	}

	public WebElement waitVisible(By locator) {
		return new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(locator));
	}

	public void waitHidden(By locator) {
		new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.invisibilityOfElementLocated(locator));
	}

	public WebElement waitClickable(By locator) {
		return new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.elementToBeClickable(locator));
	}

	/** Waits until the page shows {@code text} somewhere visible. */
	public void waitForText(String text) {
		waitVisible(By.xpath("//body//*[contains(normalize-space(), " + literal(text) + ")]"));
	}

	/** The visible text of the whole page. */
	public String pageText() {
		return driver.findElement(By.tagName("body")).getText();
	}

	/** The visible text of the first element matching {@code css}, e.g. {@code h1} or {@code .alert}. */
	public String text(String css) {
		return waitVisible(By.cssSelector(css)).getText();
	}

	/** The path of the current page, without the server, e.g. {@code /login?error}. */
	public String currentPath() {
		String url = driver.getCurrentUrl();
		return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
	}

	public String title() {
		return driver.getTitle();
	}

	/** Selenium itself, for what the helpers do not cover. */
	public WebDriver driver() {
		return driver;
	}

	/** Saves a PNG of the window and the page's HTML as {@code <directory>/<name>.png} and {@code .html}. */
	public void screenshot(Path directory, String name) {
		try {
			Files.createDirectories(directory);
			byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
			Files.write(directory.resolve(name + ".png"), png);
			Files.writeString(directory.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			driver.quit();
		}
		finally {
			deleteRecursively(profile);
		}
	}

	private static By labelled(String label) {
		return By.xpath("//label[normalize-space()=" + literal(label) + "]");
	}

	private static By named(String name) {
		String n = literal(name);
		return By.xpath("//button[normalize-space()=" + n + " or @aria-label=" + n + " or @title=" + n + "]"
				+ " | //a[normalize-space()=" + n + " or @aria-label=" + n + " or @title=" + n + "]"
				+ " | //input[(@type='submit' or @type='button') and (@value=" + n + " or @aria-label=" + n + ")]");
	}

	/** An XPath string literal for any text, quotes included. */
	private static String literal(String text) {
		if (!text.contains("'")) {
			return "'" + text + "'";
		}
		if (!text.contains("\"")) {
			return "\"" + text + "\"";
		}
		return "concat('" + text.replace("'", "', \"'\", '") + "')";
	}

	private static void deleteRecursively(Path root) {
		try (var paths = Files.walk(root)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temp profile is harmless
		}
	}

}
