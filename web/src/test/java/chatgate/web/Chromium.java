package chatgate.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven by Selenium (no browser is downloaded). */
final class Chromium {
  private Chromium() {}

  /** A desktop-sized window. */
  static WebDriver open(boolean javascript) throws Exception {
    return open(javascript, 0, 0);
  }

  /**
   * A browser whose viewport is {@code width}×{@code height} CSS pixels at one device pixel each,
   * as a feature phone's (0 for a desktop window); {@code javascript} off is a phone without script.
   */
  static WebDriver open(boolean javascript, int width, int height) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--hide-scrollbars", "--lang=en-US",
        "--user-data-dir=" + Files.createTempDirectory("chromium"));
    if (!javascript) {
      o.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    if (width > 0) {
      // Device metrics, not a window size: a window has a minimum width wider than a phone's screen.
      d.executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }
    return d;
  }
}
