package io.secretfetch.camunda.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.internal.SecretDetector;
import io.secretfetch.camunda.testing.Canary;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every entity class the engine has ({@link DbEntity} implementations in camunda-engine), a
 * secret planted in each of its text and byte fields is masked or refused by the write guard: no
 * field nobody listed lets it through.
 */
class EntityColumnCoverageTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static final EntityWriteGuard GUARD;

  static {
    SecretMasker masker = new SecretMasker();
    masker.register(S);
    GUARD = new EntityWriteGuard(new SecretDetector(masker), StandardCharsets.UTF_8);
  }

  record Column(Class<?> entity, Field field) {
    @Override
    public String toString() {
      return entity.getSimpleName() + "." + field.getName();
    }
  }

  static List<Class<?>> entityClasses() throws IOException, URISyntaxException {
    Path jar = Path.of(DbEntity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> out = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (String name : Collections.list(file.entries()).stream().map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.contains("$")).toList()) {
        Class<?> c;
        try {
          c = Class.forName(name.replace('/', '.').replace(".class", ""), false,
              DbEntity.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError optionalDependency) {
          continue;
        }
        if (DbEntity.class.isAssignableFrom(c) && !c.isInterface()
            && !Modifier.isAbstract(c.getModifiers()) && noArgConstructor(c) != null) {
          out.add(c);
        }
      }
    }
    return out;
  }

  static Stream<Column> columns() throws Exception {
    return entityClasses().stream()
        .flatMap(c -> EntityFields.of(c).stream().map(f -> new Column(c, f)));
  }

  @Test
  void theEngineHasTheEntitiesWeExpect() throws Exception {
    List<String> names = entityClasses().stream().map(Class::getSimpleName).toList();
    assertThat(names).hasSizeGreaterThan(60).contains("ExecutionEntity", "TaskEntity",
        "IncidentEntity", "ByteArrayEntity", "CommentEntity", "UserOperationLogEntryEventEntity",
        "HistoricDecisionInputInstanceEntity", "ExternalTaskEntity", "MessageEntity", "TimerEntity", "UserEntity");
    assertThat(columns().count()).isGreaterThan(400);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("columns")
  void aSecretInAnyTextOrByteFieldIsMaskedOrRefused(Column column) throws Exception {
    for (Object planted : plantings(column.field().getType())) {
      DbEntity entity = (DbEntity) noArgConstructor(column.entity()).newInstance();
      if (column.entity().getSimpleName().equals("ByteArrayEntity")) {
        column.entity().getMethod("setName", String.class).invoke(entity, "job.exceptionByteArray");
      }
      column.field().set(entity, planted);
      try {
        GUARD.checkEntity(entity);
      } catch (SecretFetchException refused) {
        assertThat(CANARY.findIn(refused.getMessage())).isEmpty();
        assertThat(refused.getMessage()).startsWith("Secret Fetch refused to store the ");
        assertThat(Columns.isProse(entity, column.field().getName())).isFalse();
        continue;
      }
      assertThat(Columns.isProse(entity, column.field().getName()))
          .as("only prose is written after masking").isTrue();
      assertThat(CANARY.findIn(text(column.field().get(entity)))).isEmpty();
      assertThat(text(column.field().get(entity))).contains("***");
    }
  }

  private static List<Object> plantings(Class<?> type) {
    String text = "before " + S + " after";
    if (type == String.class) {
      return List.of(text, S);
    }
    if (type == char[].class) {
      return List.of(text.toCharArray());
    }
    return List.of(text.getBytes(StandardCharsets.UTF_8),
        text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(Object value) {
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8) + "\n"
          + new String(b, StandardCharsets.ISO_8859_1);
    }
    return value instanceof char[] c ? new String(c) : String.valueOf(value);
  }

  private static Constructor<?> noArgConstructor(Class<?> c) {
    try {
      Constructor<?> k = c.getDeclaredConstructor();
      k.setAccessible(true);
      return k;
    } catch (NoSuchMethodException | RuntimeException e) {
      return null;
    }
  }

  static {
    if (S.isEmpty()) {
      fail("canary is empty");
    }
  }
}
