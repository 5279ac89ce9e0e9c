package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.chat.SendResult.Problem;
import chatgate.core.chat.SendResult.Rejected;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.model.DeliveryState;
import chatgate.core.testing.CoreFixture;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatServiceTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  final CoreFixture f = new CoreFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Problem problem(SendResult r) {
    assertThat(r).isInstanceOf(Rejected.class);
    return ((Rejected) r).problem();
  }

  @Test
  @DisplayName("P2.9 the target may be a phone number as people type it")
  void p2_9_targetIsAPhoneNumberInAnyLocalForm() {
    for (String to : new String[] {"+8613800000002", "13800000002", "138 0000 0002", "+86 138-0000-0002"}) {
      SendResult r = f.chat.send(A, to, "hi", Origin.WEB, null);
      assertThat(r).isInstanceOf(SendResult.Sent.class);
      assertThat(((SendResult.Sent) r).deliveries()).singleElement().satisfies(d -> assertThat(d.recipient()).isEqualTo(B));
    }
  }

  @Test
  void badInputIsRefusedAndStoresNothing() {
    assertThat(problem(f.chat.send(A, "+8613800000002", "   ", Origin.WEB, null))).isEqualTo(Problem.EMPTY);
    assertThat(problem(f.chat.send(A, "+8613800000002", "x".repeat(1001), Origin.WEB, null))).isEqualTo(Problem.TOO_LONG);
    assertThat(problem(f.chat.send(A, "+8613800000002", "bad \uD800 half", Origin.WEB, null))).isEqualTo(Problem.BAD_TEXT);
    assertThat(problem(f.chat.send(A, "+8613800000002", "replacement \uFFFD", Origin.WEB, null))).isEqualTo(Problem.BAD_TEXT);
    assertThat(problem(f.chat.send(A, "12", "hi", Origin.WEB, null))).isEqualTo(Problem.BAD_TARGET);
    assertThat(problem(f.chat.send(A, "<script>", "hi", Origin.WEB, null))).isEqualTo(Problem.BAD_TARGET);
    assertThat(problem(f.chat.send(A, "nosuchgroup", "hi", Origin.WEB, null))).isEqualTo(Problem.UNKNOWN_GROUP);
    assertThat(f.store.partners(A, 10)).isEmpty();
    assertThat(f.store.count(DeliveryState.PENDING)).isZero();
  }

  @Test
  void exactlyMaxCharsIsAcceptedCountingCharactersNotUnits() {
    assertThat(f.chat.send(A, "+8613800000002", "😀".repeat(1000), Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
  }

  @Test
  @DisplayName("P2.10 only members post to a group; the sender gets no copy")
  void p2_10_nonMemberCannotPost() {
    f.groups.create(new Group(GroupId.of("family"), "Family", Set.of(A, B)));
    assertThat(problem(f.chat.send(C, "family", "let me in", Origin.WEB, null))).isEqualTo(Problem.NOT_MEMBER);
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "FAMILY", "dinner", Origin.WEB, null);
    assertThat(s.deliveries()).extracting(d -> d.recipient()).containsExactly(B);
  }

  @Test
  void controlAndBidiCharactersAreDroppedAndLineEndsNormalised() {
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "+8613800000002", "a\u0000b\u202Ec\r\nd\re", Origin.WEB, null);
    assertThat(s.message().body()).isEqualTo("abc\nd\ne");
  }

  @Test
  void aRepeatedOriginRefIsOneMessage() {
    SendResult.Sent first = (SendResult.Sent) f.chat.send(A, "+8613800000002", "once", Origin.WEB, "web:n1");
    SendResult.Sent again = (SendResult.Sent) f.chat.send(A, "+8613800000002", "once", Origin.WEB, "web:n1");
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message().id()).isEqualTo(first.message().id());
  }

  @Test
  @DisplayName("P2.1 partner list: groups, then online partners first")
  void p2_1_partnersOnlineFirst() {
    f.groups.create(new Group(GroupId.of("family"), "家人", Set.of(A, C)));
    f.chat.send(A, "+8613800000002", "1", Origin.WEB, null);
    f.presence.online(C, f.clock.instant());
    var list = f.chat.partners(A, 10);
    assertThat(list).extracting(PartnerView::label).containsExactly("家人", "13800000003", "13800000002");
    assertThat(list).extracting(PartnerView::online).containsExactly(true, true, false);
  }

  @Test
  @DisplayName("P2.7 a reply link resolves to the sender, or the group, for its recipient only until retention")
  void p2_7_replyLinkResolves() {
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "+8613800000002", "hi", Origin.WEB, null);
    String token = f.chat.replyToken(s.deliveries().get(0).id());
    assertThat(token).hasSize(ChatService.REPLY_TOKEN_LENGTH);
    assertThat(f.chat.reply(token)).hasValueSatisfying(r -> {
      assertThat(r.recipient()).isEqualTo(B);
      assertThat(r.partner()).isEqualTo(A);
    });
    assertThat(f.chat.reply("x" + token.substring(1))).isEmpty();
    assertThat(f.chat.reply("../../etc")).isEmpty();
    f.clock.advance(CoreFixture.RETENTION.plusSeconds(1));
    assertThat(f.chat.reply(token)).isEmpty();
  }

  @Test
  @DisplayName("P2.4: a built-in IM contact's message to a web user on the page is pushed live, not sent by SMS")
  void anImMessageToAWebUserIsRoutedLikeChat() {
    f.started();
    f.live.open(B);
    f.presence.streamOpened(B, f.clock.instant());
    f.chat.fromIm(B, "alice: hello", "im:alice@chatgate.local:b:1");
    f.settle();
    assertThat(f.live.pushedTo(B)).singleElement().satisfies(p -> assertThat(p.body()).isEqualTo("alice: hello"));
    assertThat(f.sms.sentTo(B)).isEmpty();
  }
}
