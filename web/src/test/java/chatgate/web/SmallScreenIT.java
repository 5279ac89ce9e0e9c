package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The HTML chat page as a feature phone shows it: a 240×320 viewport in Chromium, with script off
 * (a phone without script, or Opera Mini) and on (KaiOS).
 */
class SmallScreenIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  /** Short, so that "left for several refresh periods" takes seconds; production's default is 20 s. */
  static final Duration REFRESH = Duration.ofSeconds(2);
  final WebFixture web = new WebFixture(REFRESH);
  WebDriver a;

  @AfterEach
  void close() {
    if (a != null) {
      a.quit();
    }
    web.close();
  }

  private void login(WebDriver d, String number) {
    d.get(web.base + "/");
    d.findElement(By.name("phone")).sendKeys(number);
    d.findElement(By.cssSelector("form[action='/login'] button")).click();
    d.findElement(By.name("code")).sendKeys(web.codeFor(Msisdn.of(number)));
    d.findElement(By.cssSelector("form[action='/login/code'] button")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat"));
  }

  @ParameterizedTest(name = "script on: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("issue 18: text typed and left alone is still there after three refresh periods, a message arriving meanwhile")
  void typedTextIsNeverLost(boolean script) throws Exception {
    a = Chromium.open(script, 240, 320);
    login(a, A);
    a.get(web.base + "/chat?to=%2B8613800000002");
    a.findElement(By.name("text")).sendKeys("typed slowly on T9");
    web.core.chat.send(Msisdn.of(B), A, "are you there?", Origin.SMS, null);
    web.core.settle();
    // Waiting is the point: a page that reloads itself would have done so three times by now.
    // With the production period (20 s) this is the 60 s; the page has no timer of any
    // length (checked below), so the period only sets how long this test waits.
    Thread.sleep(REFRESH.multipliedBy(3).toMillis());
    assertThat(a.findElement(By.name("text")).getAttribute("value")).isEqualTo("typed slowly on T9");
    // No timer of any length: with script off a <noscript> refresh would be live.
    assertThat(a.findElements(By.cssSelector("meta[http-equiv='refresh']"))).isEmpty();
  }

  /** The screen of the phone the pages are designed for first. */
  static final int WIDTH = 240;
  static final int HEIGHT = 320;

  @ParameterizedTest(name = "script on: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("issue 18 at 240×320: after a send the input box is on the first screen, the heading is small, no empty \"New messages\" heading, a long URL wraps, the day is shown")
  void theFirstScreenAfterASend(boolean script) throws Exception {
    for (int i = 0; i < 30; i++) {
      web.core.chat.send(Msisdn.of(B), A, "message number " + i + " of a long conversation", Origin.SMS, null);
    }
    web.core.settle();
    a = Chromium.open(script, WIDTH, HEIGHT);
    login(a, A);
    a.get(web.base + "/chat?to=%2B8613800000002");
    String url = "http://example.com/" + "averylongpathsegment".repeat(15);
    a.findElement(By.name("text")).sendKeys(url);
    a.findElement(By.cssSelector("#send button")).click();
    new WebDriverWait(a, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(x -> x.findElements(By.cssSelector("#lines li.mine")).size() == 1
            && x.findElement(By.name("text")).getAttribute("value").isEmpty());

    // What the user does next is on the first screen: the box, and the button that sends it.
    Rectangle send = a.findElement(By.cssSelector("#send button")).getRect();
    assertThat(send.getY() + send.getHeight()).as("Send button bottom").isLessThanOrEqualTo(HEIGHT);
    Rectangle box = a.findElement(By.name("text")).getRect();
    assertThat(box.getX() + box.getWidth()).as("text box right edge").isLessThanOrEqualTo(WIDTH);
    // A heading of a line or two, not a banner.
    assertThat(a.findElement(By.tagName("h1")).getRect().getHeight()).isLessThanOrEqualTo(48);
    // Nothing new: no "New messages" heading at all.
    assertThat(a.findElements(By.xpath("//h2[normalize-space()='New messages']"))).isEmpty();
    // The long URL wraps: its line is no wider than the screen, and the page does not scroll sideways.
    WebElement mine = a.findElement(By.cssSelector("#lines li.mine .body"));
    assertThat(mine.getText()).isEqualTo(url);
    Rectangle line = mine.getRect();
    assertThat(line.getX() + line.getWidth()).as("long URL right edge").isLessThanOrEqualTo(WIDTH);
    // The conversation says which day it is.
    assertThat(a.findElement(By.cssSelector("#lines li.day")).getText()).isEqualTo("Today");
    screenshot("chat-html-240x320-script-" + (script ? "on" : "off"));
  }

  /** Kept under target/screenshots for the README (docs/screenshots holds the ones it shows). */
  private void screenshot(String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Path shot = ((TakesScreenshot) a).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("issue 18: the WML chat deck at 240×320, drawn the way a WAP 1.x browser lays it out (README screenshot)")
  void wmlDeckAsAPhoneShowsIt() throws Exception {
    web.core.chat.send(Msisdn.of(B), A, "晚上八点在老地方见？", Origin.SMS, null);
    web.core.settle();
    WmlPhone w = new WmlPhone(web.phone(A).login());
    w.http.language = "zh";
    w.open("/chat?to=%2B8613800000002");
    w.type("text", "好的，");
    String html = WmlSketch.html(w.deck, w.vars);
    a = Chromium.open(false, WIDTH, HEIGHT);
    a.get("data:text/html;charset=utf-8;base64,"
        + java.util.Base64.getEncoder().encodeToString(html.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(a.findElement(By.tagName("body")).getText()).contains("晚上八点在老地方见").contains("发送");
    screenshot("chat-wml-240x320");
  }
}
