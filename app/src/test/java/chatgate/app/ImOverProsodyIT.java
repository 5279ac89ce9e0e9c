package chatgate.app;

import chatgate.xmpp.peer.XmppServer;

/** {@link ImOverXmppIT}: the P1 flow with Debian's prosody as the XMPP server. */
class ImOverProsodyIT extends ImOverXmppIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.PROSODY;
  }
}
