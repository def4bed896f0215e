package io.secretfetch.camunda.internal.write;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The text and byte fields of an entity class and its superclasses: everything MyBatis can turn
 * into a text or binary column when the entity is inserted or updated. Looked up once per class.
 *
 * <p>Fields are read from the class, not from {@code getPersistentState()}: an insert writes every
 * mapped property, and the persistent state of many entities names only what an update compares.
 */
final class EntityFields {
  /** Fields that hold input the engine transforms before storing (a password is hashed). */
  private static final Set<String> NOT_STORED = Set.of(
      "org.camunda.bpm.engine.impl.persistence.entity.UserEntity.newPassword");

  private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          Class<?> t = f.getType();
          if (Modifier.isStatic(f.getModifiers())
              || !(t == String.class || t == byte[].class || t == char[].class)
              || NOT_STORED.contains(c.getName() + "." + f.getName())) {
            continue;
          }
          f.setAccessible(true);
          out.add(f);
        }
      }
      return List.copyOf(out);
    }
  };

  private EntityFields() {}

  static List<Field> of(Class<?> type) {
    return FIELDS.get(type);
  }
}
