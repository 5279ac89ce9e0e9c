package chatgate.web;

import static chatgate.web.WebFixture.csrf;
import static chatgate.web.WebFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 18 on the page: own name, a contact's name, group by name, members, join/leave, block (HTML). */
class PeoplePagesTest {
  static final String A = "+8613800000001";
  static final String B = "+8613800000002";
  static final String C = "+8613800000003";
  final WebFixture web = new WebFixture();

  @AfterEach
  void close() {
    web.close();
  }

  private HttpResponse<String> act(WebFixture.Phone p, String to, String action, String... more) throws Exception {
    String page = p.get("/people?to=" + java.net.URLEncoder.encode(to, java.nio.charset.StandardCharsets.UTF_8)).body();
    String[] kv = new String[6 + more.length];
    kv[0] = "to";
    kv[1] = to;
    kv[2] = "action";
    kv[3] = action;
    kv[4] = "csrf";
    kv[5] = csrf(page);
    System.arraycopy(more, 0, kv, 6, more.length);
    return p.post("/people", form(kv));
  }

  @Test
  @DisplayName("own name and a contact's name are set on the page and shown where the sender shows")
  void names() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    assertThat(act(a, "", "myname", "name", "小红 & co").statusCode()).isEqualTo(200);
    assertThat(web.core.chat.label(Msisdn.of(A))).isEqualTo("小红 & co");
    a.send(B, "hello");
    String bPage = b.get("/chat?to=" + java.net.URLEncoder.encode(A, java.nio.charset.StandardCharsets.UTF_8)).body();
    assertThat(bPage).contains("小红 &amp; co").doesNotContain("小红 & co");
    HttpResponse<String> named = act(b, A, "name", "name", "Sis");
    assertThat(named.body()).contains("Saved.").contains("value=\"Sis\"");
    assertThat(b.get("/chat?to=%2B8613800000001").body()).contains("<b>Sis</b>");
    // Only B sees B's name for A.
    assertThat(web.core.chat.label(Msisdn.of(C), Msisdn.of(A))).isEqualTo("小红 & co");
    HttpResponse<String> bad = act(a, "", "myname", "name", "13800000009");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("a name has 1–20 characters");
  }

  @Test
  @DisplayName("a group by its display name on the page; members; join an open group, leave, closed groups refuse")
  void groups() throws Exception {
    web.core.groups.create(new Group(GroupId.of("family"), "家人", Set.of(Msisdn.of(A), Msisdn.of(B))));
    web.core.groups.create(new Group(GroupId.of("club"), "Chess", Set.of(Msisdn.of(A)), true));
    var a = web.phone(A).login();
    var c = web.phone(C).login();
    assertThat(a.get("/chat?to=" + java.net.URLEncoder.encode("家人", java.nio.charset.StandardCharsets.UTF_8))
        .body()).contains("action=\"/chat\"").contains("value=\"family\"");
    String members = a.get("/people?to=family").body();
    assertThat(members).contains("Members (2)").contains("<li>13800000002</li>").contains(">Leave<");
    String closed = c.get("/people?to=family").body();
    assertThat(closed).contains("Only an admin adds members").doesNotContain("13800000002").doesNotContain(">Join<");
    assertThat(act(c, "family", "join").statusCode()).isEqualTo(403);
    HttpResponse<String> joined = act(c, "club", "join");
    assertThat(joined.body()).contains("You joined the group.").contains("Members (2)").contains(">Leave<");
    HttpResponse<String> left = act(c, "club", "leave");
    assertThat(left.body()).contains("You left the group.");
    assertThat(web.core.groups.find(GroupId.of("club")).orElseThrow().members()).containsExactly(Msisdn.of(A));
    c.language = "zh";
    assertThat(c.get("/people?to=club").body()).contains("加入");
  }

  @Test
  @DisplayName("block on the page: the blocked sender's form send is refused with a clear answer; unblock")
  void block() throws Exception {
    var a = web.phone(A).login();
    var b = web.phone(B).login();
    assertThat(act(b, A, "block").body()).contains("Blocked.").contains(">Unblock<");
    String page = a.get("/chat").body();
    HttpResponse<String> r = a.post("/chat", form("to", B, "text", "hi?", "csrf", csrf(page)));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("does not take your messages");
    assertThat(act(b, A, "unblock").body()).contains("Unblocked.").contains(">Block<");
    a.send(B, "now?");
  }
}
