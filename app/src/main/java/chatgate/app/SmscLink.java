package chatgate.app;

import chatgate.app.config.Config;
import chatgate.core.auth.Tokens;
import chatgate.sms.sim.SmscSimulator;
import chatgate.sms.smpp.MessageIds;
import chatgate.sms.smpp.SmppSettings;
import chatgate.web.SimGate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMPP link the gateway binds: to the SMSC of {@code [smpp]}, or to the built-in SMSC
 * simulator it starts first (the demo's default), with a bind password nobody else knows.
 *
 * @param simulator null when a real SMSC is configured
 */
record SmscLink(SmscSimulator simulator, SmppSettings settings) {
  private static final Logger log = LoggerFactory.getLogger(SmscLink.class);
  /** The system id the gateway binds to its built-in SMSC with; the password is per start (simPassword). */
  static final String SIM_SYSTEM_ID = "chatgate";
  /** SMPP bind passwords hold at most 8 characters (SMPP 3.4, 5.2.3). */
  static final int SMPP_PASSWORD_MAX = 8;

  /** Starts the simulator when no SMSC is configured; {@code onFailure} runs before a start failure is thrown. */
  static SmscLink of(Config c, Clock clock, Runnable onFailure) {
    if (!c.smpp().simulated()) {
      return new SmscLink(null, settings(c, c.smpp().host(), c.smpp().port(), c.smpp().systemId(), c.smpp().password()));
    }
    warnIfExposed(c);
    String simPassword = simBindPassword(c.simulator().password());
    SmscSimulator simulator;
    try {
      simulator = new SmscSimulator(c.simulator().host(), c.simulator().port(), SIM_SYSTEM_ID, simPassword,
          c.sms().serviceNumber(), clock).start();
    } catch (IOException e) {
      onFailure.run();
      throw new IllegalStateException("cannot start the SMSC simulator on " + c.simulator().host() + ":"
          + c.simulator().port() + " ([simulator] listen): " + e.getMessage(), e);
    }
    return new SmscLink(simulator, settings(c, c.simulator().host(), simulator.port(), SIM_SYSTEM_ID, simPassword));
  }

  /**
   * The built-in SMSC's bind password: {@code [simulator] password} when it fits SMPP's 8
   * characters, else a random one drawn at each start (only this process binds to it), so nobody
   * else can bind with a password written in the source.
   */
  static String simBindPassword(String configured) {
    if (!configured.isEmpty() && configured.length() <= SMPP_PASSWORD_MAX) {
      return configured;
    }
    if (!configured.isEmpty()) {
      log.info("[simulator] password is longer than SMPP's {} characters: it guards /sim/ only; the built-in"
          + " SMSC's bind password is drawn at random for this start", SMPP_PASSWORD_MAX);
    }
    return Tokens.random(SMPP_PASSWORD_MAX);
  }

  /**
   * The simulator hands out every login code and reply link and takes MO as any number: said loudly
   * when it can be reached from elsewhere (issue 15).
   */
  private static void warnIfExposed(Config c) {
    if (!SimGate.loopback(c.http().host())) {
      log.warn("THE SMSC SIMULATOR IS RUNNING WITH A NON-LOOPBACK HTTP LISTENER ({}): /sim/ shows every login code"
          + " and reply link; it is {}. Set [smpp] host for a real SMSC, or listen on 127.0.0.1.", c.http().host(),
          c.simulator().password().isEmpty() ? "refused there (no [simulator] password)"
              : "open there to user sim with [simulator] password");
    }
    if (!SimGate.loopback(c.simulator().host())) {
      log.warn("THE SMSC SIMULATOR LISTENS FOR SMPP ON A NON-LOOPBACK ADDRESS ({}:{}): anyone who reaches it with"
          + " the bind password can send and receive as the gateway. Use [simulator] listen = \"127.0.0.1:2775\".",
          c.simulator().host(), c.simulator().port());
    }
  }

  static SmppSettings settings(Config c, String host, int port, String systemId, String password) {
    Config.Smpp p = c.smpp();
    return new SmppSettings(host, port, systemId, password, p.systemType(), p.bind().equals("transceiver"),
        p.throughput(), p.window(), p.enquireLink(), p.reconnectDelay(), MessageIds.of(p.msgIdType()),
        p.sourceTon(), p.sourceNpi(), p.destTon(), p.destNpi(), c.sms().serviceNumber(), p.imsiTlv(),
        Duration.ofSeconds(10));
  }
}
