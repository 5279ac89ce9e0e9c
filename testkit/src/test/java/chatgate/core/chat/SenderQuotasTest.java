package chatgate.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.api.SendsmsService;
import chatgate.core.chat.SendResult.Problem;
import chatgate.core.chat.SendResult.Rejected;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.memory.MemoryDlrCallbacks;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Group;
import chatgate.core.model.GroupId;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import chatgate.core.testing.CoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 15, High: per-sender quotas and allowed destinations on chat and sendsms. */
class SenderQuotasTest {
  static final Msisdn A = Msisdn.of("+8613800000001");
  static final Msisdn B = Msisdn.of("+8613800000002");
  static final Msisdn C = Msisdn.of("+8613800000003");
  static final Msisdn UK = Msisdn.of("+447911123456");
  final CoreFixture f = new CoreFixture().started();
  final List<String> trips = new ArrayList<>();

  SenderQuotasTest() {
    f.chat.telemetry(new chatgate.core.port.Telemetry() {
      @Override
      public void limitTripped(String limit) {
        trips.add(limit);
      }
    });
  }

  @AfterEach
  void close() {
    f.close();
  }

  private void quotas(int perMinute, int daily, int segments) {
    f.chat.limits(Destinations.of(List.of("CN")), new SenderQuotas.Settings(perMinute, daily, segments), 4);
  }

  private static Rejected rejected(SendResult r) {
    assertThat(r).isInstanceOf(Rejected.class);
    return (Rejected) r;
  }

