package chatgate.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.memory.MemoryMoPartStore;
import chatgate.core.model.Msisdn;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsInbound;
import chatgate.core.port.SmsPort.OutboundSms;
import chatgate.core.port.SmsPort.SubmitOutcome;
import chatgate.core.sms.MoReassembler;
import chatgate.sms.codec.SmsCodec;
import chatgate.sms.peer.NodeSmsc;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMPP adapter against an SMSC nobody here wrote: the npm {@code smpp} package (0.5.1, pinned
 * by sms/src/test/node/package-lock.json), driven through {@link NodeSmsc}. The peer reports the
 * raw octets it received and its own decoding of them.
 */
class SmppAgainstNodeSmscIT {
  static final chatgate.core.auth.Keys KEYS = chatgate.core.auth.Keys.random();
  static final HexFormat HEX = HexFormat.of();
  static final Msisdn PHONE = Msisdn.of("+8613800000021");

  NodeSmsc smsc;
  SmppSmsPort esme;
  final List<SmsInbound.MobileOriginated> mos = new CopyOnWriteArrayList<>();
  final List<SmsInbound.DeliveryReport> dlrs = new CopyOnWriteArrayList<>();
  /** While set, storing an MO fails (the store is down). */
  volatile boolean storeDown;
  /** Receipts to answer with "too early" before taking one. */
  final java.util.concurrent.atomic.AtomicInteger tooEarly = new java.util.concurrent.atomic.AtomicInteger();

  @TempDir
  Path dir;

