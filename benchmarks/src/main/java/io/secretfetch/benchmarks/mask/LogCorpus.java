package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.internal.DerivedForms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/** Deterministic secrets and log text shared by the masker benchmarks. */
final class LogCorpus {

  static final int LINE_LENGTH = 120;
  static final int LINES = 500;
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String[] WORDS = {"processed", "order", "customer", "payment", "retry",
      "cache", "hit", "miss", "latency", "ms", "request", "GET", "/api/v1/orders", "status=200",
      "user=alice", "tenant=acme", "trace=", "span=", "queue", "depth", "worker", "done", "bytes"};

  private LogCorpus() {}

  /** {@code count} distinct 32-character API-key-like secrets. */
  static List<String> secrets(int count) {
    Random random = new Random(42);
    List<String> secrets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      secrets.add(randomToken(random, 32));
    }
    return secrets;
  }

  /** {@link #LINES} log lines of {@link #LINE_LENGTH} characters; one carries {@code secret}. */
  static String[] lines(String secret) {
    Random random = new Random(7);
    String[] lines = new String[LINES];
    for (int i = 0; i < LINES; i++) {
      StringBuilder line = new StringBuilder(LINE_LENGTH);
      line.append("2025-11-22T16:02:").append(10 + i % 50).append(".123Z INFO  [worker-")
          .append(i % 8).append("] io.example.PaymentService - ");
      if (i == LINES / 2) {
        line.append("auth with ").append(secret).append(' ');
      }
      while (line.length() < LINE_LENGTH) {
        line.append(WORDS[random.nextInt(WORDS.length)]).append(' ')
            .append(randomToken(random, 1 + random.nextInt(8))).append(' ');
      }
      line.setLength(LINE_LENGTH);
      lines[i] = line.toString();
    }
    return lines;
  }

  /** One string of at least {@code bytes} characters without a line break, one hit per 500 lines. */
  static String longLine(String secret, int bytes) {
    String[] lines = lines(secret);
    StringBuilder text = new StringBuilder(bytes + LINE_LENGTH);
    while (text.length() < bytes) {
      for (String line : lines) {
        text.append(line).append(' ');
      }
    }
    return text.toString();
  }

  /** A java.util.regex alternation of the quoted forms of {@code secrets}, longest first. */
  static Pattern alternation(List<String> secrets, int minLength) {
    Map<String, Boolean> forms = new HashMap<>();
    for (String secret : secrets) {
      DerivedForms.addTo(forms, secret, minLength);
    }
    List<String> sorted = new ArrayList<>(forms.keySet());
    sorted.sort((a, b) -> b.length() - a.length());
    StringBuilder regex = new StringBuilder();
    for (String form : sorted) {
      if (regex.length() > 0) {
        regex.append('|');
      }
      regex.append(Pattern.quote(form));
    }
    return Pattern.compile(regex.toString());
  }

  private static String randomToken(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALNUM.charAt(random.nextInt(ALNUM.length()));
    }
    return new String(chars);
  }
}
