package chatgate.xmpp;

import chatgate.xmpp.peer.XmppServer;

/** {@link XmppImPortIT} against Debian's prosody. */
class ProsodyXmppImPortIT extends XmppImPortIT {
  @Override
  XmppServer.Kind kind() {
    return XmppServer.Kind.PROSODY;
  }
}
