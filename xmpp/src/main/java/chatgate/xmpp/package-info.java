/** IM adapters of the {@link chatgate.core.port.ImPort}: XMPP on Smack, and the built-in IM service. */
package chatgate.xmpp;
