package chatgate.app;

import chatgate.xmpp.peer.XmppServer;

/** {@link ImOverXmppIT}: the P1 flow with Debian's ejabberd as the XMPP server. */
class ImOverEjabberdIT extends ImOverXmppIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.EJABBERD;
  }
}
