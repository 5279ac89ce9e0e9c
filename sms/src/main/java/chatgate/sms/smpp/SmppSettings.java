package chatgate.sms.smpp;

import java.time.Duration;

/**
 * One SMPP link, from {@code [smpp]}. {@code sourceTon/Npi} of -1 mean "detect from the
 * address" (alphanumeric → 5/0, else 0/1), as Kannel's {@code source-addr-autodetect}.
 */
public record SmppSettings(
    String host,
    int port,
    String systemId,
    String password,
    String systemType,
    boolean transceiver,
    int throughput,
    int window,
    Duration enquireLink,
    Duration reconnectDelay,
    MessageIds ids,
    int sourceTon,
    int sourceNpi,
    int destTon,
    int destNpi,
    String serviceNumber,
    int imsiTlv,
    Duration responseTimeout) {

  @Override
  public String toString() {
    return "SmppSettings[" + host + ":" + port + " system_id=" + systemId + " password=*** "
        + (transceiver ? "transceiver" : "transmitter+receiver") + "]";
  }
}
