package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 18 (ADR 0047) in Chromium at 240×320, script off and on: unread counts in the list of
 * chats, and "New messages" that a reload keeps until the conversation is opened.
 */
class UnreadSmallScreenIT {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  final WebFixture web = new WebFixture();
  WebDriver a;

  @AfterEach
  void close() {
    if (a != null) {
      a.quit();
    }
    web.close();
  }

  private void login(String number) {
    a.get(web.base + "/");
    a.findElement(By.name("phone")).sendKeys(number);
    a.findElement(By.cssSelector("form[action='/login'] button")).click();
    a.findElement(By.name("code")).sendKeys(web.codeFor(Msisdn.of(number)));
    a.findElement(By.cssSelector("form[action='/login/code'] button")).click();
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("/chat"));
  }

  private WebElement rowOfB() {
    return a.findElement(By.xpath("//section[@id='partners']//li[a[normalize-space()='13800000002']]"));
  }

  private List<String> fresh() {
    return a.findElements(By.cssSelector("#fresh-list li .body")).stream().map(WebElement::getText).toList();
  }

  @ParameterizedTest(name = "script on: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("the count and New messages show, survive a reload, and go once the conversation is read")
  void unreadUntilRead(boolean script) throws Exception {
    a = Chromium.open(script, SmallScreenIT.WIDTH, SmallScreenIT.HEIGHT);
    login(A);
    web.core.chat.send(Msisdn.of(B), A, "first", Origin.SMS, null);
    web.core.chat.send(Msisdn.of(B), A, "second", Origin.SMS, null);
    web.core.settle();
    for (int i = 0; i < 2; i++) {
      a.get(web.base + "/chat"); // the second time: a reload
      assertThat(rowOfB().findElement(By.className("unread")).getText()).isEqualTo("(2)");
      assertThat(a.findElement(By.cssSelector("#fresh h2")).getText()).isEqualTo("New messages");
      assertThat(fresh()).containsExactlyInAnyOrder("first", "second");
    }
    rowOfB().findElement(By.tagName("a")).click();
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.getCurrentUrl().endsWith("?to=%2B8613800000002"));
    assertThat(a.findElements(By.cssSelector("#lines li.theirs"))).hasSize(2);
    a.get(web.base + "/chat");
    assertThat(rowOfB().findElements(By.className("unread"))).isEmpty();
    assertThat(a.findElements(By.cssSelector("#fresh h2"))).isEmpty();
    assertThat(fresh()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  @DisplayName("with script, a message pushed while the list is open counts at once, and one pushed into the open conversation is read")
  void liveWithScript() throws Exception {
    a = Chromium.open(true, SmallScreenIT.WIDTH, SmallScreenIT.HEIGHT);
    login(A);
    web.core.chat.send(Msisdn.of(B), A, "hello", Origin.SMS, null);
    web.core.settle();
    a.get(web.base + "/chat?to=%2B8613800000002");
    a.get(web.base + "/chat");
    assertThat(rowOfB().findElements(By.className("unread"))).isEmpty();
    web.core.chat.send(Msisdn.of(B), A, "pushed live", Origin.SMS, null);
    new WebDriverWait(a, Duration.ofSeconds(10))
        .until(x -> !rowOfB().findElements(By.className("unread")).isEmpty());
    assertThat(rowOfB().findElement(By.className("unread")).getText()).isEqualTo("(1)");
    // In the open conversation a pushed line is on the screen: read, so no count after a reload.
    a.get(web.base + "/chat?to=%2B8613800000002");
    web.core.chat.send(Msisdn.of(B), A, "while reading", Origin.SMS, null);
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> x.findElements(By.cssSelector("#lines li.pushed"))
        .stream().anyMatch(e -> e.getText().contains("while reading")));
    new WebDriverWait(a, Duration.ofSeconds(10)).until(x -> web.core.store.unseen(Msisdn.of(A),
        web.core.clock.instant(), 10).isEmpty()); // the page acknowledged it
    a.get(web.base + "/chat");
    assertThat(rowOfB().findElements(By.className("unread"))).isEmpty();
  }
}
