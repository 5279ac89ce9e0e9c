package chatgate.web.view;

/** The login page: phone number step, or code step for {@code phone}. */
public record LoginView(Common c, String phone, boolean codeStep) {}
