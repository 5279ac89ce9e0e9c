package chatgate.web.view;

import java.util.List;

/** {@code /sim/}: the virtual handsets of the built-in SMSC simulator. */
public record SimView(Common c, String serviceNumber, List<Handset> handsets, String from) {
  public record Handset(String number, List<Sms> inbox) {}

  /**
   * One SMS; {@code link} is the URL it carries (a reply link, or a WAP Push href), to click;
   * {@code sent}: the handset sent it (to {@code from}, the service number), else it received it.
   */
  public record Sms(String from, String text, String link, boolean wapPush, String time, boolean sent) {}
}
