package chatgate.app;

import chatgate.xmpp.peer.XmppServer;

/** {@link ImInDoubtOverXmppIT} with Debian's prosody as the XMPP server. */
class ImInDoubtOverProsodyIT extends ImInDoubtOverXmppIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.PROSODY;
  }
}
