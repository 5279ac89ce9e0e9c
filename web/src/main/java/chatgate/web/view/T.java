package chatgate.web.view;

import chatgate.core.model.Language;
import chatgate.web.PageText;

/** The page's texts in its language, for templates: {@code ${v.t().s(PageText.SEND)}}. */
public record T(Language lang) {
  public String s(PageText key, Object... args) {
    return key.in(lang, args);
  }

  public String tag() {
    return lang.tag();
  }
}
