package io.secretfetch.app.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trigger is checked against the slots of its own process in its own tenant only. */
class TriggerSlotCheckTest {
  static final SecretResolver RESOLVER = SecretResolver.builder()
      .provider(new InMemorySecretProvider("platform")).defaultProvider("platform").build();

  static Trigger trigger(String tenant, String ref) {
    return new Trigger("hook-" + tenant, "billing", tenant, "body", SecretRef.parse(ref), null,
        new ApiKeyAuth(ApiKeyAuth.DEFAULT_HEADER));
  }

  static final List<DeclaredSlot> SLOTS = List.of(
      new DeclaredSlot("billing", "acme", "hook", SecretRef.parse("platform:acme/hook")),
      new DeclaredSlot("billing", "globex", "hook", SecretRef.parse("platform:globex/hook")));

  @Test
  void aTriggerMatchingTheSlotOfItsTenantPasses() {
    assertThatCode(() -> TriggerSlotCheck.check(
        List.of(trigger("acme", "acme/hook"), trigger("globex", "platform:globex/hook")),
        SLOTS, RESOLVER)).doesNotThrowAnyException();
  }

  @Test
  void anotherTenantsSlotOfTheSameProcessDoesNotCount() {
    assertThatThrownBy(() -> TriggerSlotCheck.check(List.of(trigger("acme", "globex/hook")),
        SLOTS, RESOLVER))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("trigger 'hook-acme' has secret-ref 'globex/hook'")
        .hasMessageContaining("hook -> platform:acme/hook")
        .hasMessageNotContaining("platform:globex/hook");
  }
}
