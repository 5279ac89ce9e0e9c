package chatgate.web.view;

import java.util.List;

/**
 * The page a reply link opens for a browser that is not logged in (ADR 0014): the one
 * conversation the link belongs to, from the linked message on, and a form that answers only
 * that partner or group; the way to everything else is the login.
 *
 * @param partner the label of whom the answer goes to
 * @param action where the form posts (the link itself)
 * @param watch the page that reloads itself, without the form (ADR 0038)
 */
public record ReplyView(
    Common c, String partner, boolean group, List<ChatView.Line> lines, String action, String draftText,
    String nonce, int maxChars, boolean watch) {}
