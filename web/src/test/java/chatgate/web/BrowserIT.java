package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The HTML chat page in headless Chromium (Debian's chromium and chromedriver, driven by
 * Selenium; no browser is downloaded). Two phones' browsers chat; the one with the page open
 * sees the message arrive without reloading.
 */
class BrowserIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  final WebFixture web = new WebFixture();
  WebDriver a;
  WebDriver b;

  @AfterEach
  void close() {
    if (a != null) {
      a.quit();
    }
    if (b != null) {
      b.quit();
    }
    web.close();
  }

  private static WebDriver chromium(boolean javascript) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--lang=en-US", "--user-data-dir=" + Files.createTempDirectory("chromium"));
    if (!javascript) {
      o.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  private void login(WebDriver d, String number) {
    login(d, number, web.base);
  }

  private void login(WebDriver d, String number, String base) {
    d.get(base + "/");
    d.findElement(By.name("phone")).sendKeys(number);
    d.findElement(By.cssSelector("form[action='/login'] button")).click();
    // The code page may take a moment on a loaded machine: wait for it, do not race it.
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> !x.findElements(By.name("code")).isEmpty());
    d.findElement(By.name("code")).sendKeys(web.codeFor(Msisdn.of(number)));
    d.findElement(By.cssSelector("form[action='/login/code'] button")).click();
    new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat"));
  }

  private static void send(WebDriver d, String to, String text) {
    WebElement toField = d.findElement(By.name("to"));
    toField.clear();
    toField.sendKeys(to);
    d.findElement(By.name("text")).sendKeys(text);
    d.findElement(By.cssSelector("#send button")).click();
    // Accepted once the page it redirects to is there, with an empty text box again.
    // The old page's box goes stale when the new one loads: look again rather than fail.
    new WebDriverWait(d, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
        .until(x -> x.findElement(By.name("text")).getAttribute("value").isEmpty());
  }

  @Test
  @DisplayName("P2.4/P2.7 Chromium: a message appears live on the recipient's open page, and its reply link opens the reply page")
  void p2_4_livePushInTheBrowser() throws Exception {
    a = chromium(true);
    b = chromium(true);
    login(a, A);
    login(b, B);
    // B's page is open: its script holds the event stream.
    new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> web.hub.hasStream(Msisdn.of(B)));
    send(a, B, "Hello B <b>live</b>");
    WebElement pushed = new WebDriverWait(b, Duration.ofSeconds(10))
        .until(x -> x.findElements(By.cssSelector("#fresh-list li.pushed")).stream().findFirst().orElse(null));
    assertThat(pushed.getText()).contains("Hello B <b>live</b>");
    assertThat(pushed.findElements(By.tagName("b"))).hasSize(1); // the sender's name; the text stayed text
    // The page said it showed it: delivered live, and no SMS will follow (issue 16).
    new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1)
        .stream().flatMap(m -> web.core.store.deliveriesOf(m.id()).stream())
        .allMatch(d -> d.state() == chatgate.core.model.DeliveryState.PUSHED));
    assertThat(b.getCurrentUrl()).endsWith("/chat"); // no reload happened
    pushed.findElement(By.linkText("Reply")).click();
    new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat?to=%2B8613800000001"));
    assertThat(b.findElement(By.tagName("h1")).getText()).contains("Chat with 13800000001");
    assertThat(b.findElement(By.name("to")).getAttribute("value")).isEqualTo("+8613800000001");
    // The conversation goes on live the other way: A's page shows B's answer in the open thread.
    a.get(web.base + "/chat?to=%2B8613800000002");
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> web.hub.hasStream(Msisdn.of(A)));
    send(b, A, "Hi A");
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x ->
        x.findElements(By.cssSelector("#lines li.pushed")).stream().anyMatch(e -> e.getText().contains("Hi A")));
  }

  @Test
  @DisplayName("ADR 0014 Chromium: a reply link opened without a session shows the reply page, answers, and reopens")
  void aReplyLinkInABrowserWithoutASession() throws Exception {
    a = chromium(true);
    login(a, A);
    send(a, B, "lunch?");
    web.core.settle();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://gw\\.test(/r/[A-Za-z0-9]{12})")
        .matcher(web.core.sms.sentTo(Msisdn.of(B)).getLast().text());
    assertThat(m.find()).isTrue();
    b = chromium(false);
    b.get(web.base + m.group(1));
    assertThat(b.findElement(By.tagName("h1")).getText()).contains("Chat with 13800000001");
    b.findElement(By.name("text")).sendKeys("yes, at one");
    b.findElement(By.cssSelector("#reply button")).click();
    // The old page's list goes stale as the answer's page replaces it: look again until it is there.
    new WebDriverWait(b, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(x -> x.findElement(By.id("lines")).getText().contains("yes, at one"));
    assertThat(b.getCurrentUrl()).endsWith(m.group(1));
    assertThat(b.findElement(By.linkText("Log in to see all your chats")).getAttribute("href")).endsWith("/login");
  }

  @Test
  @DisplayName("P2.2/P2.4 without JavaScript the form still sends; the watching page reloads itself to show new messages")
  void p2_4_withoutJavascript() throws Exception {
    a = chromium(false);
    b = chromium(false);
    login(a, A);
    login(b, B);
    assertThat(web.hub.hasStream(Msisdn.of(B))).isFalse();
    send(a, B, "no script needed");
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat?to=%2B8613800000002"));
    assertThat(a.getPageSource()).contains("no script needed");
    // B's page with the form never reloads itself (issue 18); its watching page does, and shows it.
    assertThat(b.findElements(By.cssSelector("meta[http-equiv='refresh']"))).isEmpty();
    b.findElement(By.linkText("Watch for new messages")).click();
    assertThat(b.findElement(By.cssSelector("meta[http-equiv='refresh']")).getAttribute("content"))
        .isEqualTo("20;url=/chat?watch=1");
    assertThat(b.findElement(By.id("fresh-list")).getText()).contains("no script needed");
  }

  /** The state shown on A's newest line of the open conversation (the page's first), or "" while there is none. */
  private static String lastLineState(WebDriver d) {
    var marks = d.findElements(By.cssSelector("#lines li.mine .state"));
    return marks.isEmpty() ? "" : marks.getFirst().getText();
  }

  @Test
  @DisplayName("issue 16 Chromium: my line shows sent by SMS, then turns to delivered live when the receipt comes; to a phone that sent STOP it says why")
  void theSendersLineFollowsItsStateLive() throws Exception {
    a = chromium(true);
    login(a, A);
    send(a, B, "by SMS, and then?");
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat?to=%2B8613800000002"));
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> web.hub.hasStream(Msisdn.of(A)));
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> lastLineState(x).equals("sent by SMS"));
    // Marks this very document: a reload would lose it.
    ((org.openqa.selenium.JavascriptExecutor) a).executeScript("window.notReloaded = 'still here';");
    var msg = web.core.store.conversation(Msisdn.of(A), Msisdn.of(B), 1).getFirst();
    String smscId = web.core.store.deliveriesOf(msg.id()).getFirst().smscIds().orElseThrow();
    web.core.stage.onDeliveryReport(new chatgate.core.port.SmsInbound.DeliveryReport(smscId, true, "DELIVRD",
        web.core.clock.instant()));
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> lastLineState(x).equals("delivered to the phone"));
    assertThat(((org.openqa.selenium.JavascriptExecutor) a).executeScript("return window.notReloaded;"))
        .isEqualTo("still here");
    WebElement mark = a.findElements(By.cssSelector("#lines li.mine .state")).getFirst();
    assertThat(mark.getAttribute("class")).contains("st-ok");
    assertThat(mark.getAttribute("data-msg")).isEqualTo(Long.toString(msg.id().value()));

    // B sends STOP: my next message to B is not sent by SMS, and the line says why.
    web.core.mo.onMobileOriginated(new chatgate.core.port.SmsInbound.MobileOriginated("stop-b", Msisdn.of(B), "10658",
        "STOP", web.core.clock.instant(), java.util.Optional.empty()));
    web.core.settle();
    send(a, B, "after your STOP");
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.findElements(By.cssSelector("#lines li.mine")).size() == 2
        && lastLineState(x).equals("not sent by SMS: recipient sent STOP (kept for their page)"));
    assertThat(a.findElements(By.cssSelector("#lines li.mine .state")).getFirst().getAttribute("class"))
        .contains("st-fail");
    // The older line (now the second) still says delivered.
    assertThat(a.findElements(By.cssSelector("#lines li.mine .state")).getLast().getText())
        .isEqualTo("delivered to the phone");
  }

  /** B's only text message (not a login code), once the stage has settled. */
  private java.util.List<String> smsTextsTo(String number) {
    web.core.settle();
    return web.core.sms.sentTo(Msisdn.of(number)).stream().filter(x -> !x.secret())
        .map(chatgate.core.port.SmsPort.OutboundSms::text).toList();
  }

  @Test
  @DisplayName("issue 16 Chromium: a message pushed just after the recipient closed the tab goes by SMS, not into the dead stream")
  void aMessageAfterTheTabClosedGoesBySms() throws Exception {
    a = chromium(true);
    b = chromium(true);
    login(a, A);
    login(b, B);
    new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> web.hub.hasStream(Msisdn.of(B)));
    // B's tab closes (the browser stays): its stream may still take writes for a while.
    ((org.openqa.selenium.JavascriptExecutor) b).executeScript("window.open('about:blank')");
    String stream = b.getWindowHandle();
    String other = b.getWindowHandles().stream().filter(h -> !h.equals(stream)).findFirst().orElseThrow();
    b.close();
    b.switchTo().window(other);
    send(a, B, "are you still there?");
    web.core.clock.advance(chatgate.core.testing.CoreFixture.PUSH_ACK_WAIT.plusSeconds(1));
    assertThat(smsTextsTo(B)).singleElement().satisfies(t -> assertThat(t).contains("are you still there?"));
  }

  @Test
  @DisplayName("issue 16 Chromium: a connection that dies without a FIN takes the push, and the message still goes by SMS")
  void aConnectionCutWithoutAFinStillGetsTheSms() throws Exception {
    try (FreezableProxy proxy = new FreezableProxy(Integer.parseInt(web.base.substring(web.base.lastIndexOf(':') + 1)))) {
      a = chromium(true);
      b = chromium(true);
      login(a, A);
      login(b, B, "http://127.0.0.1:" + proxy.port());
      new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> web.hub.hasStream(Msisdn.of(B)));
      proxy.freeze();
      send(a, B, "lost in the air");
      // The server wrote it into the open connection: nothing told it the phone is gone.
      assertThat(web.hub.hasStream(Msisdn.of(B))).isTrue();
      assertThat(smsTextsTo(B)).isEmpty();
      web.core.clock.advance(chatgate.core.testing.CoreFixture.PUSH_ACK_WAIT.plusSeconds(1));
      assertThat(smsTextsTo(B)).singleElement().satisfies(t -> assertThat(t).contains("lost in the air"));
    }
  }
}