  @Test
  void threeHundredMessagesToOneNumberStopAtThePerMinuteQuota() {
    quotas(20, 1000, 200);
    List<SendResult> results = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      results.add(f.chat.send(A, B.e164(), "hi " + i, Origin.WEB, null));
    }
    assertThat(results.stream().filter(SendResult.Sent.class::isInstance)).hasSize(20);
    Rejected first = rejected(results.get(20));
    assertThat(first.problem()).isEqualTo(Problem.OVER_QUOTA);
    assertThat(first.detail()).isEqualTo("1"); // minutes until it resets
    assertThat(first.repeated()).isFalse();
    assertThat(rejected(results.get(21)).repeated()).isFalse(); // told on the page: no SMS answer to spare
    // By SMS: told once per window, since each answer is an SMS too.
    Rejected bySms = rejected(f.chat.send(A, B.e164(), "by sms", Origin.SMS, null));
    assertThat(bySms.repeated()).isFalse();
    assertThat(rejected(f.chat.send(A, B.e164(), "again", Origin.SMS, null)).repeated()).isTrue();
    f.settle();
    assertThat(f.sms.sentTo(B)).hasSize(20);
    assertThat(trips).hasSize(282).containsOnly("sender_per_minute");
    f.clock.advance(Duration.ofMinutes(1));
    assertThat(f.chat.send(A, B.e164(), "next minute", Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
  }

  @Test
  void twoHundredNewNumbersInASecondStopAtThePerMinuteQuota() {
    quotas(20, 1000, 200);
    int sent = 0;
    for (int i = 0; i < 200; i++) {
      if (f.chat.send(A, String.format("+86139%08d", i), "hi", Origin.SMS, null) instanceof SendResult.Sent) {
        sent++;
      }
    }
    assertThat(sent).isEqualTo(20);
    f.settle();
    assertThat(f.sms.sent()).hasSize(20);
    // Refused sends store nothing: no user rows for the numbers either.
    assertThat(f.users.find(Msisdn.of("+8613900000150"))).isEmpty();
  }

  @Test
  void theDailySegmentsCountOnlyCopiesThatGoBySms() {
    quotas(1000, 1000, 8);
    String fourSegments = "x".repeat(590);
    assertThat(f.chat.send(A, B.e164(), fourSegments, Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    assertThat(f.chat.send(A, B.e164(), fourSegments, Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    Rejected r = rejected(f.chat.send(A, B.e164(), fourSegments, Origin.WEB, null));
    assertThat(r.problem()).isEqualTo(Problem.OVER_QUOTA);
    assertThat(r.detail()).isEqualTo(Long.toString(Duration.ofHours(14).toMinutes())); // at 10:00 UTC
    // C has the page open: the copy to C costs no SMS.
    f.presence.pageFetched(C, f.clock.instant());
    assertThat(f.chat.send(A, C.e164(), fourSegments, Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    assertThat(trips).containsExactly("sender_daily_segments");
  }

  @Test
  void theDailyQuotaCountsMessagesAlreadyStoredNotMemory() {
    quotas(1000, 5, 1000);
    for (int i = 0; i < 5; i++) {
      assertThat(f.chat.send(A, B.e164(), "m" + i, Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    }
    // Another node (or this one after a restart) with nothing in memory derives the count from the rows.
    ChatService other = new ChatService(f.users, f.groups, f.store, f.presence,
        new chatgate.core.ids.SnowflakeIds(2, f.clock), f.numbers, f.clock, f.chatSettings, f.keys);
    other.limits(Destinations.of(List.of("CN")), new SenderQuotas.Settings(1000, 5, 1000), 4);
    assertThat(rejected(other.send(A, C.e164(), "sixth", Origin.SMS, null)).problem()).isEqualTo(Problem.OVER_QUOTA);
    // A form posted again is the same message: it costs nothing more.
    quotas(1000, 8, 1000);
    assertThat(f.chat.send(A, B.e164(), "once", Origin.WEB, "web:nonce1")).isInstanceOf(SendResult.Sent.class);
    assertThat(((SendResult.Sent) f.chat.send(A, B.e164(), "once", Origin.WEB, "web:nonce1")).duplicate()).isTrue();
    assertThat(f.chat.send(A, B.e164(), "seventh", Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    assertThat(f.chat.send(A, B.e164(), "eighth", Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
    assertThat(rejected(f.chat.send(A, B.e164(), "ninth", Origin.WEB, null)).problem()).isEqualTo(Problem.OVER_QUOTA);
  }

  @Test
  void chatToANumberOutsideTheAllowedDestinationsIsRefused() {
    Rejected r = rejected(f.chat.send(A, "+44 7911 123456", "hi", Origin.WEB, null));
    assertThat(r.problem()).isEqualTo(Problem.DENIED_DESTINATION);
    assertThat(r.detail()).isEqualTo("+447911123456");
    assertThat(f.users.find(UK)).isEmpty();
    assertThat(trips).containsExactly("sms_destination");
    f.chat.limits(Destinations.of(List.of("CN", "+4479")), SenderQuotas.Settings.unlimited(), 4);
    assertThat(f.chat.send(A, "+44 7911 123456", "hi", Origin.WEB, null)).isInstanceOf(SendResult.Sent.class);
  }

  @Test
  void groupMembersOutsideTheAllowedDestinationsAreKeptForThePage() {
    f.groups.create(new Group(GroupId.of("family"), "Family", Set.of(A, B, UK)));
    SendResult.Sent s = (SendResult.Sent) f.chat.send(A, "family", "dinner", Origin.WEB, null);
    f.settle();
    assertThat(f.sms.sentTo(B)).hasSize(1);
    assertThat(f.sms.sentTo(UK)).isEmpty();
    assertThat(f.store.deliveriesOf(s.message().id())).filteredOn(d -> d.recipient().equals(UK))
        .singleElement().satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.KEPT));
  }

  @Test
  void sendsmsToADeniedNumberIsRefusedAsKannelDoesAndStoresNothing() {
    SendsmsService sendsms = new SendsmsService(f.chat, new MemoryDlrCallbacks(), url -> {}, f.clock,
        new SendsmsService.Settings("10658", 3, "smsc", "gw"), id -> true);
    SendsmsService.Outcome o = sendsms.submit(chatgate.core.api.SendsmsRequest.of(List.of(B, UK), "hi"));
    assertThat(o).isEqualTo(new SendsmsService.Outcome.Refused("Number(s) has/have been denied.", 403));
    assertThat(f.chat.plainSms(UK, "hi", null, m -> {})).isInstanceOf(Rejected.class);
    f.settle();
    assertThat(f.sms.sent()).isEmpty();
    assertThat(f.store.count(DeliveryState.PENDING) + f.store.count(DeliveryState.SENT)).isZero();
  }
}
