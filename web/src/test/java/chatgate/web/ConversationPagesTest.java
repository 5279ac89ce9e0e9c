package chatgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The conversation as a page shows it (issue 18): times in the user's zone, day headings, paging back, who is online. */
class ConversationPagesTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  /** The fixture's clock starts at 2026-11-25T10:00Z: 18:00 in Shanghai. */
  final WebFixture web = new WebFixture(ZoneId.of("Asia/Shanghai"));

  @AfterEach
  void close() {
    web.close();
  }

  private void fromB(String text) {
    web.core.chat.send(Msisdn.of(B), A, text, Origin.SMS, null);
    web.core.settle();
  }

  @Test
  @DisplayName("issue 18: times in the configured zone, under Today / Yesterday / a date heading, in English and Chinese; the new-messages list carries the date when it is not today")
  void timesAndDayHeadingsInTheUsersZone() throws Exception {
    fromB("two days ago"); // 2026-11-25 18:00 +08
    web.core.clock.advance(Duration.ofDays(1));
    fromB("yesterday"); // 2026-11-26 18:00
    web.core.clock.advance(Duration.ofDays(1).plusMinutes(5));
    var a = web.phone(A).login();
    String fresh = a.get("/chat").body();
    assertThat(fresh).contains("<small>25 Nov 18:00</small>").contains("<small>26 Nov 18:00</small>");
    fromB("today"); // 2026-11-27 18:05
    String page = a.get("/chat?to=%2B8613800000002").body();
    assertThat(page).containsSubsequence("<li class=\"day\">Today</li>", "18:05", "today",
        "<li class=\"day\">Yesterday</li>", "18:00", "yesterday",
        "<li class=\"day\">Wed 25 Nov 2026</li>", "18:00", "two days ago");
    a.language = "zh";
    assertThat(a.get("/chat?to=%2B8613800000002").body()).containsSubsequence("今天", "昨天", "2026年11月25日 周三");
  }

  @Test
  @DisplayName("issue 18: paging back through history, newest first; the last page has no older link")
  void pagingBack() throws Exception {
    for (int i = 0; i < 25; i++) {
      fromB("line " + i + ".");
    }
    var a = web.phone(A).login();
    String first = a.get("/chat?to=%2B8613800000002").body();
    // Older history is found by message id (keyset), not by counting lines.
    java.util.regex.Matcher older = java.util.regex.Pattern
        .compile("href=\"(/chat\\?to=%2B8613800000002&amp;before=[0-9]+)\"").matcher(first);
    assertThat(first).contains("line 24.").contains("line 5.").doesNotContain("line 4.");
    assertThat(older.find()).isTrue();
    String second = a.get(older.group(1).replace("&amp;", "&")).body();
    assertThat(second).contains("line 4.").contains("line 0.").doesNotContain("line 5.").doesNotContain("before=");
    // A new message meanwhile does not shift the older page (an offset would have).
    fromB("line 25.");
    assertThat(a.get(older.group(1).replace("&amp;", "&")).body()).contains("line 4.").doesNotContain("line 5.");
  }

  @Test
  @DisplayName("issue 18: \"online\" is shown for people, never for a group")
  void groupsAreNeverOnline() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B))));
    web.phone(B).login().get("/chat"); // B is on the page: online
    var a = web.phone(A).login();
    String page = a.get("/chat?to=family").body();
    String list = page.substring(page.indexOf("id=\"partners\""));
    String groupRow = list.substring(list.indexOf(">家人<"), list.indexOf("</li>", list.indexOf(">家人<")));
    assertThat(groupRow).doesNotContain("online");
    String bRow = list.substring(list.indexOf(">13800000002<"), list.indexOf("</li>", list.indexOf(">13800000002<")));
    assertThat(bRow).contains("online");
    assertThat(page.substring(page.indexOf("<h1>"), page.indexOf("</h1>"))).doesNotContain("online");
  }
}
