package chatgate.core.chat;

import chatgate.core.model.Target;

/** One line of the partner list on the chat page (P2.1): who, shown how, online or not. */
public record PartnerView(Target target, String label, boolean online, boolean group) {}