  SmppSmsPort connect(String password, boolean trx, String msgIdType, int throughput) {
    SmppSettings s = new SmppSettings(NodeSmsc.HOST, smsc.port(), NodeSmsc.SYSTEM_ID, password, "", trx, throughput,
        10, Duration.ofSeconds(30), Duration.ofMillis(300), MessageIds.of(msgIdType), -1, -1, 1, 1, "10658", 0,
        Duration.ofSeconds(10));
    SmppSmsPort p = new SmppSmsPort(s, new NumberPlan("CN"), Clock.systemUTC(), KEYS);
    SmsInbound sink = new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        if (storeDown) {
          throw new IllegalStateException("store down");
        }
        mos.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {
        if (tooEarly.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new SmsInbound.TooEarly("its submit is still under way");
        }
        dlrs.add(report);
      }
    };
    p.inbound(sink, new MoReassembler(new MemoryMoPartStore(), sink, Clock.systemUTC(), Duration.ofMinutes(2), KEYS));
    p.start();
    return p;
  }

  void startBound(boolean trx, String msgIdType, String... smscArgs) {
    smsc = NodeSmsc.start(smscArgs);
    esme = connect(NodeSmsc.PASSWORD, trx, msgIdType, 500);
    await().atMost(Duration.ofSeconds(10)).until(esme::bound);
  }

  SubmitOutcome send(String ref, String text) throws Exception {
    return esme.submit(new OutboundSms(ref, PHONE, text, Optional.empty(), false)).toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (esme != null) {
      esme.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  static String sha16(String text) throws Exception {
    return HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
  }

  @Test
  @DisplayName("issue 15: MO refs hold no number and no unkeyed hash of the text; the same login SMS twice gets two random refs")
  void imPasswordsAreNotDerivableFromMoRefs() throws Exception {
    startBound(true, "hex");
    List<String> texts = List.of("LOGIN alice hunter2", "LOGIN alice hunter2", "账号：alice；密码：hunter2",
        "账号：alice；密码：hunter2", "hello there");
    for (String t : texts) {
      int n = mos.size() + 1;
      smsc.mo("8613800000021", "10658", 8, 0, t.getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
      await().atMost(Duration.ofSeconds(10)).until(() -> mos.size() >= n);
    }
    List<String> refs = mos.stream().map(SmsInbound.MobileOriginated::ref).toList();
    assertThat(refs.get(0)).isNotEqualTo(refs.get(1));
    assertThat(refs.get(2)).isNotEqualTo(refs.get(3));
    for (int i = 0; i < texts.size(); i++) {
      assertThat(refs.get(i)).doesNotContain("8613800000021").doesNotContain(sha16(texts.get(i)));
    }
    // Chat text: the keyed MAC of sender, text and slot, which no one without the key can compute.
    SmsInbound.MobileOriginated chat = mos.get(4);
    Msisdn from = Msisdn.of("+8613800000021");
    assertThat(chat.ref()).isEqualTo(new MoRefs(KEYS).ofText(from, "hello there", chat.receivedAt()))
        .isNotEqualTo(new MoRefs(chatgate.core.auth.Keys.random()).ofText(from, "hello there", chat.receivedAt()));
  }

  @Test
  @DisplayName("issue 15: a deliver_sm whose message_payload is over 32 KiB is answered ESME_RINVMSGLEN; the bind goes on")
  void anOversizedMessagePayloadIsAnsweredAndTheBindSurvives() {
    startBound(true, "hex");
    byte[] huge = new byte[33_000];
    java.util.Arrays.fill(huge, (byte) 'a');
    JsonNode big = smsc.mo("8613800000021", "10658", 0, 0, new byte[0],
        java.util.Map.of("message_payload", java.util.Map.of("hex", HEX.formatHex(huge))));
    JsonNode resp = smsc.await("deliver_sm_resp", e -> e.get("session").asInt() == big.get("session").asInt()
        && e.get("sequence").asInt() == big.get("sequence").asInt(), Duration.ofSeconds(10));
    assertThat(resp.get("command_status").asInt()).isEqualTo(0x01); // ESME_RINVMSGLEN
    smsc.mo("8613800000021", "10658", 0, 0, SmsCodec.gsm7("canary after the payload"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("canary after the payload"));
    assertThat(smsc.events("bind")).hasSize(1); // the same bind throughout
  }

  @Test
  @DisplayName("issue 15: a PDU claiming 2 GiB is refused with generic_nack, the bind is back within seconds, nothing after it lost")
  void anAbsurdCommandLengthIsRefusedAndTheBindComesBack() {
    startBound(true, "hex");
    int session = smsc.events("bind").getFirst().get("session").asInt();
    smsc.command(java.util.Map.of("cmd", "raw", "session", session,
        "hex", "7ffffff0" + "00000005" + "00000000" + "00000042" + "00".repeat(64)));
    JsonNode nack = smsc.await("generic_nack", e -> e.get("session").asInt() == session, Duration.ofSeconds(10));
    assertThat(nack.get("command_status").asInt()).isEqualTo(0x02); // ESME_RINVCMDLEN
    await().atMost(Duration.ofSeconds(10)).until(() -> smsc.events("bind").size() == 2 && esme.bound());
    smsc.mo("8613800000021", "10658", 0, 0, SmsCodec.gsm7("canary after the lie"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("canary after the lie"));
  }

  @Test
  @DisplayName("issue 16: an MO whose text is only in message_payload (sm_length 0) is read")
  void anMoInMessagePayloadIsRead() {
    startBound(true, "hex");
    smsc.mo("8613800000021", "10658", 8, 0, new byte[0], java.util.Map.of("message_payload",
        java.util.Map.of("hex", HEX.formatHex("账号在载荷里 hello".getBytes(java.nio.charset.StandardCharsets.UTF_16BE)))));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("账号在载荷里 hello"));
  }

  /** The answer (data_sm_resp) the peer got for the data_sm it sent. */
  JsonNode dataSmResp(JsonNode sent) {
    return smsc.await("data_sm_resp", e -> e.path("session").asInt() == sent.path("session").asInt()
        && e.path("sequence").asInt() == sent.path("sequence").asInt(), Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("issue 16: an MO sent as data_sm (text in message_payload) is read and answered data_sm_resp once stored")
  void anMoSentAsDataSmIsReadAndAnsweredOnceStored() {
    startBound(true, "hex");
    storeDown = true;
    JsonNode refused = smsc.dataSm("8613800000021", "10658", 8, 0,
        "不在 short_message 里".getBytes(java.nio.charset.StandardCharsets.UTF_16BE), java.util.Map.of());
    assertThat(dataSmResp(refused).path("command_status").asInt()).as("not stored: try again").isEqualTo(0x64);
    assertThat(mos).isEmpty();
    storeDown = false;
    JsonNode sent = smsc.dataSm("8613800000021", "10658", 8, 0,
        "不在 short_message 里".getBytes(java.nio.charset.StandardCharsets.UTF_16BE), java.util.Map.of());
    assertThat(dataSmResp(sent).path("command_status").asInt()).isZero();
    assertThat(mos).singleElement().satisfies(mo -> {
      assertThat(mo.text()).isEqualTo("不在 short_message 里");
      assertThat(mo.from()).isEqualTo(PHONE);
      assertThat(mo.to()).isEqualTo("10658");
    });
    assertThat(smsc.events("unsupported")).isEmpty();
  }

  @Test
  @DisplayName("issue 16: a data_sm whose message_payload is over 32 KiB is answered ESME_RINVMSGLEN; the bind goes on")
  void anOversizedDataSmIsAnsweredAndTheBindSurvives() {
    startBound(true, "hex");
    byte[] huge = new byte[33_000];
    java.util.Arrays.fill(huge, (byte) 'a');
    JsonNode big = smsc.dataSm("8613800000021", "10658", 0, 0, huge, java.util.Map.of());
    assertThat(dataSmResp(big).path("command_status").asInt()).isEqualTo(0x01); // ESME_RINVMSGLEN
    JsonNode canary = smsc.dataSm("8613800000021", "10658", 0, 0,
        "canary after the payload".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.util.Map.of());
    assertThat(dataSmResp(canary).path("command_status").asInt()).isZero();
    assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("canary after the payload");
  }

  @Test
  @DisplayName("issue 16: a delivery receipt sent as data_sm (receipted_message_id, message_state) is read")
  void aReceiptSentAsDataSmIsRead() throws Exception {
    startBound(true, "hex", "--msg-id", "hex", "--no-dlr");
    String id = ((SubmitOutcome.Accepted) send("d1", "receipt by data_sm")).smscIds().getFirst();
    String smscId = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5)).get("message_id").asText();
    JsonNode sent = smsc.dataSm("8613800000021", "10658", 0, 0x04, new byte[0],
        java.util.Map.of("receipted_message_id", smscId, "message_state", 2));
    assertThat(dataSmResp(sent).path("command_status").asInt()).isZero();
    assertThat(dlrs).singleElement().satisfies(d -> {
      assertThat(d.smscId()).isEqualTo(id);
      assertThat(d.delivered()).isTrue();
    });
  }

  @Test
  @DisplayName("issue 16: a deliver_sm receipt identified only by the receipted_message_id TLV (no id in its text) is read")
  void aReceiptIdentifiedOnlyByItsTlvIsRead() throws Exception {
    startBound(true, "dec", "--msg-id", "dec", "--no-dlr");
    String id = ((SubmitOutcome.Accepted) send("t2", "receipt by TLV")).smscIds().getFirst();
    String smscId = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5)).get("message_id").asText();
    smsc.command(java.util.Map.of("cmd", "dlr", "message_id", smscId, "stat", "UNDELIV", "text", "",
        "source_addr", "8613800000021", "source_addr_ton", 1, "source_addr_npi", 1));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dlrs).singleElement().satisfies(d -> {
      assertThat(d.smscId()).isEqualTo(id);
      assertThat(d.delivered()).isFalse();
      assertThat(d.status()).isEqualTo("UNDELIV");
    }));
    assertThat(smsc.events("deliver_sm_resp")).extracting(e -> e.get("command_status").asInt()).containsExactly(0);
  }

  @Test
  @DisplayName("P1.10: binds as transceiver; an MT in GSM 7-bit arrives with the right octets, TON/NPI and a receipt request")
  void transceiverGsmText() throws Exception {
    startBound(true, "hex");
    assertThat(smsc.events("bind")).anySatisfy(b -> assertThat(b.get("mode").asText()).isEqualTo("transceiver"));
    SubmitOutcome o = send("g1", "Hello");
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    JsonNode sm = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    assertThat(sm.get("short_message_hex").asText()).isEqualTo("48656c6c6f");
    assertThat(sm.get("data_coding").asInt()).isZero();
    assertThat(sm.get("destination_addr").asText()).isEqualTo("8613800000021");
    assertThat(sm.get("dest_addr_ton").asInt()).isEqualTo(1);
    assertThat(sm.get("dest_addr_npi").asInt()).isEqualTo(1);
    assertThat(sm.get("source_addr").asText()).isEqualTo("10658");
    assertThat(sm.get("registered_delivery").asInt() & 1).isEqualTo(1);
  }

  @Test
  @DisplayName("binds as transmitter + receiver: MT on one, MO on the other")
  void transmitterPlusReceiver() throws Exception {
    startBound(false, "hex");
    assertThat(smsc.events("bind")).extracting(b -> b.get("mode").asText())
        .contains("transmitter", "receiver");
    assertThat(send("t1", "via tx")).isInstanceOf(SubmitOutcome.Accepted.class);
    smsc.mo("8613900000001", "10658", 0, 0, SmsCodec.gsm7("via rx"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactly("via rx"));
  }

  @Test
  @DisplayName("extension characters travel as ESC pairs; the peer's own GSM decoder reads them back")
  void gsmExtensionCharacters() throws Exception {
    startBound(true, "hex");
    send("e1", "price: 5€ [ok] {x}");
    JsonNode sm = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    assertThat(sm.get("short_message_hex").asText())
        .isEqualTo("70726963653a20351b65201b3c6f6b1b3e201b28781b29");
    assertThat(sm.get("text").asText()).isEqualTo("price: 5€ [ok] {x}");
  }

  @Test
  @DisplayName("Chinese goes as UCS-2 (data_coding 8); a long Chinese text as 67-unit parts with one reference")
  void chineseUcs2AndLong() throws Exception {
    startBound(true, "hex");
    send("z1", "李雷：晚上八点见");
    JsonNode one = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    assertThat(one.get("data_coding").asInt()).isEqualTo(8);
    assertThat(one.get("text").asText()).isEqualTo("李雷：晚上八点见");
    assertThat(one.get("short_message_hex").asText()).isEqualTo(HEX.formatHex("李雷：晚上八点见".getBytes(java.nio.charset.StandardCharsets.UTF_16BE)));
    String longZh = "一二三四五六七八九十".repeat(10);
    SubmitOutcome o = send("z2", longZh);
    assertThat(((SubmitOutcome.Accepted) o).smscIds()).hasSize(2);
    List<JsonNode> parts = smsc.awaitCount("submit_sm", 3, Duration.ofSeconds(5)).subList(1, 3);
    StringBuilder back = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      byte[] sm = HEX.parseHex(parts.get(i).get("short_message_hex").asText());
      assertThat(parts.get(i).get("esm_class").asInt() & 0x40).isEqualTo(0x40);
      assertThat(sm[0]).isEqualTo((byte) 5);
      assertThat(sm[4]).isEqualTo((byte) 2);
      assertThat(sm[5]).isEqualTo((byte) (i + 1));
      assertThat(sm[3]).isEqualTo(HEX.parseHex(parts.get(0).get("short_message_hex").asText())[3]);
      back.append(new String(sm, 6, sm.length - 6, java.nio.charset.StandardCharsets.UTF_16BE));
    }
    assertThat(back.toString()).isEqualTo(longZh);
  }

  @Test
  @DisplayName("a long GSM MT arrives as 153 + 47 septet segments, each asking for a receipt")
  void longGsmSegments() throws Exception {
    startBound(true, "hex");
    SubmitOutcome o = send("l1", "A".repeat(200));
    assertThat(((SubmitOutcome.Accepted) o).smscIds()).hasSize(2);
    List<JsonNode> parts = smsc.awaitCount("submit_sm", 2, Duration.ofSeconds(5));
    assertThat(parts.get(0).get("udh_hex").asText()).matches("050003..0201");
    assertThat(parts.get(1).get("udh_hex").asText()).matches("050003..0202");
    assertThat(HEX.parseHex(parts.get(0).get("short_message_hex").asText())).hasSize(6 + 153);
    assertThat(HEX.parseHex(parts.get(1).get("short_message_hex").asText())).hasSize(6 + 47);
    assertThat(parts).allSatisfy(p -> assertThat(p.get("registered_delivery").asInt() & 1).isEqualTo(1));
  }

  @Test
  @DisplayName("P1.6: a single MO and a concatenated MO (parts out of order, 8- and 16-bit refs), GSM and UCS-2")
  void mobileOriginated() {
    startBound(true, "hex");
    smsc.mo("8613900000001", "10658", 8, 0, "你好".getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
    byte[] p1 = concat("0500034a0201", SmsCodec.gsm7("Hello "));
    byte[] p2 = concat("0500034a0202", SmsCodec.gsm7("world"));
    smsc.mo("8613900000002", "10658", 0, 0x40, p2);
    smsc.mo("8613900000002", "10658", 0, 0x40, p1);
    byte[] q1 = concat("06080412340201", "长".getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
    byte[] q2 = concat("06080412340202", "城".getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
    smsc.mo("8613900000003", "10658", 8, 0x40, q1);
    smsc.mo("8613900000003", "10658", 8, 0x40, q2);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mos).extracting(SmsInbound.MobileOriginated::text).containsExactlyInAnyOrder("你好", "Hello world", "长城"));
    assertThat(mos).extracting(m -> m.from().e164())
        .containsExactlyInAnyOrder("+8613900000001", "+8613900000002", "+8613900000003");
    // Each PDU was answered only after it was handed over, with status 0.
    List<JsonNode> resps = smsc.awaitCount("deliver_sm_resp", 5, Duration.ofSeconds(5));
    assertThat(resps).allSatisfy(r -> assertThat(r.get("command_status").asInt()).isZero());
  }

  @Test
  @DisplayName("delivery receipts correlate by message id when the SMSC writes ids in hex")
  void receiptsHex() throws Exception {
    startBound(true, "hex", "--msg-id", "hex");
    SubmitOutcome o = send("h1", "receipt please");
    String id = ((SubmitOutcome.Accepted) o).smscIds().getFirst();
    JsonNode sm = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    assertThat(id).isEqualTo(MessageIds.of("hex").fromSubmit(sm.get("message_id").asText()));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dlrs).singleElement().satisfies(d -> {
          assertThat(d.smscId()).isEqualTo(id);
          assertThat(d.delivered()).isTrue();
          // What settles an SMS a crash left in doubt (ADR 0011): the handset and the quoted text.
          assertThat(d.handset()).contains(PHONE);
          assertThat(d.text()).contains("receipt please");
        }));
  }

  @Test
  @DisplayName("ADR 0011: a receipt answered 'too early' (0x64) is repeated by the SMSC and then taken")
  void aTooEarlyReceiptIsRepeated() throws Exception {
    tooEarly.set(1);
    startBound(true, "hex", "--msg-id", "hex");
    SubmitOutcome o = send("t1", "early receipt");
    String id = ((SubmitOutcome.Accepted) o).smscIds().getFirst();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dlrs).singleElement().satisfies(d -> assertThat(d.smscId()).isEqualTo(id)));
    assertThat(smsc.events("deliver_sm_resp")).extracting(e -> e.get("command_status").asInt()).containsExactly(0x64, 0);
    assertThat(smsc.events("dlr_retry")).hasSize(1);
  }

  @Test
  @DisplayName("delivery receipts correlate when ids are decimal; an UNDELIV receipt is a failure")
  void receiptsDecimal() throws Exception {
    startBound(true, "dec", "--msg-id", "dec", "--no-dlr");
    SubmitOutcome o = send("d1", "decimal ids");
    String id = ((SubmitOutcome.Accepted) o).smscIds().getFirst();
    JsonNode sm = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    String raw = sm.get("message_id").asText();
    assertThat(raw).matches("[0-9]+");
    smsc.dlr(raw, "UNDELIV", "8613800000021", "10658");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dlrs).singleElement().satisfies(d -> {
          assertThat(d.smscId()).isEqualTo(id);
          assertThat(d.delivered()).isFalse();
          assertThat(d.status()).isEqualTo("UNDELIV");
        }));
    // A repeated receipt is handed over again; the delivery stage ignores a state it already has.
    smsc.dlr(raw, "UNDELIV", "8613800000021", "10658");
    await().atMost(Duration.ofSeconds(10)).until(() -> dlrs.size() == 2);
  }

  @Test
  @DisplayName("ESME_RTHROTTLED is a retry, never a failure, and the bind slows down")
  void throttled() throws Exception {
    startBound(true, "hex", "--throttle", "2");
    List<SubmitOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      outcomes.add(send("th" + i, "burst " + i));
    }
    assertThat(outcomes).filteredOn(o -> o instanceof SubmitOutcome.Accepted).hasSizeGreaterThanOrEqualTo(2);
    assertThat(outcomes).noneMatch(o -> o instanceof SubmitOutcome.Failed);
    assertThat(outcomes).filteredOn(o -> o instanceof SubmitOutcome.Retry)
        .allSatisfy(o -> assertThat(((SubmitOutcome.Retry) o).reason()).contains("0x58"));
    assertThat(smsc.events("submit_sm")).anySatisfy(e -> assertThat(e.get("status").asInt()).isEqualTo(0x58));
  }

  @Test
  @DisplayName("the SMSC drops the connection mid-load: the link rebinds and every message is sent")
  void droppedConnection() throws Exception {
    startBound(true, "hex");
    int n = 60;
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add("x" + i);
    }
    Thread dropper = Thread.ofVirtual().start(() -> {
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.events("submit_sm").size() >= 15);
      smsc.drop();
    });
    // What the delivery stage does: resubmit what came back "retry" until it is accepted.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      String ref = pending.getFirst();
      SubmitOutcome o = send(ref, "load " + ref);
      assertThat(o).isNotInstanceOf(SubmitOutcome.Failed.class);
      if (o instanceof SubmitOutcome.Accepted) {
        pending.removeFirst();
      } else {
        Thread.sleep(100);
      }
    }
    dropper.join();
    assertThat(pending).isEmpty();
    assertThat(smsc.events("dropped")).isNotEmpty();
    assertThat(smsc.events("bind").stream().filter(b -> b.get("ok").asBoolean()).count()).isGreaterThanOrEqualTo(2);
    List<String> texts = smsc.events("submit_sm").stream().filter(e -> e.get("status").asInt() == 0)
        .map(e -> new String(HEX.parseHex(e.get("short_message_hex").asText()))).distinct().toList();
    assertThat(texts).hasSize(n);
  }

  @Test
  @DisplayName("ADR 0011: an SMS whose gate is still committing its marker holds no window slot; the next one goes out")
  void gateOutsideTheWindow() throws Exception {
    startBound(true, "hex");
    int window = 10; // connect() binds with a window of 10
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(window);
    java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.CompletableFuture<SubmitOutcome>> slow = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < window; i++) {
        OutboundSms sms = new OutboundSms("slow" + i, PHONE, "slow " + i, Optional.empty(), false, () -> {
          entered.countDown();
          try {
            commit.await(); // a durable write that takes its time
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        slow.add(java.util.concurrent.CompletableFuture.supplyAsync(
            () -> esme.submit(sms).toCompletableFuture().join(), pool));
      }
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      // As many gates as the window is wide are open and waiting: the link must still send.
      assertThat(send("quick", "quick one")).isInstanceOf(SubmitOutcome.Accepted.class);
      assertThat(smsc.events("submit_sm")).extracting(e -> new String(HEX.parseHex(e.get("short_message_hex").asText())))
          .containsExactly("quick one");
      commit.countDown();
      for (var f : slow) {
        assertThat(f.get(20, TimeUnit.SECONDS)).isInstanceOf(SubmitOutcome.Accepted.class);
      }
    }
    assertThat(smsc.events("submit_sm")).hasSize(window + 1);
  }

  @Test
  @DisplayName("a wrong bind password: no bind, submits are retried later, the peer saw the refusal")
  void badPassword() throws Exception {
    smsc = NodeSmsc.start();
    esme = connect("wrong", true, "hex", 100);
    await().atMost(Duration.ofSeconds(10)).until(() -> !smsc.events("bind").isEmpty());
    assertThat(smsc.events("bind")).allSatisfy(b -> assertThat(b.get("ok").asBoolean()).isFalse());
    assertThat(esme.bound()).isFalse();
    assertThat(send("p1", "hi")).isInstanceOf(SubmitOutcome.Retry.class);
  }

  @Test
  @DisplayName("P2.7: a WAP Push SI taken from the SMSC peer decodes with wbxml2xml to the reply link")
  void wapPushDecodesWithLibwbxml() throws Exception {
    startBound(true, "hex");
    String href = "http://gw.example/r/AbC123xyz789";
    SubmitOutcome o = esme.submit(new OutboundSms("w1", PHONE, "Li: see you at 8", Optional.of(href), false))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(SubmitOutcome.Accepted.class);
    JsonNode sm = smsc.await("submit_sm", e -> true, Duration.ofSeconds(5));
    assertThat(sm.get("data_coding").asInt()).isEqualTo(4);
    byte[] ud = HEX.parseHex(sm.get("short_message_hex").asText());
    assertThat(HEX.formatHex(ud, 0, 7)).isEqualTo("0605040b8423f0");
    // Strip UDH (7) and the WSP push header (TID, type, headers length, content type): the rest is WBXML.
    int wbxmlStart = 7 + 3 + (ud[9] & 0xFF);
    Path in = dir.resolve("si.wbxml");
    Files.write(in, java.util.Arrays.copyOfRange(ud, wbxmlStart, ud.length));
    Path out = dir.resolve("si.xml");
    Process p = new ProcessBuilder(wbxml2xml(), "-o", out.toString(), in.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(log).isZero();
    String xml = Files.readString(out);
    assertThat(xml).contains("href=\"" + href + "\"").contains("Li: see you at 8");
  }

  static String wbxml2xml() {
    Path tool = Path.of("/usr/bin/wbxml2xml");
    if (!Files.isExecutable(tool)) {
      throw new AssertionError("/usr/bin/wbxml2xml is missing: install libwbxml2-utils (scripts/test does)");
    }
    return tool.toString();
  }

  static byte[] concat(String udhHex, byte[] body) {
    byte[] udh = HEX.parseHex(udhHex);
    byte[] all = new byte[udh.length + body.length];
    System.arraycopy(udh, 0, all, 0, udh.length);
    System.arraycopy(body, 0, all, udh.length, body.length);
    return all;
  }
}
