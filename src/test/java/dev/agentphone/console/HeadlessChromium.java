package dev.agentphone.console;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * The system's Chromium, headless, driven through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}). Nothing is downloaded: both binaries must be on
 * the machine, and their absence is a failure, not a skip.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  static HeadlessChromium start() {
    File browser = find("CHROME_BIN", "chromium", "chromium-browser");
    File chromedriver = find("CHROMEDRIVER", "chromedriver");
    if (browser == null || chromedriver == null) {
      throw new IllegalStateException("The console browser tests need Chromium and chromedriver "
          + "(found chromium: " + browser + ", chromedriver: " + chromedriver + "). Install them: "
          + "apt-get install -y chromium chromium-driver (.ci/run does this when they are missing).");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("console-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    // the page's console (script errors, CSP violations) is read back by the tests
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver)
        .usingAnyFreePort()
        .build();
    try {
      return new HeadlessChromium(new ChromeDriver(service, options), service, profile);
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
  }

  /** An environment override, else the first of {@code names} on the PATH. */
  private static File find(String env, String... names) {
    String override = System.getenv(env);
    if (override != null && new File(override).canExecute()) {
      return new File(override);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : names) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return candidate;
        }
      }
    }
    return null;
  }

  /**
   * Writes the whole page (the window grown to the document's height for the shot) to
   * {@code target/console-screenshots/<name>.png}.
   */
  Path screenshot(String name) {
    Dimension window = driver.manage().window().getSize();
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Number height = (Number) driver.executeScript(
          "return document.documentElement.scrollHeight");
      driver.manage().window().setSize(new Dimension(window.getWidth(),
          Math.max(window.getHeight(), Math.min(height.intValue() + 140, 4000))));
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.move(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(window);
    }
  }

  /**
   * Errors the page logged since the last call (uncaught exceptions, rejected promises, CSP
   * violations); failed requests are left out, since the console makes some on purpose.
   */
  List<String> pageErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("Failed to load resource"))
        .toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      delete(profile);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
