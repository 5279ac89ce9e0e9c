package chatgate.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chatgate.core.memory.MemoryMoPartStore;
import chatgate.core.model.NumberPlan;
import chatgate.core.port.SmsInbound;
import chatgate.core.sms.MoReassembler;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * SMPP PDUs fuzzed at the byte level (issue 6): a hostile SMSC, written here on a raw socket,
 * accepts the gateway's bind and then sends garbage: random bytes, headers whose length lies,
 * unknown command ids, and deliver_sm / alert / data_sm with random bodies. Each time the link
 * must survive (bind again), nothing unreadable may reach the gateway as an MO, and after the
 * whole run a well-formed deliver_sm is still taken and acknowledged.
 */
class HostileSmscFuzzIT {
  static final chatgate.core.auth.Keys KEYS = chatgate.core.auth.Keys.random();
  private static ServerSocket server;
  private static SmppSmsPort esme;
  private static final BlockingQueue<Socket> bound = new LinkedBlockingQueue<>();
  private static final List<SmsInbound.MobileOriginated> mos = new CopyOnWriteArrayList<>();
  private static volatile boolean running = true;

  @BeforeContainer
  static void start() throws IOException {
    server = new ServerSocket(0);
    Thread.ofPlatform().daemon().name("hostile-smsc").start(() -> {
      while (running) {
        try {
          Socket s = server.accept();
          s.setSoTimeout(2_000);
          int seq = readBind(s);
          writePdu(s.getOutputStream(), 0x80000009, 0, seq, "hostile\0".getBytes(StandardCharsets.US_ASCII));
          bound.add(s);
        } catch (IOException e) {
          // closed, or the ESME gave up this connection
        }
      }
    });
    // Short keep-alive and response timers: some garbage arriving during the bind leaves jSMPP's
    // session "bound" with its reader dead, and the port's silence watchdog (2 × enquire_link +
    // response timeout) is what finds it.
    SmppSettings settings = new SmppSettings("127.0.0.1", server.getLocalPort(), "gw", "secret", "", true, 100, 10,
        Duration.ofMillis(200), Duration.ofMillis(50), MessageIds.of("hex"), -1, -1, 1, 1, "10658", 0,
        Duration.ofMillis(300));
    esme = new SmppSmsPort(settings, new NumberPlan("CN"), Clock.systemUTC(), KEYS);
    SmsInbound sink = new SmsInbound() {
      @Override
      public void onMobileOriginated(MobileOriginated mo) {
        mos.add(mo);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    };
    esme.inbound(sink, new MoReassembler(new MemoryMoPartStore(), sink, Clock.systemUTC(), Duration.ofMinutes(2), KEYS));
    esme.start();
  }

  @AfterContainer
  static void stop() throws IOException {
    running = false;
    esme.close();
    server.close();
  }

  /** Reads the bind PDU (any bind) and returns its sequence number. */
  private static int readBind(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int length = in.readInt();
    int command = in.readInt();
    in.readInt();
    int seq = in.readInt();
    in.skipNBytes(length - 16);
    if (command != 0x00000009 && command != 0x00000002 && command != 0x00000001) {
      throw new IOException("expected a bind, got " + Integer.toHexString(command));
    }
    return seq;
  }

  private static void writePdu(OutputStream out, int command, int status, int seq, byte[] body) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + body.length);
    b.putInt(16 + body.length).putInt(command).putInt(status).putInt(seq).put(body);
    out.write(b.array());
    out.flush();
  }

  @Provide
  Arbitrary<byte[]> hostile() {
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    Arbitrary<Integer> command = Arbitraries.oneOf(Arbitraries.of(0x00000005, 0x00000103, 0x00000102, 0x00000015,
        0x80000004, 0x80000015, 0x00000006, 0x00000004), Arbitraries.integers());
    // A header whose length field lies (too short, too long, negative), then a random body.
    Arbitrary<byte[]> lyingHeader = Combinators.combine(Arbitraries.integers(), command, noise).as((len, cmd, body) -> {
      ByteBuffer b = ByteBuffer.allocate(16 + body.length);
      b.putInt(len).putInt(cmd).putInt(0).putInt(7).put(body);
      return b.array();
    });
    // An honest header around a random body: the body's fields are what lies.
    Arbitrary<byte[]> randomBody = Combinators.combine(command, noise).as((cmd, body) -> {
      ByteBuffer b = ByteBuffer.allocate(16 + body.length);
      b.putInt(16 + body.length).putInt(cmd).putInt(0).putInt(8).put(body);
      return b.array();
    });
    return Arbitraries.oneOf(noise, lyingHeader, randomBody);
  }

  @Property(tries = 60)
  void garbageFromTheSmscNeverBreaksTheLink(@ForAll("hostile") byte[] payload) throws Exception {
    Socket s = bound.poll(15, TimeUnit.SECONDS);
    assertThat(s).as("the ESME bound again after the previous hostile session").isNotNull();
    try (s) {
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      // Whatever the ESME answers (generic_nack, an unbind, a reset) is read and dropped.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      s.setSoTimeout(50);
      byte[] buf = new byte[4096];
      while (System.nanoTime() < until) {
        try {
          if (s.getInputStream().read(buf) < 0) {
            break;
          }
        } catch (java.net.SocketTimeoutException quiet) {
          // nothing more
        } catch (IOException reset) {
          break;
        }
      }
    }
    for (SmsInbound.MobileOriginated mo : mos) {
      assertThat(mo.from().e164()).matches("\\+[0-9]{4,15}");
    }
  }

  @Property(tries = 1)
  void afterAllThatAWellFormedMoStillArrives() throws Exception {
    Socket s = bound.poll(15, TimeUnit.SECONDS);
    assertThat(s).isNotNull();
    try (s) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(0); // service_type ""
      body.write(1);
      body.write(1);
      body.writeBytes("8613800000077\0".getBytes(StandardCharsets.US_ASCII));
      body.write(0);
      body.write(0);
      body.writeBytes("10658\0".getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(new byte[] {0, 0, 0}); // esm_class, protocol_id, priority
      body.write(0); // schedule_delivery_time ""
      body.write(0); // validity_period ""
      body.writeBytes(new byte[] {0, 0, 0, 0}); // registered_delivery, replace, data_coding, sm_default_msg_id
      byte[] text = "still here".getBytes(StandardCharsets.US_ASCII);
      body.write(text.length);
      body.writeBytes(text);
      writePdu(s.getOutputStream(), 0x00000005, 0, 4242, body.toByteArray());
      DataInputStream in = new DataInputStream(s.getInputStream());
      s.setSoTimeout(5_000);
      int command;
      int seq;
      do { // skip an enquire_link the ESME may send meanwhile
        int length = in.readInt();
        command = in.readInt();
        in.readInt();
        seq = in.readInt();
        in.skipNBytes(length - 16);
      } while (command != 0x80000005);
      assertThat(seq).isEqualTo(4242);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> mos.stream().anyMatch(m -> m.text().equals("still here")));
  }
}
