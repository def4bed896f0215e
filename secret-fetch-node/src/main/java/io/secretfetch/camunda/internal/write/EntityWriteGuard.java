package io.secretfetch.camunda.internal.write;

import io.secretfetch.api.SecretError;
import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.internal.SecretDetector;
import java.lang.reflect.Field;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.entitymanager.operation.DbBulkOperation;
import org.camunda.bpm.engine.impl.db.entitymanager.operation.DbEntityOperation;
import org.camunda.bpm.engine.impl.db.entitymanager.operation.DbOperationManager;

/**
 * The write guard: before a command's operations are flushed, every text and byte field of every
 * entity it inserts or updates, in any table, and every parameter of its bulk updates, is checked
 * for the secrets this engine resolved. A secret in prose ({@link Columns#isProse}) is masked and
 * the write goes on; anywhere else the command is refused with a {@link SecretFetchException} that
 * names the column in Camunda's words, before any statement runs, so nothing is written.
 *
 * <p>The variable guard ({@code PlaintextGuardSerializer}) runs earlier, when a variable is set,
 * and gives the better message for variables; this guard covers every path nobody listed.
 */
public final class EntityWriteGuard {
  private final SecretDetector detector;
  private final Charset charset;

  /** {@code charset}: the engine's default charset, in which it stores stack traces. */
  public EntityWriteGuard(SecretDetector detector, Charset charset) {
    this.detector = detector;
    this.charset = charset;
  }

  /** Checks (and masks in place) what {@code operations} are about to insert and update. */
  void check(DbOperationManager operations) {
    if (detector.idle()) {
      return;
    }
    // Runtime entities first: a refusal then names the process instance, not its history.
    for (boolean historic : new boolean[] {false, true}) {
      checkEntities(operations.inserts, historic);
      checkEntities(operations.updates, historic);
    }
    for (SortedSet<DbBulkOperation> ops : operations.bulkOperations.values()) {
      ops.forEach(this::checkBulk);
    }
    operations.bulkOperationsInsertionOrder.forEach(this::checkBulk);
  }

  private void checkEntities(Map<Class<?>, SortedSet<DbEntityOperation>> ops, boolean historic) {
    ops.forEach((type, byType) -> {
      if (isHistoric(type) == historic) {
        byType.forEach(op -> checkEntity(op.getEntity()));
      }
    });
  }

  private static boolean isHistoric(Class<?> type) {
    return type.getName().startsWith("org.camunda.bpm.engine.impl.history.");
  }

  /**
   * Masks the secrets in the prose fields of {@code entity}.
   *
   * @throws SecretFetchException when any other field holds a secret
   */
  public void checkEntity(DbEntity entity) {
    for (Field f : EntityFields.of(entity.getClass())) {
      Object value = read(f, entity);
      if (value == null) {
        continue;
      }
      if (Columns.isProse(entity, f.getName())) {
        Object clean = cleaned(value);
        if (clean == null) {
          throw refused(Columns.describe(entity, f.getName()), Columns.kind(entity));
        }
        if (clean != value) {
          write(f, entity, clean);
        }
      } else if (holdsSecret(value)) {
        throw refused(Columns.describe(entity, f.getName()), Columns.kind(entity));
      }
    }
  }

  private void checkBulk(DbBulkOperation op) {
    if (holdsSecretDeep(op.getParameter(), 0)) {
      throw refused("a parameter of the bulk statement '" + op.getStatement() + "' on "
          + Columns.kind(op.getEntityType()), Columns.kind(op.getEntityType()));
    }
  }

  private boolean holdsSecretDeep(Object value, int depth) {
    if (value == null || depth > 3) {
      return false;
    }
    if (value instanceof String || value instanceof byte[] || value instanceof char[]) {
      return holdsSecret(value);
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().anyMatch(v -> holdsSecretDeep(v, depth + 1));
    }
    if (value instanceof Collection<?> c) {
      return c.stream().anyMatch(v -> holdsSecretDeep(v, depth + 1));
    }
    if (value.getClass().getName().startsWith("java.")) {
      return false;
    }
    for (Field f : EntityFields.of(value.getClass())) {
      if (holdsSecret(read(f, value))) {
        return true;
      }
    }
    return false;
  }

  private boolean holdsSecret(Object value) {
    if (value instanceof String s) {
      return detector.inText(s);
    }
    if (value instanceof byte[] b) {
      return detector.inBytes(b);
    }
    return value instanceof char[] c && detector.inText(new String(c));
  }

  /**
   * Prose with every secret masked (as in logs: values of the masker's free-text minimum and more,
   * and short values standing whole): the same instance when there is nothing to mask, null when
   * masking cannot remove every trace (the write is refused).
   */
  private Object cleaned(Object value) {
    if (value instanceof String s) {
      return detector.mask(s);
    }
    if (value instanceof char[] c) {
      String text = new String(c);
      String masked = detector.mask(text);
      return masked == text ? c : masked.toCharArray();
    }
    byte[] bytes = (byte[]) value;
    // Mask in the decoding that shows the hit: the engine's charset, else byte for byte.
    for (Charset cs : new Charset[] {charset, StandardCharsets.ISO_8859_1}) {
      String text = new String(bytes, cs);
      String masked = detector.mask(text);
      if (masked != text) {
        byte[] out = masked.getBytes(cs);
        return holdsSecret(out) ? null : out;
      }
    }
    return holdsSecret(bytes) ? null : bytes;
  }

  /** The refusal; ids and names in it are masked too, since they may be what holds the secret. */
  private SecretFetchException refused(String what, String kind) {
    what = detector.mask(what);
    return new SecretFetchException("Secret Fetch refused to store " + what + ": it holds the"
        + " value of a secret this engine resolved, and the engine stores and queries it as plain"
        + " text. Nothing was written: the command was rolled back. Fix: build it from data that"
        + " is not secret, and hand secrets only to secret inputs (read them with"
        + " SecretInputs.get), never to names, keys or ids of a " + kind + ".",
        SecretError.INVALID_INPUT, null, what, null);
  }

  private static Object read(Field f, Object target) {
    try {
      return f.get(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + f, e);
    }
  }

  private static void write(Field f, Object target, Object value) {
    try {
      f.set(target, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot write " + f, e);
    }
  }
}
