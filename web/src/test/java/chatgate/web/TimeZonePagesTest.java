package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 18 (ADR 0048): a user's own time zone, set on the page, and the times shown in it. */
class TimeZonePagesTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  final WebFixture web = new WebFixture(ZoneOffset.UTC);

  @AfterEach
  void close() {
    web.close();
  }

  private String hm(ZoneId zone) {
    return DateTimeFormatter.ofPattern("HH:mm").format(web.core.clock.instant().atZone(zone));
  }

  private HttpResponse<String> setZone(WebFixture.Phone p, String zone) throws Exception {
    String page = p.get("/people").body();
    return p.post("/people", form("action", "tz", "zone", zone, "to", "", "csrf", csrf(page)));
  }

  @Test
  @DisplayName("the default zone until the user sets theirs on the page; empty goes back to the default")
  void setOnThePage() throws Exception {
    var a = web.phone(A).login();
    web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "what time is it", Origin.SMS, null);
    web.core.settle();
    assertThat(a.get("/people").body()).contains("Your time zone (+8, -5:30, Asia/Shanghai; empty: UTC)");
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains("<small>" + hm(ZoneOffset.UTC) + "</small>");

    HttpResponse<String> saved = setZone(a, "+5:30");
    assertThat(saved.statusCode()).isEqualTo(200);
    assertThat(saved.body()).contains("Saved.").contains("value=\"UTC+5:30\"");
    assertThat(web.core.chat.contacts().timeZone(Msisdn.of(A))).contains(ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(a.get("/chat?to=%2B8613800000002").body())
        .contains("<small>" + hm(ZoneOffset.ofHoursMinutes(5, 30)) + "</small>");

    a.language = "zh";
    HttpResponse<String> bad = setZone(a, "火星");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("未保存：请写与UTC相差的小时");
    assertThat(setZone(a, "").body()).contains("已保存。").contains("留空：UTC");
    assertThat(web.core.chat.contacts().timeZone(Msisdn.of(A))).isEmpty();
  }

  @Test
  @DisplayName("set by SMS, the page shows it too; XHTML-MP and WML have the form")
  void setBySmsAndWapForms() throws Exception {
    var a = web.phone(A).login();
    web.core.chat.contacts().setTimeZone(Msisdn.of(A), "Asia/Shanghai");
    web.core.chat.send(Msisdn.of(B), Msisdn.of(A), "你好", Origin.SMS, null);
    web.core.settle();
    assertThat(a.get("/chat?to=%2B8613800000002").body())
        .contains("<small>" + hm(ZoneId.of("Asia/Shanghai")) + "</small>");
    a.accept = "application/vnd.wap.xhtml+xml";
    assertThat(a.get("/people").body()).contains("name=\"zone\"").contains("value=\"Asia/Shanghai\"");
    a.accept = "text/vnd.wap.wml";
    String wml = a.get("/people").body();
    assertThat(wml).contains("<input name=\"zone\" maxlength=\"40\" value=\"Asia/Shanghai\"/>")
        .contains("<postfield name=\"zone\" value=\"$(zone)\"/>");
    assertThat(a.get("/chat?to=%2B8613800000002").body()).contains(hm(ZoneId.of("Asia/Shanghai")) + " ");
  }
}
