package io.secretfetch.camunda.internal.write;

import org.camunda.bpm.engine.impl.cfg.IdGenerator;
import org.camunda.bpm.engine.impl.db.PersistenceSession;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;

/**
 * The engine's entity manager with the write guard before each flush of its operations: every
 * path to the database (a command's final flush, {@code flushEntity}) passes here after the
 * entity cache has turned into insert, update and delete operations and before any runs.
 */
final class GuardedDbEntityManager extends DbEntityManager {
  private final EntityWriteGuard guard;

  GuardedDbEntityManager(IdGenerator idGenerator, PersistenceSession session,
      EntityWriteGuard guard) {
    super(idGenerator, session);
    this.guard = guard;
  }

  @Override
  protected void flushDbOperationManager() {
    guard.check(dbOperationManager);
    super.flushDbOperationManager();
  }
}
