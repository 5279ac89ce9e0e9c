package chatgate.web.view;

/** A page that only says something (an error, mostly) and links back. */
public record MessageView(Common c, String message, String backUrl, String backLabel) {}
