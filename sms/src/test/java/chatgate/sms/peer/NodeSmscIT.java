package chatgate.sms.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Proves the node-smpp SMSC peer (smsc.js through {@link NodeSmsc}) with a bare jSMPP client, so
 * that the gateway's integration tests can trust what the peer reports: the raw octets it saw, the
 * message ids it gave, the receipts and mobile-originated messages it sends, throttling and drops.
 */
class NodeSmscIT {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String HANDSET = "8613900000001";
  static final String SHORT_CODE = "10658";

  static {
    // jSMPP logs every PDU at DEBUG; the module has no logback-test.xml of its own.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.jsmpp")).setLevel(Level.INFO);
  }

  // ---------------------------------------------------------------------------------------------
  // bind

  @Test
  void bindTransceiverWithTheRightCredentialsIsAccepted() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());

      assertThat(client.getSessionState()).isEqualTo(SessionState.BOUND_TRX);
      JsonNode bind = smsc.await("bind", e -> true, WAIT);
      assertThat(bind.path("ok").asBoolean()).isTrue();
      assertThat(bind.path("mode").asText()).isEqualTo("transceiver");
      assertThat(bind.path("system_id").asText()).isEqualTo("gw");
      assertThat(bind.path("session").isInt()).isTrue();
    }
  }

  @Test
  void bindWithAWrongPasswordIsRefusedWithInvalidPassword() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      assertThatThrownBy(() -> clients.bind(BindType.BIND_TRX, "gw", "wrong", new Received()))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(negativeStatus(e)).isEqualTo(0x0E));

      JsonNode bind = smsc.await("bind", e -> true, WAIT);
      assertThat(bind.path("ok").asBoolean()).isFalse();
      assertThat(bind.path("command_status").asInt()).isEqualTo(0x0E);
      smsc.await("close", e -> e.path("session").asInt() == bind.path("session").asInt(), WAIT);
    }
  }

  @Test
  void bindWithAnUnknownSystemIdIsRefusedWithInvalidSystemId() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      assertThatThrownBy(() -> clients.bind(BindType.BIND_TX, "nobody", "secret", null))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(negativeStatus(e)).isEqualTo(0x0F));

      JsonNode bind = smsc.await("bind", e -> true, WAIT);
      assertThat(bind.path("ok").asBoolean()).isFalse();
      assertThat(bind.path("mode").asText()).isEqualTo("transmitter");
      assertThat(bind.path("system_id").asText()).isEqualTo("nobody");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // submit_sm: raw octets, ids, receipts

  @Test
  void gsmSubmitIsReportedWithItsRawOctetsAndAHexMessageIdAndIsFollowedByAReceipt() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", received);
      byte[] hello = {0x48, 0x65, 0x6C, 0x6C, 0x6F};

      String messageId = submit(client, 0x00, 0x00, hello, true);

      JsonNode submit = smsc.await("submit_sm", e -> true, WAIT);
      assertThat(submit.path("status").asInt()).isZero();
      assertThat(submit.path("message_id").asText()).isEqualTo(messageId).matches("[0-9a-f]+");
      assertThat(submit.path("short_message_hex").asText()).isEqualTo("48656c6c6f");
      assertThat(submit.path("udh_hex").isNull()).isTrue();
      assertThat(submit.path("text").asText()).isEqualTo("Hello");
      assertThat(submit.path("data_coding").asInt()).isZero();
      assertThat(submit.path("registered_delivery").asInt()).isEqualTo(1);
      assertThat(submit.path("source_addr").asText()).isEqualTo(SHORT_CODE);
      assertThat(submit.path("destination_addr").asText()).isEqualTo(HANDSET);
      assertThat(submit.path("dest_addr_ton").asInt()).isEqualTo(1);
      assertThat(submit.path("dest_addr_npi").asInt()).isEqualTo(1);
      assertThat(submit.path("pdu_hex").asText()).endsWith("0548656c6c6f");

      DeliverSm dlr = received.awaitOne(WAIT);
      assertThat(dlr.isSmscDeliveryReceipt()).isTrue();
      assertThat(dlr.getEsmClass()).isEqualTo((byte) 0x04);
      assertThat(dlr.getSourceAddr()).isEqualTo(HANDSET);
      assertThat(dlr.getDestAddress()).isEqualTo(SHORT_CODE);
      OptionalParameter.COctetString receipted =
          (OptionalParameter.COctetString) dlr.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
      assertThat(receipted.getValueAsString()).isEqualTo(messageId);
      OptionalParameter.Byte state = (OptionalParameter.Byte) dlr.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
      assertThat(state.getValue()).isEqualTo((byte) 2);
      DeliveryReceipt receipt = dlr.getShortMessageAsDeliveryReceipt();
      assertThat(receipt.getId()).isEqualTo(messageId);
      assertThat(receipt.getFinalStatus()).isEqualTo(DeliveryReceiptState.DELIVRD);
      assertThat(new String(dlr.getShortMessage(), StandardCharsets.US_ASCII))
          .matches("id:" + messageId + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 text:Hello");

      JsonNode sent = smsc.await("dlr_sent", e -> e.path("message_id").asText().equals(messageId), WAIT);
      smsc.await("deliver_sm_resp", e -> e.path("sequence").asInt() == sent.path("sequence").asInt()
          && e.path("session").asInt() == sent.path("session").asInt() && e.path("command_status").asInt() == 0, WAIT);
    }
  }

  @Test
  void receiptOfATransmittersSubmitGoesToTheReceiverSession() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      SMPPSession tx = clients.bind(BindType.BIND_TX, "gw", "secret", null);
      clients.bind(BindType.BIND_RX, "gw", "secret", received);
      JsonNode rxBind = smsc.await("bind", e -> e.path("mode").asText().equals("receiver"), WAIT);

      String messageId = submit(tx, 0x00, 0x00, "Hi".getBytes(StandardCharsets.US_ASCII), true);

      DeliverSm dlr = received.awaitOne(WAIT);
      assertThat(dlr.getShortMessageAsDeliveryReceipt().getId()).isEqualTo(messageId);
      JsonNode sent = smsc.await("dlr_sent", e -> true, WAIT);
      assertThat(sent.path("session").asInt()).isEqualTo(rxBind.path("session").asInt());
    }
  }

  @Test
  void noReceiptIsSentWhenNotRequested() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", received);

      submit(client, 0x00, 0x00, "a".getBytes(StandardCharsets.US_ASCII), false);

      assertThat(smsc.await("submit_sm", e -> true, WAIT).path("dlr_scheduled").asBoolean()).isFalse();
      await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> received.all.isEmpty());
    }
  }

  @Test
  void noReceiptIsSentWhenDisabled() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start("--no-dlr"); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", received);

      submit(client, 0x00, 0x00, "a".getBytes(StandardCharsets.US_ASCII), true);

      JsonNode submit = smsc.await("submit_sm", e -> true, WAIT);
      assertThat(submit.path("registered_delivery").asInt()).isEqualTo(1);
      assertThat(submit.path("dlr_scheduled").asBoolean()).isFalse();
      await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> received.all.isEmpty());
      assertThat(smsc.events("dlr_sent")).isEmpty();
    }
  }

  @Test
  void ucs2SubmitIsReportedWithItsRawOctetsAndNodeSmppsOwnDecoding() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());
      byte[] nihao = "你好".getBytes(StandardCharsets.UTF_16BE);

      submit(client, 0x00, 0x08, nihao, false);

      JsonNode submit = smsc.await("submit_sm", e -> true, WAIT);
      assertThat(submit.path("data_coding").asInt()).isEqualTo(8);
      assertThat(submit.path("short_message_hex").asText()).isEqualTo("4f60597d");
      assertThat(submit.path("text").asText()).isEqualTo("你好");
    }
  }

  @Test
  void concatenatedPartIsReportedWithItsUdh() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());
      byte[] udh = {0x05, 0x00, 0x03, 0x2A, 0x02, 0x01};
      byte[] text = "part one".getBytes(StandardCharsets.US_ASCII);
      byte[] octets = new byte[udh.length + text.length];
      System.arraycopy(udh, 0, octets, 0, udh.length);
      System.arraycopy(text, 0, octets, udh.length, text.length);

      submit(client, 0x40, 0x00, octets, false);

      JsonNode submit = smsc.await("submit_sm", e -> true, WAIT);
      assertThat(submit.path("esm_class").asInt()).isEqualTo(0x40);
      assertThat(submit.path("udh_hex").asText()).isEqualTo("0500032a0201");
      assertThat(submit.path("short_message_hex").asText()).isEqualTo(HexFormat.of().formatHex(octets));
      assertThat(NodeSmsc.octets(submit, "short_message_hex")).containsExactly(octets);
      assertThat(submit.path("text").asText()).isEqualTo("part one");
    }
  }

  @Test
  void decimalMessageIdsWhenAsked() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start("--msg-id", "dec"); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());

      String first = submit(client, 0x00, 0x00, "1".getBytes(StandardCharsets.US_ASCII), false);
      String second = submit(client, 0x00, 0x00, "2".getBytes(StandardCharsets.US_ASCII), false);

      assertThat(first).matches("\\d+");
      assertThat(Long.parseLong(second)).isEqualTo(Long.parseLong(first) + 1);
      assertThat(smsc.awaitCount("submit_sm", 2, WAIT)).extracting(e -> e.path("message_id").asText())
          .containsExactly(first, second);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // throttling

  @Test
  void throttleAcceptsNPerSecondAndAnswersTheRestWithThrottled() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start("--throttle", "2"); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());
      List<String> accepted = new ArrayList<>();
      List<Integer> refused = new ArrayList<>();

      for (int i = 0; i < 5; i++) {
        try {
          accepted.add(submit(client, 0x00, 0x00, ("m" + i).getBytes(StandardCharsets.US_ASCII), false));
        } catch (NegativeResponseException e) {
          refused.add(e.getCommandStatus());
        }
      }

      assertThat(accepted).hasSize(2);
      assertThat(refused).containsExactly(0x58, 0x58, 0x58);
      List<JsonNode> submits = smsc.awaitCount("submit_sm", 5, WAIT);
      assertThat(submits).extracting(e -> e.path("status").asInt()).containsExactly(0, 0, 88, 88, 88);
      assertThat(submits).filteredOn(e -> e.path("status").asInt() == 88)
          .allSatisfy(e -> assertThat(e.path("message_id").isNull()).isTrue());
    }
  }

  @Test
  void throttleCommandChangesTheLimit() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());
      smsc.throttle(1);
      submit(client, 0x00, 0x00, "x".getBytes(StandardCharsets.US_ASCII), false);
      assertThatThrownBy(() -> submit(client, 0x00, 0x00, "y".getBytes(StandardCharsets.US_ASCII), false))
          .isInstanceOfSatisfying(NegativeResponseException.class, e -> assertThat(e.getCommandStatus()).isEqualTo(0x58));
      smsc.throttle(0);
      submit(client, 0x00, 0x00, "z".getBytes(StandardCharsets.US_ASCII), false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // commands: mo, dlr, drop

  @Test
  void moDeliversExactlyTheGivenOctetsAndReportsTheResponse() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      clients.bind(BindType.BIND_TRX, "gw", "secret", received);
      byte[] octets = HexFormat.of().parseHex("0500030102014f60597d"); // UDH + UCS-2 "你好"

      JsonNode ack = smsc.mo(HANDSET, SHORT_CODE, 0x08, 0x40, octets, Map.of("0x1401", "cafe"));

      DeliverSm mo = received.awaitOne(WAIT);
      assertThat(mo.getShortMessage()).containsExactly(octets);
      assertThat(mo.getDataCoding()).isEqualTo((byte) 0x08);
      assertThat(mo.getEsmClass()).isEqualTo((byte) 0x40);
      assertThat(mo.getSourceAddr()).isEqualTo(HANDSET);
      assertThat(mo.getSourceAddrTon()).isEqualTo((byte) 1);
      assertThat(mo.getSourceAddrNpi()).isEqualTo((byte) 1);
      assertThat(mo.getDestAddress()).isEqualTo(SHORT_CODE);
      assertThat(mo.getOptionalParameter((short) 0x1401).serialize()).endsWith(0xCA, 0xFE);
      assertThat(mo.getSequenceNumber()).isEqualTo(ack.path("sequence").asInt());
      smsc.await("mo_sent", e -> e.path("sequence").asInt() == ack.path("sequence").asInt(), WAIT);
      JsonNode resp = smsc.await("deliver_sm_resp", e -> e.path("sequence").asInt() == ack.path("sequence").asInt()
          && e.path("session").asInt() == ack.path("session").asInt(), WAIT);
      assertThat(resp.path("command_status").asInt()).isZero();
    }
  }

  @Test
  void moWithoutAReceivingSessionIsAnError() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      clients.bind(BindType.BIND_TX, "gw", "secret", null);
      assertThatThrownBy(() -> smsc.mo(HANDSET, SHORT_CODE, 0, 0, new byte[] {0x41}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no session bound as receiver or transceiver");
    }
  }

  @Test
  void dlrCommandSendsAReceiptWithTheGivenStat() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      Received received = new Received();
      clients.bind(BindType.BIND_TRX, "gw", "secret", received);

      smsc.dlr("abc123", "UNDELIV", HANDSET, SHORT_CODE);

      DeliverSm dlr = received.awaitOne(WAIT);
      assertThat(dlr.isSmscDeliveryReceipt()).isTrue();
      assertThat(dlr.getSourceAddr()).isEqualTo(HANDSET);
      assertThat(dlr.getDestAddress()).isEqualTo(SHORT_CODE);
      DeliveryReceipt receipt = dlr.getShortMessageAsDeliveryReceipt();
      assertThat(receipt.getId()).isEqualTo("abc123");
      assertThat(receipt.getFinalStatus()).isEqualTo(DeliveryReceiptState.UNDELIV);
      OptionalParameter.Byte state = (OptionalParameter.Byte) dlr.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
      assertThat(state.getValue()).isEqualTo((byte) 5);
    }
  }

  @Test
  void dropClosesTheClientsSession() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());

      assertThat(smsc.drop()).isEqualTo(1);

      await().atMost(WAIT).until(client::getSessionState, s -> s == SessionState.CLOSED);
      smsc.await("close", e -> true, WAIT);
      // the server still accepts new connections afterwards
      SMPPSession again = clients.bind(BindType.BIND_TRX, "gw", "secret", new Received());
      assertThat(again.getSessionState()).isEqualTo(SessionState.BOUND_TRX);
    }
  }

  @Test
  void enquireLinkAndUnbindAreAnswered() throws Exception {
    try (NodeSmsc smsc = NodeSmsc.start(); Clients clients = new Clients(smsc)) {
      SMPPSession client = new SMPPSession();
      client.setEnquireLinkTimer(100); // the read timeout after which jSMPP sends enquire_link
      clients.bind(client, BindType.BIND_TRX, "gw", "secret", new Received());

      smsc.await("enquire_link", e -> true, WAIT);

      client.unbindAndClose();

      smsc.await("unbind", e -> true, WAIT);
      smsc.await("close", e -> true, WAIT);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The jSMPP client sessions of a test. Declared after the NodeSmsc in try-with-resources so that
   * they unbind while the SMSC is still up.
   */
  static final class Clients implements AutoCloseable {
    final NodeSmsc smsc;
    final List<SMPPSession> sessions = new ArrayList<>();

    Clients(NodeSmsc smsc) {
      this.smsc = smsc;
    }

    SMPPSession bind(BindType type, String systemId, String password, MessageReceiverListener listener)
        throws IOException {
      return bind(new SMPPSession(), type, systemId, password, listener);
    }

    SMPPSession bind(SMPPSession session, BindType type, String systemId, String password,
        MessageReceiverListener listener) throws IOException {
      session.setTransactionTimer(5_000);
      if (listener != null) session.setMessageReceiverListener(listener);
      try {
        session.connectAndBind(NodeSmsc.HOST, smsc.port(), new BindParameter(type, systemId, password, "",
            TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 5_000);
      } catch (IOException e) {
        session.close();
        throw e;
      }
      sessions.add(session);
      return session;
    }

    @Override
    public void close() {
      for (SMPPSession s : sessions) {
        if (s.getSessionState().isBound()) s.unbindAndClose();
        else s.close();
      }
    }
  }

  /** submit_sm from the short code to the handset; returns the message id. */
  static String submit(SMPPSession client, int esmClass, int dataCoding, byte[] octets, boolean receipt)
      throws Exception {
    return client.submitShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, SHORT_CODE,
        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, HANDSET, new ESMClass(esmClass), (byte) 0, (byte) 0,
        null, null, new RegisteredDelivery(receipt ? 1 : 0), (byte) 0, DataCodings.newInstance((byte) dataCoding),
        (byte) 0, octets).getMessageId();
  }

  /** The command_status of the NegativeResponseException in the cause chain, or -1. */
  static int negativeStatus(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NegativeResponseException n) return n.getCommandStatus();
    }
    return -1;
  }

  /** Collects what the SMSC delivers (receipts and mobile-originated messages). */
  static final class Received implements MessageReceiverListener {
    final List<DeliverSm> all = new CopyOnWriteArrayList<>();

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) {
      all.add(deliverSm);
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {}

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
      return null;
    }

    DeliverSm awaitOne(Duration timeout) {
      await().atMost(timeout).until(() -> !all.isEmpty());
      return all.getFirst();
    }
  }
}
