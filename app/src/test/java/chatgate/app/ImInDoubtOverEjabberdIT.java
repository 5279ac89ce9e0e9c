package chatgate.app;

import chatgate.xmpp.peer.XmppServer;

/** {@link ImInDoubtOverXmppIT} with Debian's ejabberd as the XMPP server. */
class ImInDoubtOverEjabberdIT extends ImInDoubtOverXmppIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.EJABBERD;
  }
}
