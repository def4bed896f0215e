package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditEvent;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.audit.AuditVerification;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch audit ...}: the store's HMAC-chained audit trail. */
@Command(name = "audit", description = "Query and verify the audit trail.")
final class AuditCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "query", description = "Audit events in chain order (never values).")
  int query(
      @Option(names = "--secret", paramLabel = "NAME") String secret,
      @Option(names = "--by", paramLabel = "ACTOR", description = "Events of this actor.")
          String actor,
      @Option(names = "--action", description = "${COMPLETION-CANDIDATES}") AuditAction action,
      @Option(names = "--since", paramLabel = "INSTANT") Instant since,
      @Option(names = "--until", paramLabel = "INSTANT") Instant until,
      @Option(names = "--after-seq", paramLabel = "SEQ", defaultValue = "0") long afterSeq,
      @Option(names = "--limit", defaultValue = "100", description = "At most 1000 (default"
          + " 100).") int limit,
      @Option(names = "--all-tenants", description = "Every tenant's events (operators).")
          boolean allTenants) {
    AuditQuery q = (allTenants ? AuditQuery.allTenants()
        : AuditQuery.forTenant(root.context().tenantId()))
        .between(since, until).afterSeq(afterSeq).limit(limit);
    if (secret != null) {
      q = q.secret(secret);
    }
    if (actor != null) {
      q = q.actor(actor);
    }
    if (action != null) {
      q = q.action(action);
    }
    try (PlatformSecretStore store = root.openStore()) {
      List<AuditEvent> events = store.audit().query(q);
      List<List<String>> rows = new ArrayList<>();
      for (AuditEvent e : events) {
        rows.add(List.of(String.valueOf(e.seq()), e.occurredAt().toString(),
            Output.cell(e.actor()), e.action().name(), Output.cell(e.secretName()),
            Output.cell(e.version()), e.outcome(), Output.cell(e.detail())));
      }
      root.out().print(events, events.isEmpty() ? "No events." : Output.table(List.of("SEQ",
          "TIME", "ACTOR", "ACTION", "SECRET", "VERSION", "OUTCOME", "DETAIL"), rows));
    }
    return ExitCodes.OK;
  }

  @Command(name = "verify", description = "Recompute the whole chain; exit 1 and name the first"
      + " changed, inserted or missing event if it is broken.")
  int verify() {
    try (PlatformSecretStore store = root.openStore()) {
      AuditVerification v = store.audit().verify();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("intact", v.intact());
      result.put("verification", v);
      result.put("head", store.audit().head());
      if (v.intact()) {
        root.out().print(result, "Audit chain intact: " + v.eventsChecked()
            + " event(s) checked; head " + store.audit().head().lastSeq() + ". Export the head"
            + " elsewhere to also detect a truncated tail.");
        return ExitCodes.OK;
      }
      root.out().print(result, "Audit chain BROKEN at event " + v.problem().seq() + ": "
          + v.problem().kind() + " (" + v.problem().detail() + "). Restore the audit tables"
          + " from a backup and investigate who changed the database.");
      return ExitCodes.CHECK_FAILED;
    }
  }
}
