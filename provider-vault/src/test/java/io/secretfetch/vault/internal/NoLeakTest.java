package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Tokens, secret-ids and values never reach messages, logs or toString. */
class NoLeakTest {
  private static final String VALUE = "canary-value-7f3a";
  private static final String SECRET_ID = "canary-secret-id-91c2";

  @Test
  void noTokenSecretIdOrValueInAnyMessageLogOrToString() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    Level before = root.getLevel();
    root.setLevel(Level.TRACE);
    List<String> texts = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    try (VaultFixture f = new VaultFixture()) {
      f.vault.mount("secret", 2).mount("legacy", 1);
      f.vault.put("secret/app", Map.of("password", VALUE));
      f.vault.put("secret/app", Map.of("password", VALUE + "-2"));
      f.vault.deleteVersion("secret/app", 2);
      f.vault.put("legacy/app", Map.of("password", VALUE));
      f.vault.appRole("role", SECRET_ID, Duration.ofSeconds(60), Duration.ofSeconds(90));
      f.platform.put("vault/sid", SECRET_ID);
      Map<String, String> s = new HashMap<>();
      s.put("address", f.vault.address());
      s.put("approle.role-id", "role");
      s.put("approle.secret-id-ref", "platform:vault/sid");
      s.put("retry.max-attempts", "2");
      s.put("kv1-check", "read");
      VaultKvProvider p = f.provider(s);
      texts.add(p.toString());
      SecretContext ctx = SecretContext.system();
      try (SecretValue v = p.fetch(SecretRef.parse("vault:secret/app@1"), ctx)) {
        texts.add(v.toString());
        texts.add(v.metadata().toString());
      }
      for (String ref : new String[] {"vault:secret/app", "vault:secret/app@5",
          "vault:secret/none", "vault:legacy/app@3"}) {
        texts.add(failure(() -> p.fetch(SecretRef.parse(ref), ctx)));
      }
      texts.add(p.check(List.of(SecretRef.parse("vault:legacy/app"),
          SecretRef.parse("vault:secret/app")), ctx).toString());
      f.clock.advance(Duration.ofSeconds(45)); // renewal
      p.list("secret/", ctx).forEach(x -> texts.add(x.toString()));
      f.vault.revokeAll(); // re-login
      p.list("secret/", ctx);
      f.clock.advance(Duration.ofSeconds(80)); // max TTL: re-login
      p.list("legacy/", ctx);
      f.vault.sealed(true);
      texts.add(failure(() -> p.fetch(SecretRef.parse("vault:secret/app@1"), ctx)));
      f.vault.sealed(false);
      f.platform.put("vault/sid", SECRET_ID + "-wrong");
      f.vault.revokeAll();
      texts.add(failure(() -> p.fetch(SecretRef.parse("vault:secret/app@1"), ctx)));
      f.vault.requests().forEach(r -> {
        if (r.token() != null) {
          tokens.add(r.token());
        }
      });
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
    }
    for (ILoggingEvent e : logs.list) {
      texts.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        texts.add(e.getThrowableProxy().getMessage());
      }
    }
    assertThat(tokens).isNotEmpty();
    assertThat(logs.list).isNotEmpty();
    for (String text : texts) {
      assertThat(text).doesNotContain(VALUE).doesNotContain(SECRET_ID);
      for (String token : tokens) {
        assertThat(text).doesNotContain(token);
      }
    }
  }

  private static String failure(Runnable r) {
    try {
      r.run();
    } catch (SecretException e) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      return w.toString();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void libraryCodeNeverWritesToTheConsole() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        try {
          assertThat(Files.readString(p)).as(p.toString())
              .doesNotContain("System.out").doesNotContain("System.err")
              .doesNotContain("printStackTrace");
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
    }
  }
}
