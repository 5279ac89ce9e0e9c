package chatgate.core.chat;

import java.time.Duration;

/**
 * @param maxChars longest text accepted, in characters ({@code [chat] max_chars})
 * @param retention how long an offline recipient's message is kept ({@code [sms] retention})
 * @param wapIdle no page fetch or stream for this long means not browsing ({@code [chat] wap_idle})
 * @param publicUrl base of reply links ({@code [http] public_url}), without a trailing slash
 */
public record ChatSettings(int maxChars, Duration retention, Duration wapIdle, String publicUrl) {
  public ChatSettings {
    if (maxChars < 1) {
      throw new IllegalArgumentException("max_chars must be positive");
    }
    publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  public String replyUrl(String token) {
    return publicUrl + "/r/" + token;
  }
}
