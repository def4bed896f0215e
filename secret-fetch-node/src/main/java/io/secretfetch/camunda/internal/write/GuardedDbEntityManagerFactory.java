package io.secretfetch.camunda.internal.write;

import org.camunda.bpm.engine.impl.cfg.IdGenerator;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.PersistenceSession;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManagerFactory;

/** Opens {@link GuardedDbEntityManager}s in place of the engine's own entity managers. */
public final class GuardedDbEntityManagerFactory extends DbEntityManagerFactory {
  private final EntityWriteGuard guard;

  private GuardedDbEntityManagerFactory(IdGenerator idGenerator, EntityWriteGuard guard) {
    super(idGenerator);
    this.guard = guard;
  }

  /**
   * Replaces the entity manager factory of {@code config} (once its session factories are built,
   * i.e. in {@code postInit}) with one whose managers run {@code guard} before every flush.
   */
  public static void install(ProcessEngineConfigurationImpl config, EntityWriteGuard guard) {
    if (config.getSessionFactories().get(DbEntityManager.class)
        instanceof GuardedDbEntityManagerFactory) {
      return;
    }
    config.getSessionFactories().put(DbEntityManager.class,
        new GuardedDbEntityManagerFactory(config.getIdGenerator(), guard));
  }

  @Override
  public DbEntityManager openSession() {
    PersistenceSession session =
        Context.getCommandContext().getSession(PersistenceSession.class);
    return new GuardedDbEntityManager(idGenerator, session, guard);
  }
}
