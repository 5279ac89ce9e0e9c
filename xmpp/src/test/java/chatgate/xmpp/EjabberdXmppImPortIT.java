package chatgate.xmpp;

import chatgate.xmpp.peer.XmppServer;

/** {@link XmppImPortIT} against Debian's ejabberd. */
class EjabberdXmppImPortIT extends XmppImPortIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.EJABBERD;
  }
}
