package io.orderhub.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Debian's chromedriver (packages chromium and chromium-driver; no browser
 * is ever downloaded). A missing browser fails the test with the command that installs it.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("orderhub.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("orderhub.test.chromedriver",
            "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;

    public Browser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
        }
        profile = Files.createTempDirectory("orderhub-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    public void awaitText(By by, String text) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(60))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                var found = d.findElements(by);
                return !found.isEmpty() && found.get(0).getText().contains(text);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            var found = driver.findElements(by);
            throw new AssertionError("'" + text + "' never appeared in " + by + " (it shows '"
                    + (found.isEmpty() ? "nothing" : found.get(0).getText()) + "') at " + driver.getCurrentUrl()
                    + "; page: " + driver.getPageSource().substring(0, Math.min(600, driver.getPageSource().length())) + "; message: " + driver.findElements(By.id("message")).stream().map(WebElement::getText)
                    .findFirst().orElse("-"), e);
        }
    }

    /** The text of an element, read again if a live page re-rendered it between finding and reading. */
    public String text(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(by).getText());
    }

    /** Clicks an element, again if the page re-rendered it meanwhile. */
    public void click(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                .until(d -> {
                    var found = d.findElements(by);
                    if (found.isEmpty() || !found.get(0).isDisplayed()) {
                        return false;
                    }
                    found.get(0).click();
                    return true;
                });
    }

    public boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Signs in through the page; {@code code} may be null for a viewer. */
    public void signIn(String base, String user, String password, String code) {
        driver.manage().deleteAllCookies();
        driver.get(base + "/console/login.html");
        await(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        if (code != null) {
            driver.findElement(By.id("code")).sendKeys(code);
        }
        driver.findElement(By.id("login-submit")).click();
        awaitText(By.id("whoami"), user);
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp folder left behind is harmless
        }
    }
}
